"""Nudges: when a set goes quiet, say what is waiting — kindly, once, and never at night.

Kinds (each at most once per (user, set, kind, period), the Nudge table's unique key):
- quiet member: nothing posted in the open round for the set's `quiet_after_days` (counted from
  the round's opening, their joining, or their last post in it, whichever is latest) → a nudge
  naming what is waiting for them. Still quiet one more such period → the set's facilitators are
  told, with the member's last activity (also when the member has turned nudges off).
- unanswered airtime: no reply from anyone but the presenter 48 h after it was posted → the
  other members are nudged.
- questions waiting: a question on your airtime unanswered for 72 h → you are nudged.
- report-back due: your open commitments are due in a round that opened 48 h ago and you have not
  reported back.
Several nudges for one person about one set at one tick travel in one email. Muted memberships get
nothing for that set; people with nudges off get none; anyone in their 22:00–07:00 is deferred to
a later hourly run (nothing is recorded, so nothing is lost). A nudge names only posts its reader
may see in the thread now (ask before you see: `activity.AskFirst`).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone

from actionsets.kinds import QUESTION_KINDS
from actionsets.models import ActionCommitment, ActionSet, Airtime, Membership, Reply, Round

from . import activity
from .decisions import PlannedEmail, email_key, existing_keys, nudge_key, record_planned
from .effects import with_visit_links
from .emails import build_email, set_url, thread_url
from .inbound.tokens import reply_address
from .models import Nudge
from .outbox import chunks
from .schedule import is_quiet_hours, local_label
from .unsubscribe import NUDGES, set_scope

UNANSWERED_AFTER = timedelta(hours=48)
QUESTIONS_WAITING_AFTER = timedelta(hours=72)
REPORT_BACK_AFTER = timedelta(hours=48)
BATCH_SIZE = 20  # sets per task
Kind = Nudge.Kind


def when(moment: datetime, user) -> str:
    return local_label(moment, user.timezone)


def reachable(membership: Membership, now: datetime, *, duty: bool = False) -> bool:
    """May this member be emailed about this set now? Duty emails (escalations) ignore the
    member's own nudge switch, never a mute, and nobody is emailed at night."""
    user = membership.user
    if membership.notification_level == Membership.NotificationLevel.MUTED or not user.is_active:
        return False
    if membership.is_researcher:  # never nudged: a researcher takes no part (issue 17)
        return False
    if not duty and not user.nudges_enabled:
        return False
    return not is_quiet_hours(user.timezone, now)


@dataclass
class SetState:
    """One set's open round and everything the nudge rules read, from the batch's queries."""

    action_set: ActionSet
    round: Round
    members: list[Membership]
    airtimes: list[Airtime]
    replied: dict[tuple[int, int], tuple[datetime, int]]  # (author, airtime) → (last reply, visible count)
    last_ever: dict[int, datetime]
    waiting: list[Reply]
    commitments: list[ActionCommitment]
    ask_first: activity.AskFirst

    @property
    def facilitators(self) -> list[Membership]:
        return [m for m in self.members if m.is_facilitator]

    def last_in_round(self, user_id: int) -> datetime | None:
        times = [at for (author, _), (at, _) in self.replied.items() if author == user_id]
        times += [a.created_at for a in self.airtimes if a.presenter_id == user_id]
        return max(times, default=None)

    def quiet_since(self, membership: Membership) -> datetime:
        moments = [self.round.opens_at, membership.joined_at, self.last_in_round(membership.user_id)]
        return max(m for m in moments if m is not None)

    def waiting_for(self, membership: Membership) -> list[Reply]:
        """Replies waiting for this member's answer that they may see in the thread now."""
        waiting = [r for r in self.waiting if r.addressed_id == membership.user_id]
        return self.ask_first.visible(waiting, user_id=membership.user_id, action_set=self.action_set,
                                      is_facilitator=membership.is_facilitator)

    def not_yet_replied(self, user_id: int) -> list[Airtime]:
        return [a for a in self.airtimes if a.presenter_id != user_id and (user_id, a.pk) not in self.replied]


