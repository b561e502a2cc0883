"""Writes of what members post: ground rules accepted, airtimes, replies, read state, commitments and
report-backs; and the set's rounds and members.

Each public function is keyword-only, validates, renders markdown before its transaction, writes
atomically, keeps counters current and announces what happened (actionsets.events)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import events
from ..handles import assign_handles
from ..markdown import render_markdown, too_long_message
from ..models import (
    MAX_REPLY_DEPTH,
    PATH_SEGMENT_WIDTH,
    ActionCommitment,
    ActionSet,
    Airtime,
    Membership,
    ModerationAction,
    ReadMarker,
    Reply,
    Revision,
    Round,
)
from ..permissions import SetAccess
from ..reply_checks import AdviceNudge, advice_phrases, check_reply  # noqa: F401 - AdviceNudge is re-exported
from .files import StoredFile, attach_files, files_to_remove, prepare_files, remove_files_from_post, stored
from ..search import index_post
from .checks import (
    Prepared,
    access_for,
    announce_mentions,
    checked_access,
    log_action,
    log_actions,
    prepare,
    set_language,
    require_body,
    require_can_post,
    require_editable,
    require_title,
)
from .drafts import remove_posted_draft


def open_round(action_set: ActionSet, *, now: datetime | None = None) -> Round | None:
    now = now or timezone.now()
    return Round.objects.filter(action_set=action_set, opens_at__lte=now, closes_at__gt=now).first()


@transaction.atomic
def accept_ground_rules(*, membership: Membership, now: datetime | None = None) -> Membership:
    """Accept the set's current ground rules (its current version). Accepting the same version
    again changes nothing: the first acceptance is kept."""
    current = ActionSet.objects.filter(pk=membership.action_set_id).values_list("rules_version", flat=True).first()
    if membership.ground_rules_accepted_at is None or membership.ground_rules_version_id != current:
        membership.ground_rules_accepted_at = now or timezone.now()
        membership.ground_rules_version_id = current
        membership.save(update_fields=["ground_rules_accepted_at", "ground_rules_version"])
    return membership


def set_ground_rules(*, action_set: ActionSet, ground_rules: str, now: datetime | None = None) -> ActionSet:
    """Set a set's ground rules directly, as a new adopted version (set-up by staff or the demo).
    A set's own renegotiation goes through services.lifecycle (propose, adopt) instead."""
    if len(ground_rules or "") > settings.MARKDOWN_MAX_CHARS:
        raise ValidationError({"ground_rules": too_long_message(len(ground_rules))})
    return _set_ground_rules(action_set=action_set, ground_rules=ground_rules, html=render_markdown(ground_rules),
                             now=now or timezone.now())


@transaction.atomic
def _set_ground_rules(*, action_set: ActionSet, ground_rules: str, html: str, now: datetime) -> ActionSet:
    from ..models import GroundRulesVersion

    number = (GroundRulesVersion.objects.filter(action_set=action_set).aggregate(n=Max("number"))["n"] or 0) + 1
    version = GroundRulesVersion.objects.create(action_set=action_set, number=number, text=ground_rules,
                                                text_html=html, created_at=now, adopted_at=now)
    action_set.ground_rules, action_set.ground_rules_html, action_set.rules_version = ground_rules, html, version
    action_set.save(update_fields=["ground_rules", "ground_rules_html", "rules_version"])
    return action_set


@transaction.atomic
def dismiss_welcome(*, membership: Membership, now: datetime | None = None) -> Membership:
    """The member has read the set page's welcome: it is not shown again (the first time counts)."""
    if membership.welcomed_at is None:
        membership.welcomed_at = now or timezone.now()
        membership.save(update_fields=["welcomed_at"])
    return membership


def set_notification_level(*, membership: Membership, level: str) -> Membership:
    if level not in Membership.NotificationLevel.values:
        raise ValidationError({"notification_level": _("Choose watching, normal or muted.")})
    if membership.is_researcher and level != Membership.NotificationLevel.MUTED:
        raise ValidationError({"notification_level": _("A researcher gets no email about the set.")})
    if membership.notification_level != level:
        membership.notification_level = level
        membership.save(update_fields=["notification_level"])
    return membership


def present_airtime(
    *, presenter, action_set: ActionSet, title: str, body: str, offers_welcome: bool = False,
    attachments=(), now: datetime | None = None,
) -> Airtime:
    """`attachments`: uploaded files (services.files); checked and stored before the transaction."""
    title, prepared = require_title(title), prepare(body, action_set_id=action_set.pk)
    with stored(prepare_files(attachments)) as files:
        return _present_airtime(presenter=presenter, action_set=action_set, title=title, prepared=prepared,
                                offers_welcome=offers_welcome, files=files, now=now or timezone.now())


