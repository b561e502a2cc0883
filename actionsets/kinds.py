"""Reply kinds grouped by what they do in the set process: the ONE place the groupings live.

The phases (actionsets/phases.py) decide which kinds a person may post when; these groups decide
how the kinds are counted and treated elsewhere — the facilitator dashboard, the advice nudge,
"who hasn't asked yet", ask-before-you-see, the presenter's list of unanswered questions.

`question` and (for facilitators) `summary` are the kinds from before the set process had phases.
Old rows were migrated (0004/0005 migrations) but the values stay readable, and a caller that still
asks to post a `question` or a facilitator `summary` gets today's equivalent (`resolve_kind`).
"""

from django.utils.translation import gettext_lazy as _

from .models import Reply

Kind = Reply.Kind

# Questions put to the presenter. Reflect-backs ("I understood you to mean … — is that right?")
# are questions of understanding: they count as questions everywhere.
QUESTION_KINDS = (Kind.QUESTION, Kind.CLARIFYING, Kind.PROBING, Kind.REFLECT_BACK)

# What the presenter may mark as "this helped me see it differently" (HelpfulMark): the questions
# and reflect-backs others put to them.
HELPFUL_KINDS = QUESTION_KINDS

# What the presenter can answer with a response: any question, an offer, a facilitator's time-out.
ANSWERABLE_KINDS = (*QUESTION_KINDS, Kind.OFFER, Kind.PROCESS_NOTE)

# Written by the presenter on their own airtime.
PRESENTER_KINDS = (Kind.RESPONSE, Kind.SUMMARY, Kind.ACTION)

# Facilitators' (and process stewards') comments on the process: time-outs, summaries, re-framing.
PROCESS_KINDS = (Kind.PROCESS_NOTE,)

# The advice nudge looks at these before they are posted. Offers are invited advice: not nudged.
NUDGED_KINDS = (Kind.QUESTION, Kind.CLARIFYING, Kind.PROBING, Kind.REFLECT_BACK)

# The dashboard keeps its four columns (facilitation/analytics.py): each new kind is counted in
# the column whose job it does. Offers sit with reflections as the members' non-question help.
DASHBOARD_GROUPS: dict[str, tuple[str, ...]] = {
    "question": QUESTION_KINDS,
    "reflection": (Kind.REFLECTION, Kind.OFFER),
    "response": PRESENTER_KINDS,
    "summary": PROCESS_KINDS,
}
DASHBOARD_LABELS = {
    "question": _("Questions (clarifying, probing, reflect-back)"),
    "reflection": _("Reflections and offers"),
    "response": _("Presenter: responses, summaries, actions"),
    "summary": _("Process notes"),
}
# "Help replies" for the process-quality shares and advice signals: what members write to help
# a presenter, except invited offers (their advice is wanted, so it is not a signal).
HELP_KINDS = (*QUESTION_KINDS, Kind.REFLECTION)


def group_of(kind: str) -> str:
    for group, kinds in DASHBOARD_GROUPS.items():
        if kind in kinds:
            return group
    return "reflection"


def resolve_kind(kind: str | None, allowed: list[str]) -> str | None:
    """Today's kind for what the caller asked: None → the default (first allowed); the legacy
    `question` → the question kind of the current phase; a facilitator's legacy `summary` (when the
    presenter's `summary` is not on offer) → a process note."""
    if not kind:
        return allowed[0] if allowed else None
    if kind == Kind.QUESTION:
        return next((k for k in (Kind.CLARIFYING, Kind.PROBING) if k in allowed), kind)
    if kind == Kind.SUMMARY and kind not in allowed and Kind.PROCESS_NOTE in allowed:
        return Kind.PROCESS_NOTE
    return kind