def load(set_ids: list[int], *, now: datetime) -> list[SetState]:
    """Nine queries for the whole batch, whatever the number of sets, members and posts."""
    rounds = {
        r.action_set_id: r
        for r in Round.objects.filter(opens_at__lte=now, closes_at__gt=now, action_set_id__in=set_ids,
                                      action_set__archived=False).select_related("action_set")
    }
    if not rounds:
        return []
    members: dict[int, list[Membership]] = defaultdict(list)
    # Researchers take no part (issue 17): never nudged, never "quiet", never escalated about.
    for m in (Membership.objects.current().filter(action_set_id__in=rounds).exclude(role=Membership.Role.RESEARCHER)
              .select_related("user")):
        members[m.action_set_id].append(m)
    airtimes: dict[int, list[Airtime]] = defaultdict(list)
    for a in activity.airtimes(round__in=rounds.values()).order_by("created_at"):
        airtimes[a.action_set_id].append(a)
    replied = defaultdict(dict)
    for row in (Reply.objects.filter(airtime__round__in=rounds.values())
                .values("author_id", "airtime_id", "airtime__action_set_id")
                .annotate(last=Max("created_at"), visible=Count("pk", filter=Q(hidden=False)))):
        replied[row["airtime__action_set_id"]][(row["author_id"], row["airtime_id"])] = (row["last"], row["visible"])
    last_ever: dict[int, dict[int, datetime]] = defaultdict(dict)
    for model, who in ((Reply, "author_id"), (Airtime, "presenter_id")):
        where = "airtime__action_set_id" if model is Reply else "action_set_id"
        latest = model.objects.filter(**{f"{where}__in": list(rounds)}).values(who, where)
        for row in latest.annotate(last=Max("created_at")):
            seen = last_ever[row[where]].get(row[who])
            last_ever[row[where]][row[who]] = max(filter(None, (seen, row["last"])))
    user_ids = {m.user_id for ms in members.values() for m in ms}
    waiting = defaultdict(list)
    for reply in activity.waiting_replies(user_ids=user_ids, set_ids=list(rounds), now=now):
        waiting[reply.airtime.action_set_id].append(reply)
    commitments = defaultdict(list)
    for c in (ActionCommitment.objects.filter(status=ActionCommitment.Status.OPEN, reported_at__isnull=True,
                                              due_round__in=rounds.values())
              .select_related("airtime").defer(*(f"airtime__{f}" for f in activity.AIRTIME_HEAVY))):
        commitments[c.airtime.action_set_id].append(c)
    ask_first = activity.AskFirst(activity.questions_that_may_be_withheld(set_ids=list(rounds), now=now), now=now)
    return [
        SetState(r.action_set, r, members[sid], airtimes[sid], replied[sid], last_ever[sid], waiting[sid],
                 commitments[sid], ask_first)
        for sid, r in rounds.items()
    ]


# --- The rules: each returns (membership, Nudge, line of what it says) candidates -----------


def _nudge(m: Membership, state: SetState, kind: str, period: str, about=None) -> Nudge:
    return Nudge(user=m.user, action_set=state.action_set, kind=kind, period=period, about_user=about)


def quiet_candidates(state: SetState, now: datetime):
    threshold = timedelta(days=state.action_set.quiet_after_days)
    if not threshold:
        return
    for m in state.members:
        if m.is_facilitator:
            continue
        since = state.quiet_since(m)
        if now - since < threshold:
            continue
        period = f"round:{state.round.pk}:since:{since:%Y%m%dT%H%M%S}"
        if reachable(m, now):
            yield m, _nudge(m, state, Kind.QUIET_MEMBER, period), ("quiet", since)
        if now - since >= 2 * threshold:
            for f in state.facilitators:
                if f.user_id != m.user_id and reachable(f, now, duty=True):
                    yield f, _nudge(f, state, Kind.QUIET_ESCALATION, f"member:{m.user_id}:{period}", m.user), (
                        m.user, since)