@transaction.atomic
def _present_airtime(
    *, presenter, action_set: ActionSet, title: str, prepared: Prepared, offers_welcome: bool,
    files: list[StoredFile], now: datetime,
) -> Airtime:
    access = access_for(presenter, action_set)
    require_can_post(access)
    if action_set.state == ActionSet.State.FORMING:
        raise ValidationError(_("The set is still forming: airtimes start once its ground rules are agreed and "
                                "the rounds begin."))
    current = open_round(action_set, now=now)
    if current is None:
        raise ValidationError(_("No round is open in this set, so there is nowhere to present yet."))
    if Airtime.objects.filter(round=current, presenter=presenter).exists():
        raise ValidationError(_("You have already presented in round %(number)s: one airtime per round.")
                              % {"number": current.number})
    try:
        with transaction.atomic():
            airtime = Airtime.objects.create(
                action_set=action_set, round=current, presenter=presenter, title=title, body=prepared.body,
                body_html=prepared.html, word_count=prepared.words, created_at=now, last_activity_at=now,
                offers_welcome=offers_welcome,
            )
    except IntegrityError:  # a double-submit racing the check above
        raise ValidationError(_("You have already presented in round %(number)s: one airtime per round.")
                              % {"number": current.number}) from None
    ReadMarker.objects.create(user=presenter, airtime=airtime, last_read_at=now)
    attach_files(prepared=files, uploader=presenter, action_set=action_set, airtime=airtime, body=prepared.body)
    remove_posted_draft(author=presenter, round=current)
    index_post(airtime)
    events.airtime_presented.send_on_commit(airtime_id=airtime.pk)
    announce_mentions(prepared=prepared, author_id=presenter.pk, airtime_id=airtime.pk)
    return airtime


def _require_author(editor, author_id: int) -> None:
    """Only the author edits a post, facilitators included: they hide a reply with a reason instead,
    so members never read words under a name that person did not write (docs/facilitation.md)."""
    if editor.pk != author_id:
        raise ValidationError(_("Only the author can edit a post. Facilitators hide a reply instead."))


def edit_airtime(
    *, editor, airtime: Airtime, title: str, body: str, reason: str = "", attachments=(), remove_files=(),
    now: datetime | None = None,
) -> Airtime:
    """`attachments` adds files; `remove_files` (attachment ids of this airtime) takes files off it.
    A removed file is kept with the revision the edit stores (the history shows it as it was)."""
    _require_author(editor, airtime.presenter_id)
    title, prepared = require_title(title), prepare(body, action_set_id=airtime.action_set_id)
    with stored(prepare_files(attachments)) as files:
        return _edit_airtime(editor=editor, airtime=airtime, title=title, prepared=prepared, reason=reason,
                             files=files, remove=remove_files, now=now or timezone.now())


@transaction.atomic
def _edit_airtime(
    *, editor, airtime: Airtime, title: str, prepared: Prepared, reason: str, files: list[StoredFile],
    remove=(), now: datetime,
) -> Airtime:
    body = prepared.body
    airtime = Airtime.objects.select_for_update().select_related("action_set").get(pk=airtime.pk)
    require_editable(airtime.action_set)
    removing = files_to_remove(remove, airtime=airtime)
    attach_files(prepared=files, uploader=editor, action_set=airtime.action_set, airtime=airtime, body=body,
                 removing=len(removing))
    if title == airtime.title and body == airtime.body and not removing:
        return airtime
    revision = Revision.objects.create(
        airtime=airtime, title=airtime.title, body=airtime.body, edited_by=editor, edited_at=now, reason=reason
    )
    remove_files_from_post(removing, revision=revision, now=now)
    if title == airtime.title and body == airtime.body:  # only files removed: the text stays as it was
        airtime.edited_at = now
        airtime.save(update_fields=["edited_at"])
        return airtime
    airtime.title, airtime.body, airtime.body_html, airtime.edited_at = title, body, prepared.html, now
    airtime.word_count = prepared.words
    airtime.save(update_fields=["title", "body", "body_html", "word_count", "edited_at"])
    index_post(airtime)
    announce_mentions(prepared=prepared, author_id=editor.pk, airtime_id=airtime.pk)
    return airtime


