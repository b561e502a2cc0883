"""Airtime phases (docs/set-process.md): clarifying → probing → offers (opt-in) → summary &
actions → reflection, each a window of hours counted from when the airtime was presented.

Everything here is pure: times are passed in, nothing is read from the database or the clock, so
the boundaries can be tested exactly. A phase runs from its start (inclusive) to its end
(exclusive); a window of 0 hours skips the phase; the round's closing ends every phase early.
Which reply kinds each role may post in each phase is the table `KINDS_BY_PHASE`;
`actionsets.permissions.allowed_reply_kinds` applies it.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from .models import Reply

Kind = Reply.Kind

CLARIFYING, PROBING, OFFERS, SUMMARY, REFLECTION, FINISHED = (
    "clarifying", "probing", "offers", "summary", "reflection", "finished",
)
ORDER = (CLARIFYING, PROBING, OFFERS, SUMMARY, REFLECTION)
LABELS = {
    CLARIFYING: _("Clarifying questions"),
    PROBING: _("Probing questions"),
    OFFERS: _("Offers"),
    SUMMARY: _("Summary and actions"),
    REFLECTION: _("Reflection"),
    FINISHED: _("Finished"),
}
# What each phase is for, in the set's words (shown on the thread).
PURPOSES = {
    CLARIFYING: _("Members ask clarifying questions to understand the issue; the presenter responds."),
    PROBING: _("Members ask open, probing questions and reflect back what they heard; the presenter responds."),
    OFFERS: _("The presenter asked for offers: members may share experience or resources, labelled as offers."),
    SUMMARY: _("The presenter's turn: what I now see differently, and the actions I commit to."),
    REFLECTION: _("Everyone: one short post on what you learned."),
    FINISHED: _("The airtime's phases are over."),
}
DEFAULT_HOURS = {CLARIFYING: 48, PROBING: 72, OFFERS: 24, SUMMARY: 48, REFLECTION: 48}

MEMBER, PRESENTER = "member", "presenter"
# (phase, role) → kinds, default first. Facilitators and process stewards may also post a
# process note at any time (permissions adds it), and ask as members on others' airtimes.
KINDS_BY_PHASE: dict[str, dict[str, tuple[str, ...]]] = {
    CLARIFYING: {MEMBER: (Kind.CLARIFYING, Kind.REFLECT_BACK), PRESENTER: (Kind.RESPONSE,)},
    PROBING: {MEMBER: (Kind.PROBING, Kind.REFLECT_BACK), PRESENTER: (Kind.RESPONSE,)},
    OFFERS: {MEMBER: (Kind.OFFER, Kind.REFLECT_BACK), PRESENTER: (Kind.RESPONSE,)},
    SUMMARY: {MEMBER: (), PRESENTER: (Kind.SUMMARY, Kind.ACTION, Kind.RESPONSE)},
    REFLECTION: {MEMBER: (Kind.REFLECTION,), PRESENTER: (Kind.REFLECTION,)},
    FINISHED: {MEMBER: (), PRESENTER: ()},
}


@dataclass(frozen=True)
class Windows:
    clarifying: int = DEFAULT_HOURS[CLARIFYING]
    probing: int = DEFAULT_HOURS[PROBING]
    offers: int = DEFAULT_HOURS[OFFERS]
    summary: int = DEFAULT_HOURS[SUMMARY]
    reflection: int = DEFAULT_HOURS[REFLECTION]

    @classmethod
    def of(cls, rnd) -> "Windows":
        return cls(rnd.clarifying_hours, rnd.probing_hours, rnd.offers_hours, rnd.summary_hours,
                   rnd.reflection_hours)

    def hours(self, phase: str) -> int:
        return getattr(self, phase)


@dataclass(frozen=True)
class Span:
    phase: str
    starts_at: datetime
    ends_at: datetime

    @property
    def label(self) -> str:
        return LABELS[self.phase]

    @property
    def purpose(self) -> str:
        return PURPOSES[self.phase]


def timeline(started_at: datetime, windows: Windows, *, offers_welcome: bool, closes_at: datetime) -> list[Span]:
    """The airtime's phases in order, each cut short by the round's closing; skipped phases (0 h,
    offers not welcome, or starting after the round closes) are left out."""
    spans, start = [], started_at
    for phase in ORDER:
        hours = windows.hours(phase) if (phase != OFFERS or offers_welcome) else 0
        if hours <= 0:
            continue
        end = start + timedelta(hours=hours)
        if start < closes_at:
            spans.append(Span(phase, start, min(end, closes_at)))
        start = end
    return spans


def phase_at(spans: list[Span], now: datetime, *, started_at: datetime) -> Span:
    """The span `now` falls in; FINISHED (from the end of the last phase) once they are all over."""
    for span in spans:  # contiguous: skipped phases leave no gap
        if now < span.ends_at:
            return span
    end = spans[-1].ends_at if spans else started_at
    return Span(FINISHED, end, end)


def kinds_for(phase: str, role: str) -> tuple[str, ...]:
    return KINDS_BY_PHASE[phase][role]


def phase_of_kind(kind: str, role: str, spans: list[Span]) -> Span | None:
    """The first phase of this airtime in which `role` may post `kind` (None: in no phase)."""
    return next((s for s in spans if kind in kinds_for(s.phase, role)), None)


# The kinds as a refusal names them, whole phrases so each language words them itself (issue 18).
_A_KIND = {
    Kind.QUESTION: _("a question"),
    Kind.REFLECTION: _("a reflection"),
    Kind.RESPONSE: _("a response"),
    Kind.SUMMARY: _("a summary"),
    Kind.CLARIFYING: _("a clarifying question"),
    Kind.PROBING: _("a probing question"),
    Kind.REFLECT_BACK: _("a reflect-back"),
    Kind.OFFER: _("an offer"),
    Kind.ACTION: _("an action commitment"),
    Kind.PROCESS_NOTE: _("a process note"),
}
_KINDS = {
    Kind.QUESTION: _("Questions"),
    Kind.REFLECTION: _("Reflections"),
    Kind.RESPONSE: _("Responses"),
    Kind.SUMMARY: _("Summaries"),
    Kind.CLARIFYING: _("Clarifying questions"),
    Kind.PROBING: _("Probing questions"),
    Kind.REFLECT_BACK: _("Reflect-backs"),
    Kind.OFFER: _("Offers"),
    Kind.ACTION: _("Action commitments"),
    Kind.PROCESS_NOTE: _("Process notes"),
}
_KINDS_IN_SENTENCE = {
    Kind.QUESTION: pgettext_lazy("kinds in a sentence", "questions"),
    Kind.REFLECTION: pgettext_lazy("kinds in a sentence", "reflections"),
    Kind.RESPONSE: pgettext_lazy("kinds in a sentence", "responses"),
    Kind.SUMMARY: pgettext_lazy("kinds in a sentence", "summaries"),
    Kind.CLARIFYING: pgettext_lazy("kinds in a sentence", "clarifying questions"),
    Kind.PROBING: pgettext_lazy("kinds in a sentence", "probing questions"),
    Kind.REFLECT_BACK: pgettext_lazy("kinds in a sentence", "reflect-backs"),
    Kind.OFFER: pgettext_lazy("kinds in a sentence", "offers"),
    Kind.ACTION: pgettext_lazy("kinds in a sentence", "action commitments"),
    Kind.PROCESS_NOTE: pgettext_lazy("kinds in a sentence", "process notes"),
}
# A phase's name inside a sentence ("the probing questions phase").
_PHASE_IN_SENTENCE = {
    CLARIFYING: pgettext_lazy("phase in a sentence", "clarifying questions"),
    PROBING: pgettext_lazy("phase in a sentence", "probing questions"),
    OFFERS: pgettext_lazy("phase in a sentence", "offers"),
    SUMMARY: pgettext_lazy("phase in a sentence", "summary and actions"),
    REFLECTION: pgettext_lazy("phase in a sentence", "reflection"),
    FINISHED: pgettext_lazy("phase in a sentence", "finished"),
}


def refusal(kind: str, *, role: str, current: Span, spans: list[Span], offers_welcome: bool,
            kind_label: str) -> str:
    """Why `kind` can't be posted now, in words that say when (or whether) it can."""
    a_kind = _A_KIND.get(kind, kind_label)
    if kind == Kind.OFFER and not offers_welcome:
        return gettext("The presenter did not ask for offers on this airtime: questions help most here.")
    if kind in (Kind.RESPONSE, Kind.SUMMARY, Kind.ACTION) and role != PRESENTER:
        return gettext("Only the presenter posts %(a_kind)s on their airtime.") % {"a_kind": a_kind}
    if kind == Kind.PROCESS_NOTE:
        return gettext("Process notes are for the facilitator (or this round's process steward).")
    when = phase_of_kind(kind, role, spans)
    if when is None:
        return gettext("You can't post %(a_kind)s on this airtime.") % {"a_kind": a_kind}
    if when.starts_at > current.starts_at:
        opens = localtime(when.starts_at)  # the reader's zone (accounts.middleware activates it)
        return gettext("%(kinds)s belong to the %(phase)s phase, which opens %(opens)s (%(zone)s). "
                       "Now is the %(current)s phase.") % {
            "kinds": _KINDS.get(kind, kind_label), "phase": _PHASE_IN_SENTENCE[when.phase],
            "opens": date_format(opens, "D j M, H:i"), "zone": opens.tzname(),
            "current": _PHASE_IN_SENTENCE[current.phase]}
    return gettext("The %(phase)s phase is over, so %(kinds)s are closed on this airtime.") % {
        "phase": _PHASE_IN_SENTENCE[when.phase], "kinds": _KINDS_IN_SENTENCE.get(kind, kind_label)}


def airtime_timeline(airtime) -> list[Span]:
    """`timeline` for an airtime whose round is loaded (select_related): no query."""
    return timeline(airtime.created_at, Windows.of(airtime.round), offers_welcome=airtime.offers_welcome,
                    closes_at=airtime.round.closes_at)


def current_phase(airtime, now) -> Span:
    """The phase `airtime` is in at `now`."""
    return phase_at(airtime_timeline(airtime), now, started_at=airtime.created_at)
