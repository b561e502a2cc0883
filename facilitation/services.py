"""Every facilitation write: moderation, flags, annotations and round changes.

Each function is keyword-only, atomic, checks that the actor may do it (the views check too:
this is the second lock on the door), and appends a ModerationAction row. Nothing is deleted
from a set's conversation: hiding keeps the text, restoring brings it back, and the log says who
did what, when and why.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actionsets.models import Airtime, Reply, Round
from actionsets.permissions import SetAccess, current_membership
from actionsets.search import index_post
from actionsets.services import log_action, require_facilitator


from .models import Annotation, Code, Flag
from actionsets.models import ModerationAction
from .permissions import can_flag

Action = ModerationAction.Action
REASON_MAX = 500


def _reason(reason: str, *, required: bool, field: str = "reason", why: str = "") -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError({field: why or _("Give a reason: it goes in the moderation log.")})
    if len(reason) > REASON_MAX:
        raise ValidationError({field: _("Keep the reason under %(max)s characters.") % {"max": REASON_MAX}})
    return reason


# --- Hide / restore a reply -----------------------------------------------------------------


@transaction.atomic
def hide_reply(*, actor, reply: Reply, reason: str, now: datetime | None = None) -> Reply:
    reply = Reply.objects.select_for_update().select_related("airtime__action_set").get(pk=reply.pk)
    require_facilitator(actor, reply.airtime.action_set)
    reason = _reason(reason, required=True, why=_("Say why you are hiding it: the author will see this reason."))
    if reply.hidden:
        raise ValidationError(_("This reply is already hidden."))
    reply.hidden, reply.hidden_reason, reply.hidden_by, reply.hidden_at = True, reason, actor, now or timezone.now()
    reply.save(update_fields=["hidden", "hidden_reason", "hidden_by", "hidden_at"])
    index_post(reply)  # found again, or no longer, from this commit (docs/search.md)
    log_action(actor=actor, action_set=reply.airtime.action_set, action=Action.HIDE, target=reply, reason=reason,
         detail={"airtime": reply.airtime_id})
    return reply


@transaction.atomic
def restore_reply(*, actor, reply: Reply, reason: str = "") -> Reply:
    reply = Reply.objects.select_for_update().select_related("airtime__action_set").get(pk=reply.pk)
    require_facilitator(actor, reply.airtime.action_set)
    reason = _reason(reason, required=False)
    if not reply.hidden:
        raise ValidationError(_("This reply is not hidden."))
    detail = {"airtime": reply.airtime_id, "hidden_reason": reply.hidden_reason}
    reply.hidden, reply.hidden_reason, reply.hidden_by, reply.hidden_at = False, "", None, None
    reply.save(update_fields=["hidden", "hidden_reason", "hidden_by", "hidden_at"])
    index_post(reply)  # found again, or no longer, from this commit (docs/search.md)
    log_action(actor=actor, action_set=reply.airtime.action_set, action=Action.RESTORE, target=reply, reason=reason,
         detail=detail)
    return reply


# --- Lock / unlock an airtime ---------------------------------------------------------------


def _set_locked(*, actor, airtime: Airtime, locked: bool, reason: str) -> Airtime:
    airtime = Airtime.objects.select_for_update().select_related("action_set").get(pk=airtime.pk)
    require_facilitator(actor, airtime.action_set)
    reason = _reason(reason, required=False)
    if airtime.locked == locked:
        raise ValidationError(_("This airtime is already locked.") if locked else _("This airtime is already unlocked."))
    airtime.locked = locked
    airtime.save(update_fields=["locked"])
    log_action(actor=actor, action_set=airtime.action_set, action=Action.LOCK if locked else Action.UNLOCK,
         target=airtime, reason=reason)
    return airtime


@transaction.atomic
def lock_airtime(*, actor, airtime: Airtime, reason: str = "") -> Airtime:
    return _set_locked(actor=actor, airtime=airtime, locked=True, reason=reason)


@transaction.atomic
def unlock_airtime(*, actor, airtime: Airtime, reason: str = "") -> Airtime:
    return _set_locked(actor=actor, airtime=airtime, locked=False, reason=reason)


# --- Flags ----------------------------------------------------------------------------------


@transaction.atomic
def flag_reply(*, member, reply: Reply, reason: str, now: datetime | None = None) -> Flag:
    """A member reports a reply to the set's facilitators. Rate-limited in the view."""
    action_set = reply.airtime.action_set
    membership = current_membership(member, action_set)
    if membership is None or not can_flag(SetAccess(action_set=action_set, membership=membership), reply):
        raise ValidationError(_("You can't flag this reply."))
    reason = _reason(reason, required=True, why=_("Tell the facilitator what the problem is."))
    try:
        with transaction.atomic():
            flag = Flag.objects.create(reply=reply, flagged_by=member, reason=reason, created_at=now or timezone.now())
    except IntegrityError:
        raise ValidationError(_("You have already flagged this reply; a facilitator will look at it.")) from None
    log_action(actor=member, action_set=action_set, action=Action.FLAG, target=flag, reason=reason,
         detail={"reply": reply.pk})
    return flag