def _placement(airtime: Airtime, parent: Reply | None) -> tuple[Reply | None, Reply | None]:
    """Return (parent to attach to, reply actually answered)."""
    if parent is None:
        return None, None
    if parent.airtime_id != airtime.pk:
        raise ValidationError({"parent": _("That reply belongs to another thread.")})
    answered = parent
    while parent is not None and parent.depth >= MAX_REPLY_DEPTH:
        parent = parent.parent
    return parent, answered


def post_reply(
    *, author, airtime: Airtime, body: str, kind: str | None = None, parent: Reply | None = None,
    now: datetime | None = None, check_advice: bool = False, advice_confirmed: bool = False,
    access: SetAccess | None = None, attachments=(),
) -> Reply:
    """Post a reply of a kind the airtime's phase and the author's role allow.

    `check_advice`: a question or reflect-back that reads as advice raises AdviceNudge instead of
    posting; `advice_confirmed`: the author saw the nudge and posts anyway — the matched phrases
    are kept on the reply for the facilitators (`advice_signal`).
    `access`: the author's access to the airtime's set, as the view resolved it for this request
    (permissions.get_set_or_404), so the membership is loaded once per request. Callers without a
    request (seed_demo, imports, tests) leave it out and the service loads it, once.
    """
    access = checked_access(author, airtime.action_set_id, access)
    prepared = prepare(body, advice=True, signals=check_advice or advice_confirmed,
                       action_set_id=airtime.action_set_id,
                       language=set_language(airtime.action_set_id, access, airtime))
    with stored(prepare_files(attachments)) as files:
        return _post_reply(author=author, airtime=airtime, access=access, prepared=prepared, kind=kind,
                           parent=parent, now=now or timezone.now(), check_advice=check_advice,
                           advice_confirmed=advice_confirmed, files=files)


@transaction.atomic
def _post_reply(
    *, author, airtime: Airtime, access: SetAccess | None, prepared: Prepared, kind: str | None,
    parent: Reply | None, now: datetime, check_advice: bool, advice_confirmed: bool, files: list[StoredFile],
) -> Reply:
    body = prepared.body
    # Lock the thread root: serialises path allocation and the counter update.
    airtime = Airtime.objects.select_for_update().select_related("round", "action_set").get(pk=airtime.pk)
    if access is None:
        access = access_for(author, airtime.action_set)
    require_can_post(access)
    attach_to, answered = _placement(airtime, parent)
    kind = check_reply(access, airtime, kind, answered, now)
    if kind == Reply.Kind.ACTION and len(body) > 500:
        raise ValidationError({"body": _("Keep an action commitment under 500 characters: one concrete action.")})
    advice = advice_phrases(kind, prepared.signals, check=check_advice, confirmed=advice_confirmed)
    sequence = Reply.objects.filter(airtime=airtime).count() + 1
    segment = f"{sequence:0{PATH_SEGMENT_WIDTH}d}"
    reply = Reply.objects.create(
        airtime=airtime, parent=attach_to, in_reply_to=answered, author=author, kind=kind, body=body,
        body_html=prepared.html, word_count=prepared.words, created_at=now,
        path=(attach_to.path if attach_to else "") + segment,
        depth=(attach_to.depth + 1) if attach_to else 0, advice_signal=advice, has_advice_signal=prepared.advice,
    )
    if kind == Reply.Kind.ACTION:
        ActionCommitment.objects.create(airtime=airtime, owner=author, text=body, due_round=_next_round(airtime),
                                        created_at=now, reply=reply)
    # Greatest: a backdated post (imports, the demo seed) never moves activity backwards.
    Airtime.objects.filter(pk=airtime.pk).update(
        reply_count=F("reply_count") + 1, last_activity_at=Greatest(F("last_activity_at"), Value(now))
    )
    mark_read(user=author, airtime=airtime, at=now)
    attach_files(prepared=files, uploader=author, action_set=airtime.action_set, reply=reply, body=body)
    remove_posted_draft(author=author, airtime=airtime, answered=answered)
    index_post(reply)
    events.reply_posted.send_on_commit(reply_id=reply.pk)
    announce_mentions(prepared=prepared, author_id=author.pk, airtime_id=airtime.pk, reply_id=reply.pk)
    return reply


def edit_reply(
    *, editor, reply: Reply, body: str, reason: str = "", attachments=(), remove_files=(),
    now: datetime | None = None,
) -> Reply:
    """As `edit_airtime`: `remove_files` takes files off the reply, kept with the revision."""
    _require_author(editor, reply.author_id)
    airtime = reply.airtime
    prepared = prepare(body, advice=True, action_set_id=airtime.action_set_id,
                       language=set_language(airtime.action_set_id, obj=airtime))
    with stored(prepare_files(attachments)) as files:
        return _edit_reply(editor=editor, reply=reply, prepared=prepared, reason=reason, files=files,
                           remove=remove_files, now=now or timezone.now())


