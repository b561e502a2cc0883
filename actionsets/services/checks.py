"""What every write checks and prepares before it writes: the body (length, rendering, word count,
advice signals, all before the transaction opens), the member's access, and the moderation log."""

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import events
from ..advice import Signal, find_signals, has_signal
from ..handles import current_handles
from ..markdown import mentioned_handles, render_markdown, too_long_message
from ..models import (
    ActionSet,
    Membership,
    ModerationAction,
)
from ..permissions import (
    RESEARCHER_REFUSAL,
    SetAccess,
    can_guide_process,
    can_post,
    current_membership,
    is_read_only,
)

# Words as a reader counts them: runs of letters/digits, keeping "don't" and "well-being" whole.
# Stored at save time (word_count) so the facilitation dashboard sums them in the database.
WORD_RE = re.compile(r"[\w'’-]*\w[\w'’-]*")


def count_words(text: str) -> int:
    return len(WORD_RE.findall(text or ""))


def require_body(body: str, *, field: str = "body") -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({field: _("Write something before posting.")})
    if len(body) > settings.MARKDOWN_MAX_CHARS:
        raise ValidationError({field: too_long_message(len(body))})
    return body


@dataclass(frozen=True)
class Prepared:
    """A body checked, rendered and counted before the write transaction opens."""

    body: str
    html: str
    words: int
    advice: bool = False  # has_advice_signal
    signals: list[Signal] = field(default_factory=list)  # the advice phrases, when asked for
    mentioned: list[int] = field(default_factory=list)  # user ids of the current members @mentioned


def prepare(
    body: str, *, field: str = "body", advice: bool = False, signals: bool = False, action_set_id: int | None = None,
    language: str | None = None,
) -> Prepared:
    """`action_set_id`: render @mentions of that set's current members (one query for their handles).
    `language`: the set's language, whose advice word list applies (`set_language`)."""
    body = require_body(body, field=field)
    handles = current_handles(action_set_id) if action_set_id is not None and "@" in body else {}
    html = render_markdown(body, handles=handles)
    return Prepared(body=body, html=html, words=count_words(body),
                    advice=has_signal(body, language) if advice else False,
                    signals=find_signals(body, language) if signals else [],
                    mentioned=[handles[h] for h in mentioned_handles(html)] if handles else [])


def set_language(action_set_id: int, access: SetAccess | None = None, obj=None) -> str:
    """The language a set's members write in (`ActionSet.language`), from the access or an object
    whose `action_set` is already loaded when there is one, else with one query."""
    if access is not None and access.action_set.pk == action_set_id:
        return access.action_set.language
    if obj is not None and "action_set" in obj._state.fields_cache:
        return obj.action_set.language
    return ActionSet.objects.values_list("language", flat=True).get(pk=action_set_id)


def announce_mentions(*, prepared: Prepared, author_id: int, airtime_id: int, reply_id: int | None = None) -> None:
    """After commit, tell the apps above who was @mentioned in this post (never its author). An
    edit announces again: the listener notifies each person once per post."""
    user_ids = [user_id for user_id in prepared.mentioned if user_id != author_id]
    if user_ids:
        events.members_mentioned.send_on_commit(airtime_id=airtime_id, reply_id=reply_id, author_id=author_id,
                                                user_ids=user_ids)


def require_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give your airtime a title.")})
    if len(title) > 200:
        raise ValidationError({"title": _("Keep the title under 200 characters.")})
    return title


def access_for(user, action_set: ActionSet) -> SetAccess:
    membership = Membership.objects.current().filter(user=user, action_set=action_set).first()
    if membership is None:
        raise ValidationError(_("You are not a member of this set."))
    membership.user = user
    membership.action_set = action_set  # has_accepted_rules reads the set's current rules version
    return SetAccess(action_set=action_set, membership=membership)


def checked_access(user, action_set_id: int, access: SetAccess | None) -> SetAccess | None:
    """The access a view handed over, checked to be this user's in this set; None when there is
    none, and the service loads it with access_for."""
    if access is not None and (access.membership.user_id != user.pk or access.action_set.pk != action_set_id):
        raise ValueError("The access handed to a service must be the acting user's in the object's set.")
    return access


def require_can_post(access: SetAccess) -> None:
    if access.is_researcher:  # every path that writes a post: the pages, email replies, imports
        raise ValidationError(str(RESEARCHER_REFUSAL))
    if access.action_set.archived:
        raise ValidationError(_("This set is archived and read-only."))
    if is_read_only(access.action_set):
        raise ValidationError(_("This set is closed and read-only: you can still read and export your contributions."))
    if not can_post(access):
        raise ValidationError(_("Please read and accept the set's ground rules before posting."))


def require_editable(action_set: ActionSet) -> None:
    if is_read_only(action_set):
        raise ValidationError(_("This set is closed and read-only: posts are kept as they are."))


def log_action(
    *, actor, action_set, action: str, target, reason: str = "", detail: dict | None = None,
    now: datetime | None = None,
) -> None:
    log_actions(logs=[ModerationAction(
        actor=actor, action_set=action_set, action=action, target_type=target._meta.model_name,
        target_id=target.pk, reason=reason, detail=detail or {}, created_at=now or timezone.now(),
    )])


def log_actions(*, logs: list[ModerationAction]) -> list[ModerationAction]:
    """Write many log rows in one insert; each is announced (moderation_logged) once committed."""
    logged = ModerationAction.objects.bulk_create(logs)
    for action in logged:
        events.moderation_logged.send_on_commit(action_id=action.pk)
    return logged


def require_facilitator(actor, action_set: ActionSet):
    membership = current_membership(actor, action_set)
    if membership is None or not membership.is_facilitator:
        raise ValidationError(_("Only this set's facilitators can do that."))
    return membership


def require_guide(actor, action_set: ActionSet) -> SetAccess:
    access = access_for(actor, action_set)
    if not can_guide_process(access):
        raise ValidationError(_("Only the facilitator or this round's process steward can do that."))
    return access