def unanswered_candidates(state: SetState, now: datetime):
    for airtime in state.airtimes:
        if airtime.locked or now - airtime.created_at < UNANSWERED_AFTER:
            continue
        answered = any(
            a == airtime.pk and author != airtime.presenter_id and visible
            for (author, a), (_, visible) in state.replied.items()
        )
        if answered:
            continue
        for m in state.members:
            if m.user_id != airtime.presenter_id and reachable(m, now):
                yield m, _nudge(m, state, Kind.UNANSWERED_AIRTIME, f"airtime:{airtime.pk}"), airtime


def questions_waiting_candidates(state: SetState, now: datetime):
    by_user = {m.user_id: m for m in state.members}
    for airtime in state.airtimes:
        # Top-level questions, and follow-up questions to the presenter's own replies.
        presenter = by_user.get(airtime.presenter_id)
        if presenter is None:
            continue
        questions = [r for r in state.waiting_for(presenter)  # the presenter sees every question
                     if r.airtime_id == airtime.pk and r.kind in QUESTION_KINDS]
        if not questions or now - questions[0].created_at < QUESTIONS_WAITING_AFTER:
            continue
        if reachable(presenter, now):
            period = f"airtime:{airtime.pk}:question:{questions[0].pk}"
            yield presenter, _nudge(presenter, state, Kind.QUESTIONS_WAITING, period), (airtime, questions)


def report_back_candidates(state: SetState, now: datetime):
    if now - state.round.opens_at < REPORT_BACK_AFTER:
        return
    by_user = {m.user_id: m for m in state.members}
    owed: dict[int, list[ActionCommitment]] = defaultdict(list)
    for c in state.commitments:
        owed[c.owner_id].append(c)
    for owner_id, commitments in owed.items():
        m = by_user.get(owner_id)
        if m is not None and reachable(m, now):
            yield m, _nudge(m, state, Kind.REPORT_BACK_DUE, f"round:{state.round.pk}"), commitments


RULES = (quiet_candidates, unanswered_candidates, questions_waiting_candidates, report_back_candidates)