@transaction.atomic
def _edit_reply(*, editor, reply: Reply, prepared: Prepared, reason: str, files: list[StoredFile],
                remove=(), now: datetime) -> Reply:
    body = prepared.body
    reply = Reply.objects.select_for_update().select_related("airtime__action_set").get(pk=reply.pk)
    require_editable(reply.airtime.action_set)
    removing = files_to_remove(remove, reply=reply)
    attach_files(prepared=files, uploader=editor, action_set=reply.airtime.action_set, reply=reply, body=body,
                 removing=len(removing))
    if body == reply.body and not removing:
        return reply
    revision = Revision.objects.create(reply=reply, body=reply.body, edited_by=editor, edited_at=now, reason=reason)
    remove_files_from_post(removing, revision=revision, now=now)
    if body == reply.body:  # only files removed: the text stays as it was
        reply.edited_at = now
        reply.save(update_fields=["edited_at"])
        return reply
    reply.body, reply.body_html, reply.edited_at = body, prepared.html, now
    reply.word_count, reply.has_advice_signal = prepared.words, prepared.advice
    reply.save(update_fields=["body", "body_html", "word_count", "has_advice_signal", "edited_at"])
    index_post(reply)
    announce_mentions(prepared=prepared, author_id=editor.pk, airtime_id=reply.airtime_id, reply_id=reply.pk)
    return reply


def mark_read(*, user, airtime: Airtime, at: datetime) -> None:
    """Move the user's read marker forward to `at`: never backwards, no write when unchanged.

    On SQLite every write takes the database write lock, so a page view that has nothing to
    record must not issue an UPDATE "just in case".
    """
    current = ReadMarker.objects.filter(user=user, airtime=airtime).values_list("last_read_at", flat=True).first()
    if current is None:
        ReadMarker.objects.bulk_create([ReadMarker(user=user, airtime=airtime, last_read_at=at)], ignore_conflicts=True)
    if current is None or current < at:
        ReadMarker.objects.filter(user=user, airtime=airtime, last_read_at__lt=at).update(last_read_at=at)


@transaction.atomic
def record_commitment(*, owner, airtime: Airtime, text: str, now: datetime | None = None) -> ActionCommitment:
    now = now or timezone.now()
    text = (text or "").strip()
    if airtime.presenter_id != owner.pk:
        raise ValidationError(_("Only the presenter records commitments on their airtime."))
    require_can_post(access_for(owner, airtime.action_set))
    if not text:
        raise ValidationError({"text": _("Say what you will do.")})
    if len(text) > 500:
        raise ValidationError({"text": _("Keep a commitment under 500 characters: one concrete action.")})
    return ActionCommitment.objects.create(
        airtime=airtime, owner=owner, text=text, due_round=_next_round(airtime), created_at=now
    )


def _next_round(airtime: Airtime) -> Round | None:
    return (
        Round.objects.filter(action_set_id=airtime.action_set_id, number__gt=airtime.round.number)
        .order_by("number").first()
    )


REPORTED_STATUSES = {
    ActionCommitment.Status.DONE, ActionCommitment.Status.PARTLY, ActionCommitment.Status.NOT_DONE,
    # From before done / partly / not: still accepted, so nothing that called with them breaks.
    ActionCommitment.Status.CHANGED, ActionCommitment.Status.DROPPED,
}


REPORT_SECTIONS = (
    ("what_happened", "What happened"),
    ("how_differed", "How it differed from what I expected"),
    ("learned", "What I learned"),
)


def _compose_report(sections: dict[str, str]) -> str:
    return "\n\n".join(f"**{label}:** {sections[name]}" for name, label in REPORT_SECTIONS if sections[name])


def report_back(
    *, owner, commitment: ActionCommitment, status: str, report_back: str = "", what_happened: str = "",
    how_differed: str = "", learned: str = "", now: datetime | None = None,
) -> ActionCommitment:
    """Done / partly / not, and in the set's words: what happened, how it differed from what I
    expected, what I learned. The three are kept apart and also joined into `report_back`, which
    every page shows; a caller may still pass `report_back` alone."""
    now = now or timezone.now()
    if commitment.owner_id != owner.pk:
        raise ValidationError(_("Only the person who made a commitment reports back on it."))
    if status not in REPORTED_STATUSES:
        raise ValidationError({"status": _("Choose done, partly or not done.")})
    sections = {"what_happened": what_happened, "how_differed": how_differed, "learned": learned}
    sections = {k: (v or "").strip() for k, v in sections.items()}
    if any(sections.values()):
        require_body(sections["what_happened"], field="what_happened")
        for name, text in sections.items():
            if text:
                require_body(text, field=name)
        report_back = _compose_report(sections)
    report_back = require_body(report_back, field="what_happened" if not report_back else "report_back")
    return _report_back(owner=owner, commitment=commitment, status=status, report_back=report_back,
                        html=render_markdown(report_back), sections=sections, now=now)


