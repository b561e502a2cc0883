"""The checks `services.post_reply` makes before it writes: which kind, answering what, and the
advice nudge. Kept apart so services.py stays a list of writes."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import kinds as reply_kinds
from .advice import Signal
from .models import Airtime, Reply, Round
from .permissions import SetAccess, allowed_reply_kinds, current_phase, reply_refusal


class AdviceNudge(ValidationError):
    """The question reads as advice: show the author the sentences and let them rephrase or post
    anyway (`advice_confirmed=True`). Raised only when the caller asked for the check."""

    def __init__(self, signals: list[Signal]):
        self.signals = signals
        super().__init__({"body": _("This may read as advice rather than a question. Could you rephrase it as an "
                                    "open question? If you mean it as it is, post it anyway.")})


def no_kinds_message(airtime: Airtime, access: SetAccess, now: datetime) -> str:
    if airtime.locked:
        return _("This airtime is locked by the facilitator: it takes no new replies.")
    state = airtime.round.state_at(now)
    if state == Round.State.SCHEDULED:
        return _("Round %(number)s is scheduled: it takes no new replies.") % {"number": airtime.round.number}
    if state != Round.State.OPEN:
        return _("Round %(number)s is closed: it takes no new replies.") % {"number": airtime.round.number}
    span = current_phase(airtime, now)
    if span.phase == "summary":
        return _("It is the presenter's summary-and-actions phase until %(when)s: the reflection phase opens then.") % {
            "when": date_format(timezone.localtime(span.ends_at), "D j M, H:i")}
    return _("This airtime's phases are over: it takes no new replies.")


def check_reply(access: SetAccess, airtime: Airtime, kind: str | None, answered: Reply | None, now) -> str:
    """The kind to post, or a ValidationError saying clearly why not."""
    allowed = allowed_reply_kinds(access, airtime, now=now)
    if not allowed:
        raise ValidationError(no_kinds_message(airtime, access, now))
    if kind is None and answered is not None and Reply.Kind.RESPONSE in allowed:
        kind = Reply.Kind.RESPONSE  # the presenter replying to a post is answering it
    kind = reply_kinds.resolve_kind(kind, allowed)
    if kind not in allowed:
        raise ValidationError({"kind": reply_refusal(access, airtime, kind, now=now)})
    if kind == Reply.Kind.RESPONSE and (
        answered is None or answered.kind not in reply_kinds.ANSWERABLE_KINDS or answered.author_id == access.user.pk
    ):
        raise ValidationError({"parent": _("A response answers a specific question: choose the question you are answering.")})
    return kind


def advice_phrases(kind: str, signals: list[Signal], *, check: bool, confirmed: bool) -> list[dict]:
    """`signals`: found in the body before the write transaction (services.prepare)."""
    if not (check or confirmed) or kind not in reply_kinds.NUDGED_KINDS:
        return []
    if signals and not confirmed:
        raise AdviceNudge(signals)
    return [{"name": s.name, "phrase": s.phrase} for s in signals]
