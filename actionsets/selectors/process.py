"""Reads for the set-process pages, each a fixed number of queries whatever the number of rows:
a round's page (check-ins, report-backs due, airtimes, process review) and a member's
continuity view (their issue across rounds)."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q

from ..kinds import QUESTION_KINDS
from ..models import (
    ActionCommitment,
    ActionSet,
    Airtime,
    CheckIn,
    HelpfulMark,
    Membership,
    ProcessReview,
    Reply,
    Round,
)
from .sets import rounds_of
from .threads import filter_visible, withholds_questions

Kind = Reply.Kind


@dataclass
class RoundPage:
    round: Round
    rounds: list[Round]
    check_ins: list[CheckIn]
    report_backs: list[ActionCommitment]
    airtimes: list[Airtime]
    reviews: list[ProcessReview]

    def mine(self, items, user_id: int):
        return next((item for item in items if item.author_id == user_id), None)

    @property
    def energy_counts(self) -> list[tuple[int, int]]:
        """(energy, members) for 1..5: how the set is arriving, without names."""
        return [(n, sum(1 for c in self.check_ins if c.energy == n)) for n in range(1, 6)]


def round_page(action_set: ActionSet, rnd: Round) -> RoundPage:
    """5 queries: rounds, check-ins, report-backs due this round, airtimes, process reviews."""
    return RoundPage(
        round=rnd,
        rounds=rounds_of(action_set),
        check_ins=list(CheckIn.objects.filter(round=rnd).select_related("author").order_by("created_at")),
        # Commitments made in earlier rounds that fall due now, each with its report-back (if any)
        # and a link back to the airtime it came from.
        report_backs=list(
            ActionCommitment.objects.filter(due_round=rnd).select_related("owner", "airtime__round")
            .order_by("owner__display_name", "created_at")
        ),
        airtimes=list(Airtime.objects.filter(round=rnd).select_related("presenter").order_by("created_at")),
        reviews=list(ProcessReview.objects.filter(round=rnd).select_related("author").order_by("created_at")),
    )


# --- Continuity ---------------------------------------------------------------------------------


@dataclass
class ContinuityRound:
    round: Round
    airtime: Airtime | None = None
    questions: list[Reply] = field(default_factory=list)
    withheld: int = 0
    responses: int = 0
    summaries: list[Reply] = field(default_factory=list)
    commitments: list[ActionCommitment] = field(default_factory=list)
    reported: list[ActionCommitment] = field(default_factory=list)   # due this round: outcomes
    reflections: list[Reply] = field(default_factory=list)
    # The member's questions that helped another presenter this round (HelpfulMark): shown to the
    # member themself and the facilitators only — never to peers.
    helped: list[HelpfulMark] = field(default_factory=list)


def continuity_for(action_set: ActionSet, member: Membership, *, viewer_id: int, viewer_is_facilitator: bool,
                   now: datetime) -> list[ContinuityRound]:
    """A member's issue across the rounds: each round's presentation, the questions they received,
    their summary, the actions they committed to, the outcomes they reported, and what they wrote
    in reflection phases. 4 queries (5 for the member themself or a facilitator: the questions of theirs that helped).
    Ask-before-you-see applies to the viewer as on the thread."""
    user_id = member.user_id
    rounds = rounds_of(action_set)
    by_round = {r.pk: ContinuityRound(round=r) for r in rounds}
    airtimes = {a.pk: a for a in Airtime.objects.filter(action_set=action_set, presenter_id=user_id)
                .select_related("round")}
    for airtime in airtimes.values():
        airtime.action_set = action_set
        by_round[airtime.round_id].airtime = airtime
    replies = list(
        Reply.objects.filter(Q(airtime_id__in=airtimes) | Q(author_id=user_id, kind=Kind.REFLECTION,
                                                            airtime__action_set=action_set))
        .select_related("author", "airtime").order_by("airtime_id", "path")
    )
    _place_replies(by_round, airtimes, replies, user_id=user_id, viewer_id=viewer_id,
                   viewer_is_facilitator=viewer_is_facilitator, action_set=action_set, now=now)
    for commitment in ActionCommitment.objects.filter(owner_id=user_id, airtime__action_set=action_set) \
            .select_related("airtime", "due_round").order_by("created_at"):
        by_round[commitment.airtime.round_id].commitments.append(commitment)
        if commitment.due_round_id in by_round:
            by_round[commitment.due_round_id].reported.append(commitment)
    if viewer_id == user_id or viewer_is_facilitator:
        for mark in helpful_marks_for(action_set, user_id):
            mark.reply.airtime.action_set = action_set  # links: not a query per mark
            by_round[mark.reply.airtime.round_id].helped.append(mark)
    return [entry for entry in by_round.values()
            if entry.airtime or entry.commitments or entry.reported or entry.reflections or entry.helped]


def helpful_marks_for(action_set: ActionSet, author_id: int) -> list[HelpfulMark]:
    """The marks on `author_id`'s questions in this set, oldest first, with the reply, its airtime
    and presenter loaded: one query. Hidden replies are left out (they are not quoted)."""
    return list(
        HelpfulMark.objects.filter(reply__author_id=author_id, reply__airtime__action_set=action_set,
                                   reply__hidden=False)
        .select_related("reply__airtime__presenter").order_by("created_at")
    )


def _place_replies(by_round, airtimes, replies, *, user_id, viewer_id, viewer_is_facilitator, action_set, now):
    own = [r for r in replies if r.airtime_id in airtimes]
    for airtime in airtimes.values():
        thread = [r for r in own if r.airtime_id == airtime.pk]
        withhold = withholds_questions(user_id=viewer_id, airtime=airtime, action_set=action_set, replies=thread,
                                       now=now, is_facilitator=viewer_is_facilitator)
        visible, withheld = filter_visible(thread, user_id=viewer_id, withhold=withhold)
        visible = [r for r in visible if not r.hidden]  # hidden by the facilitator: not quoted here
        entry = by_round[airtime.round_id]
        entry.withheld = withheld
        entry.questions = [r for r in visible if r.kind in QUESTION_KINDS and r.author_id != user_id]
        entry.responses = sum(1 for r in visible if r.kind == Kind.RESPONSE and r.author_id == user_id)
        entry.summaries = [r for r in visible if r.kind == Kind.SUMMARY and r.author_id == user_id]
    for reply in replies:
        if reply.author_id == user_id and reply.kind == Kind.REFLECTION and not reply.hidden:
            by_round[reply.airtime.round_id].reflections.append(reply)