@transaction.atomic
def _report_back(*, owner, commitment: ActionCommitment, status: str, report_back: str, html: str,
                 sections: dict[str, str], now: datetime) -> ActionCommitment:
    commitment = ActionCommitment.objects.select_for_update().select_related("airtime__action_set").get(pk=commitment.pk)
    require_can_post(access_for(owner, commitment.airtime.action_set))
    commitment.status = status
    commitment.report_back = report_back
    commitment.report_back_html = html
    commitment.what_happened, commitment.how_differed, commitment.learned = (
        sections["what_happened"], sections["how_differed"], sections["learned"])
    commitment.reported_at = now
    commitment.save(update_fields=["status", "report_back", "report_back_html", "reported_at", "what_happened",
                                   "how_differed", "learned"])
    return commitment


@transaction.atomic
def schedule_round(
    *, action_set: ActionSet, opens_at: datetime, closes_at: datetime | None = None, actor=None
) -> Round:
    closes_at = closes_at or opens_at + timedelta(days=Round.DEFAULT_LENGTH_DAYS)
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": _("A round must close after it opens.")})
    rounds = Round.objects.select_for_update().filter(action_set=action_set)
    if rounds.filter(opens_at__lt=closes_at, closes_at__gt=opens_at).exists():
        raise ValidationError(_("That overlaps another round of this set."))
    number = (rounds.aggregate(n=Max("number"))["n"] or 0) + 1
    new_round = Round.objects.create(action_set=action_set, number=number, opens_at=opens_at, closes_at=closes_at)
    if actor is not None:
        log_action(actor=actor, action_set=action_set, action=ModerationAction.Action.SCHEDULE_ROUND, target=new_round)
    return new_round


def memberships_created(*, memberships: list[Membership]) -> None:
    """What every new membership gets, whichever service wrote it (here, or enrolment's bulk and
    one-by-one paths): an @handle, and `members_added` for the apps above (a notification)."""
    if memberships:
        if any(not m.handle for m in memberships):
            assign_handles(action_set_ids={m.action_set_id for m in memberships})
        events.members_added.send_on_commit(membership_ids=[m.pk for m in memberships])


@transaction.atomic
def add_member(
    *, action_set: ActionSet, user, role: str = Membership.Role.LEARNER, actor=None, now: datetime | None = None
) -> Membership:
    membership, created = Membership.objects.get_or_create(
        user=user, action_set=action_set, left_at=None,
        defaults={"role": role, "joined_at": now or timezone.now()},
    )
    if created:
        memberships_created(memberships=[membership])
        membership.refresh_from_db(fields=["handle"])
        if actor is not None:
            log_action(actor=actor, action_set=action_set, action=ModerationAction.Action.ADD_MEMBER, target=membership,
                       now=now)
    return membership


@transaction.atomic
def remove_member(*, membership: Membership, actor=None, reason: str = "", now: datetime | None = None) -> Membership:
    """Soft removal: access ends at once, everything they wrote stays, attributed."""
    remove_members(memberships=[membership], actor=actor, reason=reason, now=now)
    return membership


@transaction.atomic
def remove_members(*, memberships: list[Membership], actor=None, reason: str = "",
                   now: datetime | None = None) -> list[Membership]:
    """remove_member for many at once (the roster sync): one update and one log insert, whatever
    their number. Memberships already ended are left as they are. Returns those it ended."""
    now = now or timezone.now()
    ending = [m for m in memberships if m.left_at is None]
    if not ending:
        return []
    Membership.objects.filter(pk__in=[m.pk for m in ending]).update(left_at=now)
    for membership in ending:
        membership.left_at = now
    if actor is not None:
        log_actions(logs=[
            ModerationAction(actor=actor, action_set_id=m.action_set_id, action=ModerationAction.Action.REMOVE_MEMBER,
                             target_type="membership", target_id=m.pk, reason=reason, detail={}, created_at=now)
            for m in ending
        ])
    return ending