def _member_context(state: SetState, m: Membership, items: list, now: datetime) -> dict:
    secret = state.action_set.confidential_digests
    slug = state.action_set.slug
    ctx = {"set_name": state.action_set.name, "set_url": set_url(slug), "confidential": secret,
           "round_number": state.round.number, "closes": when(state.round.closes_at, m.user),
           "quiet": None, "unanswered": [], "questions": [], "report_back": None}
    for nudge, detail in items:
        if nudge.kind == Kind.QUIET_MEMBER:
            waiting = state.waiting_for(m)
            ctx["quiet"] = {
                "days": (now - detail[1]).days,
                "presented": any(a.presenter_id == m.user_id for a in state.airtimes),
                "present_url": set_url(slug, "airtime_new"),
                "not_replied": [(a.title, a.presenter.name, thread_url(slug, a.pk))
                                for a in state.not_yet_replied(m.user_id)],
                "waiting": [(r.author.name, r.airtime.title, thread_url(slug, r.airtime_id, r.pk)) for r in waiting],
            }
        elif nudge.kind == Kind.UNANSWERED_AIRTIME:
            ctx["unanswered"].append((detail.title, detail.presenter.name, thread_url(slug, detail.pk),
                                      int((now - detail.created_at).total_seconds() // 3600)))
        elif nudge.kind == Kind.QUESTIONS_WAITING:
            airtime, questions = detail
            ctx["questions"].append({
                "title": airtime.title, "count": len(questions), "days": (now - questions[0].created_at).days,
                "url": thread_url(slug, airtime.pk, questions[0].pk),
                "askers": sorted({q.author.name for q in questions}),
            })
        elif nudge.kind == Kind.REPORT_BACK_DUE:
            ctx["report_back"] = {"count": len(detail), "url": set_url(slug, "commitments"),
                                  "texts": [] if secret else [c.text for c in detail]}
    return ctx


def _escalation_context(state: SetState, f: Membership, items: list, now: datetime) -> dict:
    people = []
    for _, (member, since) in items:
        last = state.last_ever.get(member.pk)
        people.append({
            "name": member.name, "email": member.email, "days": (now - since).days,
            "last_activity": when(last, f.user) if last else None, "nudges_off": not member.nudges_enabled,
        })
    return {"set_name": state.action_set.name, "set_url": set_url(state.action_set.slug),
            "round_number": state.round.number, "closes": when(state.round.closes_at, f.user),
            "quiet_after_days": state.action_set.quiet_after_days,
            "escalate_after_days": 2 * state.action_set.quiet_after_days, "people": people}


def _reply_to(state: SetState, m: Membership, items: list) -> str | None:
    """An email about one airtime can be answered by email: "questions waiting" answers the first
    question waiting, "unanswered airtime" replies to the airtime. Several nudges: no Reply-To."""
    if len(items) != 1 or items[0][0].kind not in (Kind.QUESTIONS_WAITING, Kind.UNANSWERED_AIRTIME):
        return None
    nudge, detail = items[0]
    airtime, answered = (detail[0], detail[1][0].pk) if nudge.kind == Kind.QUESTIONS_WAITING else (detail, None)
    return reply_address(user_id=m.user_id, airtime_id=airtime.pk, reply_id=answered,
                         closes_at=state.round.closes_at, now=timezone.now())


def plan_nudges(set_ids: list[int], *, now: datetime) -> list[PlannedEmail]:
    """Every nudge due in these sets at `now` and not yet sent, grouped into emails. Ten queries."""
    candidates = [(state, m, nudge, detail) for state in load(set_ids, now=now)
                  for rule in RULES for m, nudge, detail in rule(state, now)]
    done = existing_keys([c[2] for c in candidates])
    groups: dict[tuple, list] = defaultdict(list)
    for state, m, nudge, detail in candidates:
        nudge.sent_at = now  # the tick's time: the 48 hours of engagement/effects.py run from it
        if nudge_key(nudge) not in done:
            escalation = nudge.kind == Kind.QUIET_ESCALATION
            groups[(escalation, m.user_id, state.action_set.pk)].append((state, m, nudge, detail))
    planned = []
    for (escalation, _, _), group in groups.items():
        state, m = group[0][0], group[0][1]
        items = [(nudge, detail) for _, _, nudge, detail in group]
        nudges = [nudge for nudge, _ in items]
        if escalation:
            email = build_email(user=m.user, template="quiet_escalation", category="nudge.escalation",
                                context=_escalation_context(state, m, items, now),
                                key=email_key("escalation", nudges), unsubscribe_scope=set_scope(state.action_set.pk))
            email = with_visit_links(email)
        else:
            email = build_email(user=m.user, template="nudge", category="nudge",
                                context=_member_context(state, m, items, now),
                                key=email_key("nudge", nudges), unsubscribe_scope=NUDGES,
                                reply_to=_reply_to(state, m, items))
            email = with_visit_links(email)
        lines = [f"{n.get_kind_display()} ({n.period})" for n in nudges]
        planned.append(PlannedEmail(m.user, state.action_set, nudges, email, state.action_set.pk, lines))
    return planned


def run_nudge_batch(set_ids: list[int], *, now: datetime) -> list[PlannedEmail]:
    return record_planned(plan_nudges(set_ids, now=now), locks=ActionSet.objects.filter(pk__in=set_ids))


def sets_with_open_round(now: datetime) -> list[int]:
    open_round = Round.objects.filter(action_set=OuterRef("pk"), opens_at__lte=now, closes_at__gt=now)
    return list(ActionSet.objects.filter(archived=False).filter(Exists(open_round)).order_by("pk")
                .values_list("pk", flat=True))


def dispatch_nudges(*, now: datetime, enqueue) -> int:
    ids = sets_with_open_round(now)
    for batch in chunks(ids, BATCH_SIZE):
        enqueue(batch)
    return len(ids)
