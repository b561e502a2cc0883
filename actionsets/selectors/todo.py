"""What waits for me, per set, most urgent first: home's to-do list and the set page's.

One line per thing to do, each with its deadline: questions waiting for my answer (the same
definition as the digest's, `waiting.waiting_for`, with ask-before-you-see as the thread applies
it), airtimes I have not asked on yet in their current question phase, my airtime to present (or
that I presented), commitments to report back on, the round's check-in and process review while
they are open. A member who has not accepted the ground rules gets one line: accept them.

Five queries whatever the number of sets and items: rounds (with my check-in and review), open
airtimes (with my last question on each), waiting replies, the questions ask-before-you-see may
withhold, my open commitments.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Exists, OuterRef, Subquery

from .. import phases
from ..kinds import QUESTION_KINDS
from ..models import (
    ActionCommitment,
    ActionSet,
    Airtime,
    CheckIn,
    Membership,
    ProcessReview,
    Reply,
    Round,
)
from .sets import current_round
from .waiting import AIRTIME_HEAVY, in_open_round, waiting_for

# Same deadline: the order a person would do them in.
KINDS = ("rules", "waiting", "present", "ask", "report_back", "check_in", "review", "presented")
QUESTION_PHASES = (phases.CLARIFYING, phases.PROBING)


@dataclass
class TodoItem:
    kind: str  # one of KINDS: the template words each one
    due: datetime | None = None
    airtime: Airtime | None = None
    reply: Reply | None = None
    commitment: ActionCommitment | None = None
    round: Round | None = None
    phase: str = ""  # the airtime's current phase label, for "ask"
    airtime_phase: str = ""  # …and its key (actionsets.phases), for the definition on hover


@dataclass
class SetTodo:
    membership: Membership
    round: Round | None
    items: list[TodoItem] = field(default_factory=list)

    @property
    def action_set(self) -> ActionSet:
        return self.membership.action_set


# `review_window(round) -> (opens, closes)` is the process service's: passed in by the view, as
# selectors sit below services (an import would loop through permissions).
ReviewWindow = Callable[[Round], tuple[datetime, datetime]]


def todo_for(user, memberships: list[Membership], *, now: datetime, review_window: ReviewWindow) -> list[SetTodo]:
    """A to-do list per membership (each with its set loaded), in the order given."""
    set_ids = [m.action_set_id for m in memberships]
    if not set_ids:
        return []
    rounds = _rounds(user, set_ids)
    airtimes = _open_airtimes(user, set_ids, now)
    waiting = waiting_for(user, set_ids, {m.action_set_id: m for m in memberships}, now=now)
    commitments = list(
        ActionCommitment.objects.filter(owner=user, status=ActionCommitment.Status.OPEN,
                                        airtime__action_set_id__in=set_ids)
        .select_related("airtime", "due_round").defer(*(f"airtime__{name}" for name in AIRTIME_HEAVY))
        .order_by("created_at")
    )
    sets = {m.action_set_id: m.action_set for m in memberships}
    by_id = {a.pk: a for a in airtimes}  # with their presenters: one object per airtime
    for r in waiting:  # waiting replies are always on open airtimes
        r.airtime = by_id.get(r.airtime_id, r.airtime)
    for airtime in (*airtimes, *(r.airtime for r in waiting), *(c.airtime for c in commitments)):
        airtime.action_set = sets[airtime.action_set_id]  # links need its slug: no query per line
    todos = []
    for m in memberships:
        set_rounds = [r for r in rounds if r.action_set_id == m.action_set_id]
        todo = SetTodo(m, current_round(set_rounds, now))
        if not m.has_accepted_rules:
            todo.items = [TodoItem("rules")]
        elif not (m.action_set.archived or m.action_set.is_closed):
            todo.items = _items(
                user, m, todo.round, now=now, review_window=review_window, rounds=set_rounds,
                airtimes=[a for a in airtimes if a.action_set_id == m.action_set_id],
                waiting=[r for r in waiting if r.airtime.action_set_id == m.action_set_id],
                commitments=[c for c in commitments if c.airtime.action_set_id == m.action_set_id],
            )
        todos.append(todo)
    return todos


def _items(user, m: Membership, current: Round | None, *, now, review_window, rounds, airtimes, waiting,
           commitments) -> list[TodoItem]:
    if m.is_researcher:  # reads the set, takes no part: nothing to do there
        return []
    items = [TodoItem("waiting", due=r.airtime.round.closes_at, airtime=r.airtime, reply=r) for r in waiting]
    is_open = current is not None and current.state_at(now) == Round.State.OPEN
    mine = next((a for a in airtimes if a.presenter_id == user.pk), None)
    takes_airtimes = m.action_set.state != ActionSet.State.FORMING  # a forming set has no airtimes yet
    if is_open and not m.is_facilitator and (mine or takes_airtimes):
        items.append(TodoItem("presented", airtime=mine, round=current) if mine
                     else TodoItem("present", due=current.closes_at, round=current))
    for airtime in airtimes:
        if m.is_facilitator or airtime.presenter_id == user.pk or airtime.locked:
            continue
        span = phases.current_phase(airtime, now)
        asked = airtime.my_last_question_at is not None and airtime.my_last_question_at >= span.starts_at
        if span.phase in QUESTION_PHASES and not asked:
            items.append(TodoItem("ask", due=span.ends_at, airtime=airtime, phase=span.label, airtime_phase=span.phase))
    for c in commitments:
        items.append(TodoItem("report_back", due=c.due_round.closes_at if c.due_round else None, commitment=c))
    if is_open and not m.is_facilitator and not current.checked_in:  # facilitators hold the space
        items.append(TodoItem("check_in", due=current.closes_at, round=current))
    for rnd in rounds:
        opens, closes = review_window(rnd)
        if opens <= now < closes and not rnd.reviewed:
            items.append(TodoItem("review", due=closes, round=rnd))
    last = datetime.max.replace(tzinfo=now.tzinfo)
    return sorted(items, key=lambda i: (i.due or last, KINDS.index(i.kind)))


def _rounds(user, set_ids) -> list[Round]:
    return list(
        Round.objects.filter(action_set_id__in=set_ids)
        .annotate(checked_in=Exists(CheckIn.objects.filter(round=OuterRef("pk"), author=user)),
                  reviewed=Exists(ProcessReview.objects.filter(round=OuterRef("pk"), author=user)))
        .order_by("action_set_id", "number", "pk")
    )


def _open_airtimes(user, set_ids, now) -> list[Airtime]:
    """Airtimes of open rounds, oldest first, with when I last asked on each (a question's kinds)."""
    my_last_question = (
        Reply.objects.filter(airtime=OuterRef("pk"), author=user, kind__in=QUESTION_KINDS)
        .order_by("-created_at").values("created_at")[:1]
    )
    return list(
        Airtime.objects.filter(in_open_round(now), action_set_id__in=set_ids)
        .select_related("round", "presenter").defer(*AIRTIME_HEAVY)
        .annotate(my_last_question_at=Subquery(my_last_question))
        .order_by("created_at", "pk")
    )


def my_memberships(user) -> list[Membership]:
    """My current memberships with their sets, by set name: preferences' per-set email table."""
    return list(Membership.objects.current().filter(user=user).select_related("action_set")
                .defer("action_set__ground_rules", "action_set__ground_rules_html").order_by("action_set__name"))


def presented_in(user, rnd: Round | None) -> Airtime | None:
    """My airtime in this round, if I presented in it: the form to present says so before I write."""
    if rnd is None:
        return None
    return Airtime.objects.filter(round=rnd, presenter=user).defer(*AIRTIME_HEAVY).first()
