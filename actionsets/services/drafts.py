"""Drafts saved as a member writes (issue 14, part 3): save (an upsert per person and place) and
discard. Posting removes the draft of the place posted to (services.posts).

A draft is checked like a post — current member, ground rules accepted, the set open for posting,
the airtime and the post answered in this set, the markdown length limit — but not by phase or kind:
a member may draft an answer before the phase that allows it opens. Drafts are never rendered."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..markdown import too_long_message
from ..models import DRAFT_RETENTION_DAYS, ActionSet, Airtime, Draft, Reply, Round
from ..permissions import SetAccess
from .checks import access_for, checked_access, require_can_post


def draft_place(*, action_set: ActionSet, airtime: Airtime | None = None, parent: Reply | None = None,
                round: Round | None = None, now: datetime | None = None) -> dict:
    """The lookup naming one draft's place, checked to be in `action_set`: the reply answered
    (`parent`), the airtime, or — for an airtime's draft — the round (the open one when not given)."""
    if parent is not None:
        if airtime is None or parent.airtime_id != airtime.pk:
            raise ValidationError({"parent": _("That reply belongs to another thread.")})
        return {"airtime": airtime, "parent": parent}
    if airtime is not None:
        if airtime.action_set_id != action_set.pk:
            raise ValidationError(_("That airtime belongs to another set."))
        return {"airtime": airtime, "parent": None}
    if round is None:
        now = now or timezone.now()
        round = Round.objects.filter(action_set=action_set, opens_at__lte=now, closes_at__gt=now).first()
        if round is None:
            raise ValidationError(_("No round is open in this set, so there is no airtime to draft yet."))
    elif round.action_set_id != action_set.pk:
        raise ValidationError(_("That round belongs to another set."))
    return {"airtime": None, "round": round}


def save_draft(
    *, author, action_set: ActionSet, airtime: Airtime | None = None, parent: Reply | None = None,
    round: Round | None = None, body: str, title: str = "", kind: str = "", now: datetime | None = None,
    access: SetAccess | None = None,
) -> Draft | None:
    """Save the author's draft for one place, replacing what was saved there before.

    An empty body (and title) discards the draft instead and returns None: the writer cleared the box.
    `access`: the author's access as the view resolved it, like `post_reply` takes it."""
    body, title = (body or "").strip(), (title or "").strip()[:200]
    if len(body) > settings.MARKDOWN_MAX_CHARS:
        raise ValidationError({"body": too_long_message(len(body))})
    if kind and kind not in Reply.Kind.values:
        kind = ""
    now = now or timezone.now()
    access = checked_access(author, action_set.pk, access) or access_for(author, action_set)
    place = draft_place(action_set=action_set, airtime=airtime, parent=parent, round=round, now=now)
    if not body and not title:
        discard_draft(author=author, action_set=action_set, **place)
        return None
    require_can_post(access)
    return _save_draft(author=author, action_set=action_set, place=place, body=body, title=title, kind=kind, now=now)


@transaction.atomic
def _save_draft(*, author, action_set: ActionSet, place: dict, body: str, title: str, kind: str,
                now: datetime) -> Draft:
    lookup = {"author": author, **place}
    if place["airtime"] is not None:
        lookup["round_id"] = place["airtime"].round_id
    # The row lock serialises two tabs autosaving at once; the unique constraints catch the insert race.
    draft = Draft.objects.select_for_update().filter(**_key(author, place)).first()
    if draft is None:
        draft = Draft(action_set=action_set, created_at=now, **lookup)
    draft.body, draft.title, draft.kind, draft.updated_at = body, title, kind, now
    try:
        with transaction.atomic():
            draft.save()
    except IntegrityError:
        # Another request inserted the same place between our read and our insert: update theirs.
        existing = Draft.objects.select_for_update().get(**_key(author, place))
        existing.body, existing.title, existing.kind, existing.updated_at = body, title, kind, now
        existing.save(update_fields=["body", "title", "kind", "updated_at"])
        draft = existing
    return draft


def _key(author, place: dict) -> dict:
    """The unique key of a place (the model's constraints)."""
    if place.get("parent") is not None:
        return {"author": author, "parent": place["parent"]}
    if place.get("airtime") is not None:
        return {"author": author, "airtime": place["airtime"], "parent__isnull": True}
    return {"author": author, "round": place["round"], "airtime__isnull": True}


def remove_posted_draft(*, author, airtime: Airtime | None = None, answered: Reply | None = None,
                        round: Round | None = None) -> None:
    """Inside a post's transaction: the draft of the place just posted to is gone (issue 14)."""
    if answered is not None:
        place = {"parent": answered}
    elif airtime is not None:
        place = {"airtime": airtime}
    else:
        place = {"round": round}
    Draft.objects.filter(**_key(author, place)).delete()


def discard_draft(
    *, author, action_set: ActionSet, airtime: Airtime | None = None, parent: Reply | None = None,
    round: Round | None = None, now: datetime | None = None,
) -> bool:
    """Remove the author's draft for one place; True when there was one. Only ever the author's own."""
    place = draft_place(action_set=action_set, airtime=airtime, parent=parent, round=round, now=now)
    deleted, _count = Draft.objects.filter(action_set=action_set, **_key(author, place)).delete()
    return deleted > 0


def purge_drafts(*, now: datetime | None = None) -> int:
    """Delete the drafts whose round closed more than DRAFT_RETENTION_DAYS ago; the count deleted.
    Idempotent: cron and Celery beat may both run it."""
    cutoff = (now or timezone.now()) - timedelta(days=DRAFT_RETENTION_DAYS)
    deleted, _count = Draft.objects.filter(round__closes_at__lte=cutoff).delete()
    return deleted