@transaction.atomic
def resolve_flag(*, actor, flag: Flag, outcome: str, note: str = "", now: datetime | None = None) -> list[Flag]:
    """Resolve a flag and every other open flag on the same reply, with one outcome.

    "Hidden" hides the reply (the note is the reason its author will see) unless it already is.
    """
    now = now or timezone.now()
    reply = flag.reply
    require_facilitator(actor, reply.airtime.action_set)
    if outcome not in Flag.Outcome.values:
        raise ValidationError({"outcome": _("Choose what you did about it.")})
    note = _reason(note, required=outcome == Flag.Outcome.HIDDEN, field="note",
                   why=_("Say why you are hiding it: the author will see this reason."))
    flags = list(Flag.objects.select_for_update().filter(reply=reply, resolved_at__isnull=True).order_by("pk"))
    if not any(f.pk == flag.pk for f in flags):
        raise ValidationError(_("This flag is already resolved."))
    if outcome == Flag.Outcome.HIDDEN and not Reply.objects.filter(pk=reply.pk, hidden=True).exists():
        hide_reply(actor=actor, reply=reply, reason=note, now=now)
    for open_flag in flags:
        open_flag.resolved_at, open_flag.resolved_by = now, actor
        open_flag.outcome, open_flag.resolution_note = outcome, note
        log_action(actor=actor, action_set=reply.airtime.action_set, action=Action.RESOLVE_FLAG, target=open_flag,
             reason=note, detail={"reply": reply.pk, "outcome": outcome})
    Flag.objects.bulk_update(flags, ["resolved_at", "resolved_by", "outcome", "resolution_note"])
    return flags


# --- Annotations ----------------------------------------------------------------------------


@transaction.atomic
def annotate_reply(*, facilitator, reply: Reply, code: Code, note: str = "") -> Annotation:
    """Code a reply. The same code twice by the same facilitator updates the note."""
    action_set = reply.airtime.action_set
    require_facilitator(facilitator, action_set)
    note = (note or "").strip()
    if len(note) > 1000:
        raise ValidationError({"note": _("Keep the note under 1,000 characters.")})
    annotation, _created = Annotation.objects.update_or_create(
        reply=reply, code=code, facilitator=facilitator, defaults={"note": note}
    )
    log_action(actor=facilitator, action_set=action_set, action=Action.ANNOTATE, target=annotation,
         detail={"reply": reply.pk, "code": code.slug})
    return annotation


@transaction.atomic
def remove_annotation(*, facilitator, annotation: Annotation) -> None:
    action_set = annotation.reply.airtime.action_set
    require_facilitator(facilitator, action_set)
    log_action(actor=facilitator, action_set=action_set, action=Action.REMOVE_ANNOTATION, target=annotation,
         detail={"reply": annotation.reply_id, "code": annotation.code.slug})
    annotation.delete()


# --- Rounds ---------------------------------------------------------------------------------


def _check_round_fits(rnd: Round, opens_at: datetime, closes_at: datetime) -> None:
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": _("A round must close after it opens.")})
    others = Round.objects.select_for_update().filter(action_set_id=rnd.action_set_id).exclude(pk=rnd.pk)
    clash = others.filter(opens_at__lt=closes_at, closes_at__gt=opens_at).order_by("number").first()
    if clash:
        raise ValidationError(_("Those dates overlap round %(number)s.") % {"number": clash.number})
    jumped = (
        others.filter(number__lt=rnd.number, opens_at__gte=closes_at).order_by("number").first()
        or others.filter(number__gt=rnd.number, closes_at__lte=opens_at).order_by("number").first()
    )
    if jumped:
        raise ValidationError(_("Rounds keep their order: those dates would move round %(number)s past round "
                                "%(other)s.") % {"number": rnd.number, "other": jumped.number})


@transaction.atomic
def reschedule_round(
    *, actor, round: Round, opens_at: datetime, closes_at: datetime, reason: str = "", now: datetime | None = None
) -> Round:
    now = now or timezone.now()
    rnd = Round.objects.select_for_update().select_related("action_set").get(pk=round.pk)
    require_facilitator(actor, rnd.action_set)
    state = rnd.state_at(now)
    if state == Round.State.CLOSED:
        raise ValidationError(_("This round has closed: its dates stay as they were."))
    if state == Round.State.OPEN and opens_at != rnd.opens_at:
        raise ValidationError({"opens_at": _("This round is already open: only its closing date can change.")})
    if state == Round.State.OPEN and closes_at <= now:
        raise ValidationError({"closes_at": _("That is in the past. To end the round now, use “Close now”.")})
    _check_round_fits(rnd, opens_at, closes_at)
    detail = {"from": [rnd.opens_at.isoformat(), rnd.closes_at.isoformat()],
              "to": [opens_at.isoformat(), closes_at.isoformat()]}
    rnd.opens_at, rnd.closes_at = opens_at, closes_at
    rnd.save(update_fields=["opens_at", "closes_at"])
    log_action(actor=actor, action_set=rnd.action_set, action=Action.CHANGE_ROUND, target=rnd,
         reason=_reason(reason, required=False), detail=detail)
    return rnd


@transaction.atomic
def close_round_early(*, actor, round: Round, reason: str = "", now: datetime | None = None) -> Round:
    now = now or timezone.now()
    rnd = Round.objects.select_for_update().select_related("action_set").get(pk=round.pk)
    require_facilitator(actor, rnd.action_set)
    if rnd.state_at(now) != Round.State.OPEN:
        raise ValidationError(_("Round %(number)s is %(state)s: only an open round can be closed early.")
                              % {"number": rnd.number, "state": str(Round.State(rnd.state_at(now)).label).lower()})
    detail = {"was_closing_at": rnd.closes_at.isoformat()}
    rnd.closes_at = now
    rnd.save(update_fields=["closes_at"])
    log_action(actor=actor, action_set=rnd.action_set, action=Action.CLOSE_ROUND, target=rnd,
         reason=_reason(reason, required=False), detail=detail)
    return rnd
