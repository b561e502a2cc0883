"""Rounds run themselves: the round-open email and the 24-hour closing reminder.

A round's state is derived from `opens_at`/`closes_at`, so nothing has to flip a flag; "opening"
a round means telling its members, once each. The Nudge table records it (kind `round_open` or
`round_closing`, period `round:<id>`), with the same exactly-once recording as nudges, guarded by
a lock on the round's row.

- Round open: every current member who has not muted the set, during the first 72 hours (so a
  deploy, or a late-scheduled round, does not email about rounds long under way). It is the
  set's timetable, not a reminder, so it goes to people with nudges off too.
- Closing in 24 h: learners with nudges on who have not presented in the round, or have not yet
  replied to anyone else's airtime in it, told exactly which.
Both wait for the recipient's morning if the moment falls in their night.
"""

from collections import defaultdict
from datetime import datetime, timedelta

from django.db.models import Exists, F, OuterRef, Q

from actionsets.models import ActionCommitment, ActionSet, Airtime, Membership, Reply, Round

from .decisions import PlannedEmail, existing_keys, nudge_key, record_planned
from .effects import with_visit_links
from .emails import build_email, set_url
from .models import Nudge
from .nudges import reachable, when
from .outbox import chunks
from .unsubscribe import set_scope

ROUND_OPEN_WINDOW = timedelta(hours=72)
CLOSING_NOTICE = timedelta(hours=24)
BATCH_SIZE = 20


def _in_a_window(now: datetime, prefix: str = "") -> Q:
    opening = Q(**{f"{prefix}opens_at__lte": now, f"{prefix}opens_at__gt": now - ROUND_OPEN_WINDOW})
    closing = Q(**{f"{prefix}closes_at__gt": now, f"{prefix}closes_at__lte": now + CLOSING_NOTICE})
    return (opening | closing) & Q(**{f"{prefix}closes_at__gt": now})


def sets_with_round_news(now: datetime) -> list[int]:
    rounds = Round.objects.filter(_in_a_window(now), action_set=OuterRef("pk"))
    live = ActionSet.objects.filter(archived=False).filter(Exists(rounds)).order_by("pk")
    return list(live.values_list("pk", flat=True))


def dispatch_round_emails(*, now: datetime, enqueue) -> int:
    ids = sets_with_round_news(now)
    for batch in chunks(ids, BATCH_SIZE):
        enqueue(batch)
    return len(ids)


def _rounds(set_ids: list[int], now: datetime):
    return Round.objects.filter(_in_a_window(now), action_set_id__in=set_ids, action_set__archived=False)


def plan_round_emails(set_ids: list[int], *, now: datetime) -> list[PlannedEmail]:
    """Round-open and closing emails due now in these sets. Six queries for the batch."""
    rounds = list(_rounds(set_ids, now).select_related("action_set"))
    if not rounds:
        return []
    members: dict[int, list[Membership]] = defaultdict(list)
    set_ids = {r.action_set_id for r in rounds}
    for m in (Membership.objects.current().filter(action_set_id__in=set_ids).exclude(role=Membership.Role.RESEARCHER)
              .select_related("user")):  # a researcher gets no email about the set (issue 17)
        members[m.action_set_id].append(m)
    presented = set(Airtime.objects.filter(round__in=rounds).values_list("presenter_id", "round_id"))
    replied = set(
        Reply.objects.filter(airtime__round__in=rounds).exclude(author_id=F("airtime__presenter_id"))
        .values_list("author_id", "airtime__round_id").distinct()
    )
    owed: dict[tuple[int, int], list[ActionCommitment]] = defaultdict(list)
    for c in (ActionCommitment.objects.filter(status=ActionCommitment.Status.OPEN, due_round__in=rounds)
              .defer("report_back", "report_back_html")):
        owed[(c.owner_id, c.due_round_id)].append(c)
    candidates = []
    for rnd in rounds:
        for m in members[rnd.action_set_id]:
            if now - rnd.opens_at < ROUND_OPEN_WINDOW and reachable(m, now, duty=True):
                candidates.append((rnd, m, Nudge.Kind.ROUND_OPEN))
            missing = _missing(m, rnd, presented, replied)
            if rnd.closes_at - now <= CLOSING_NOTICE and missing and reachable(m, now):
                candidates.append((rnd, m, Nudge.Kind.ROUND_CLOSING))
    nudges = [Nudge(user=m.user, action_set=rnd.action_set, kind=kind, period=f"round:{rnd.pk}", sent_at=now)
              for rnd, m, kind in candidates]
    done = existing_keys(nudges)
    return [
        _plan(rnd, m, nudge, now, owed=owed.get((m.user_id, rnd.pk), []), missing=_missing(m, rnd, presented, replied))
        for (rnd, m, _), nudge in zip(candidates, nudges, strict=True)
        if nudge_key(nudge) not in done
    ]


def _missing(m: Membership, rnd: Round, presented: set, replied: set) -> list[str]:
    if m.is_facilitator:
        return []
    missing = []
    if (m.user_id, rnd.pk) not in presented:
        missing.append("present")
    if (m.user_id, rnd.pk) not in replied:
        missing.append("reply")
    return missing


def _plan(rnd: Round, m: Membership, nudge: Nudge, now: datetime, *, owed, missing) -> PlannedEmail:
    action_set = rnd.action_set
    context = {
        "set_name": action_set.name, "set_url": set_url(action_set.slug), "round_number": rnd.number,
        "opens": when(rnd.opens_at, m.user), "closes": when(rnd.closes_at, m.user),
        "is_facilitator": m.is_facilitator, "present_url": set_url(action_set.slug, "airtime_new"),
        "commitments_url": set_url(action_set.slug, "commitments"), "owed_count": len(owed),
        "owed": [] if action_set.confidential_digests else [c.text for c in owed],
        "missing": missing, "member_count": None,
    }
    template = "round_open" if nudge.kind == Nudge.Kind.ROUND_OPEN else "round_closing"
    email = build_email(
        user=m.user, template=template, context=context, category=f"round.{template}",
        key=f"{template}.{m.user_id}.{rnd.pk}", unsubscribe_scope=set_scope(action_set.pk),
    )
    with_visit_links(email)  # measured like the nudges (engagement/effects.py)
    line = f"{nudge.get_kind_display()} (round {rnd.number})"
    return PlannedEmail(m.user, action_set, [nudge], email, rnd.pk, [line])


def run_round_email_batch(set_ids: list[int], *, now: datetime) -> list[PlannedEmail]:
    return record_planned(plan_round_emails(set_ids, now=now), locks=_rounds(set_ids, now))
