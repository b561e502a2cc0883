"""Reads for the set pages and home: airtimes with read state, rounds, members, commitments, the
process steward. Each page costs a fixed number of queries whatever the number of rows.

Unread state follows Misago's read tracker: one ReadMarker per (user, airtime); an airtime is
unread when its `last_activity_at` is after the marker, and "new" replies are those created after
it. Nothing is written here."""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext, ngettext, pgettext

from .. import phases
from ..kinds import QUESTION_KINDS
from ..models import (
    ActionCommitment,
    ActionSet,
    Airtime,
    Membership,
    ReadMarker,
    Reply,
    Round,
)
from ..phases import current_phase
from .presence import posted_in_round, visit_words


def _new_replies_for(user) -> Coalesce:
    """Replies by others, not hidden, created after the user's read marker (`last_read_at`)."""
    count = (
        Reply.objects.filter(airtime=OuterRef("pk"), created_at__gt=OuterRef("last_read_at"), hidden=False)
        .exclude(author=user)
        .order_by()
        .values("airtime")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(count, output_field=IntegerField()), Value(0))


def _with_read_state(airtimes: QuerySet[Airtime], user) -> QuerySet[Airtime]:
    """`last_read_at` (the user's marker, None when never opened) and `new_reply_count`.

    The marker is a LEFT JOIN restricted to this user (`FilteredRelation`, as Misago's read
    tracker does), not a correlated subquery per row: one join, and the new-reply count reads it.
    """
    return (
        airtimes.annotate(my_marker=FilteredRelation("read_markers", condition=Q(read_markers__user=user)))
        .annotate(last_read_at=F("my_marker__last_read_at"))
        .annotate(new_reply_count=_new_replies_for(user))
    )


def airtimes_with_read_state(user, **filters) -> QuerySet[Airtime]:
    return _with_read_state(Airtime.objects.filter(**filters).select_related("presenter", "round"), user)


def listed_airtimes(user, action_set: ActionSet) -> list[Airtime]:
    """Every airtime of the set, oldest first, with `last_read_at` and `new_reply_count`; bodies
    deferred, and no joins for presenter or round (the set page attaches the ones it loaded). One query."""
    listed = Airtime.objects.filter(action_set=action_set).defer("body", "body_html").order_by("created_at", "pk")
    return list(_with_read_state(listed, user))


def rounds_of(action_set: ActionSet) -> list[Round]:
    """The set's rounds in order."""
    return list(Round.objects.filter(action_set=action_set).order_by("number", "pk"))


def memberships_with_users(action_set_id: int) -> list[Membership]:
    """Every membership of the set, past ones too (they name past presenters), each with its user."""
    return list(Membership.objects.filter(action_set_id=action_set_id).select_related("user").order_by("pk"))


MENTION_SUGGESTIONS = 8


def mention_candidates(action_set_id: int, query: str, *, exclude_user_id: int | None = None) -> list[dict]:
    """Current members whose @handle or name starts with `query`, for the mention autocomplete:
    handle and name only, at most MENTION_SUGGESTIONS, one query."""
    query = query.strip().lstrip("@")[:40]
    members = Membership.objects.current().filter(action_set_id=action_set_id).exclude(handle="")
    if exclude_user_id is not None:
        members = members.exclude(user_id=exclude_user_id)
    if query:
        members = members.filter(Q(handle__istartswith=query) | Q(user__display_name__istartswith=query)
                                 | Q(user__display_name__icontains=f" {query}"))
    return [{"handle": handle, "name": display_name or email.split("@")[0]}
            for handle, display_name, email in members.order_by("handle").values_list(
                "handle", "user__display_name", "user__email")[:MENTION_SUGGESTIONS]]


def current_round(rounds: list[Round], now: datetime) -> Round | None:
    """The open round, else the next scheduled one, else the last closed one."""
    open_ = [r for r in rounds if r.state_at(now) == Round.State.OPEN]
    if open_:
        return open_[0]
    upcoming = [r for r in rounds if r.state_at(now) == Round.State.SCHEDULED]
    if upcoming:
        return upcoming[0]
    return rounds[-1] if rounds else None


@dataclass
class SetSummary:
    membership: Membership
    action_set: ActionSet
    round: Round | None
    unread: int
    presented_this_round: bool
    commitments: list[ActionCommitment] = field(default_factory=list)


def home_for(user, *, now: datetime) -> tuple[list[SetSummary], list[ActionCommitment]]:
    """My sets with their current round and unread counts, and my open commitments. 4 queries."""
    unread = (
        Airtime.objects.filter(action_set=OuterRef("action_set"))
        .exclude(
            Exists(
                ReadMarker.objects.filter(
                    user=user, airtime=OuterRef("pk"), last_read_at__gte=OuterRef("last_activity_at")
                )
            )
        )
        .order_by()
        .values("action_set")
        .annotate(n=Count("pk"))
        .values("n")
    )
    memberships = list(
        Membership.objects.current()
        .filter(user=user)
        .select_related("action_set", "action_set__cohort")
        .defer("action_set__ground_rules", "action_set__ground_rules_html")  # not shown here
        .annotate(unread=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0)))
        .order_by("action_set__archived", "action_set__name")
    )
    set_ids = [m.action_set_id for m in memberships]
    rounds_by_set: dict[int, list[Round]] = {}
    rounds = {r.pk: r for r in Round.objects.filter(action_set_id__in=set_ids).order_by("number")}
    for r in rounds.values():
        rounds_by_set.setdefault(r.action_set_id, []).append(r)
    presented = set(
        Airtime.objects.filter(presenter=user, action_set_id__in=set_ids).order_by().values_list("round_id", flat=True)
    )
    commitments = _open_commitments(user, {m.action_set_id: m.action_set for m in memberships}, rounds)
    summaries = []
    for m in memberships:
        rnd = current_round(rounds_by_set.get(m.action_set_id, []), now)
        summaries.append(
            SetSummary(
                membership=m, action_set=m.action_set, round=rnd, unread=m.unread,
                presented_this_round=bool(rnd and rnd.pk in presented),
                commitments=[c for c in commitments if c.airtime.action_set_id == m.action_set_id],
            )
        )
    return summaries, commitments


def _open_commitments(user, sets: dict, rounds: dict) -> list[ActionCommitment]:
    """My open commitments in these sets; their sets and rounds come from the rows already loaded.

    Joining them again also loaded every airtime's body and every set's ground rules, which `/`
    never shows (bench/: the home page).
    """
    commitments = list(
        ActionCommitment.objects.filter(owner=user, status=ActionCommitment.Status.OPEN, airtime__action_set_id__in=sets)
        .select_related("airtime").defer("airtime__body", "airtime__body_html")
    )
    for c in commitments:
        c.airtime.action_set = sets[c.airtime.action_set_id]
        c.airtime.round = rounds[c.airtime.round_id]
        c.due_round = rounds.get(c.due_round_id)
    last = datetime.max.replace(tzinfo=UTC)  # commitments with no next round come last
    commitments.sort(key=lambda c: (c.due_round.opens_at if c.due_round else last, c.created_at))
    return commitments


ROLE_ORDER = {Membership.Role.LEARNER: 0, Membership.Role.FACILITATOR: 1, Membership.Role.RESEARCHER: 2}


@dataclass
class SetHome:
    rounds: list[Round]
    current: Round | None
    airtimes_by_round: dict[int, list[Airtime]]
    members: list[Membership]
    my_airtime: Airtime | None
    posted: set[int] = field(default_factory=set)  # who has posted in the current round

    @property
    def facilitators(self) -> list[Membership]:
        """The current facilitators, earliest first: the set page announces each with its date."""
        return sorted((m for m in self.members if m.is_facilitator), key=lambda m: m.facilitating_since)

    @property
    def researchers(self) -> list[Membership]:
        """The current researchers, earliest first: announced like facilitators, with the grant's date."""
        return sorted((m for m in self.members if m.is_researcher), key=lambda m: m.researching_since)


def set_home(user, action_set: ActionSet, *, now: datetime) -> SetHome:
    """The set page. 4 queries, whatever the number of airtimes, replies or members."""
    rounds = rounds_of(action_set)
    current = current_round(rounds, now)
    rounds_by_id = {r.pk: r for r in rounds}
    # Every membership, past ones too: the current ones are the member list, and all of them
    # together name every presenter — so the airtime query needs no joins (bench/: set page).
    memberships = memberships_with_users(action_set.pk)
    people = {m.user_id: m.user for m in memberships}
    members = sorted((m for m in memberships if m.left_at is None),
                     key=lambda m: (m.user.display_name.casefold(), m.user.email))
    members.sort(key=lambda m: ROLE_ORDER.get(m.role, 0))  # learners, then facilitators, then researchers
    listed = listed_airtimes(user, action_set)
    _attach_presenters(listed, people)
    airtimes_by_round: dict[int, list[Airtime]] = {}
    my_airtime = None
    for airtime in listed:
        airtime.action_set = action_set  # links need its slug; never a query per row
        airtime.round = rounds_by_id[airtime.round_id]
    withheld = _withheld_from(user, action_set, listed, members, now)
    for airtime in listed:
        _add_row_display(airtime, user, now, withheld=airtime.pk in withheld)
        airtimes_by_round.setdefault(airtime.round_id, []).append(airtime)
        if current and airtime.round_id == current.pk and airtime.presenter_id == user.pk:
            my_airtime = airtime
    # Who is around (issue 19): each member's last visit in plain words, and who has posted.
    today = now.date()
    for m in members:
        m.last_visit = visit_words(m.last_visit_on, today)
    return SetHome(rounds, current, airtimes_by_round, members, my_airtime, posted_in_round(current))


def asks_before_seeing(airtime: Airtime, action_set: ActionSet) -> bool:
    """The facilitator's choice: the round's, else the set's."""
    chosen = airtime.round.ask_before_seeing
    return action_set.ask_before_seeing if chosen is None else chosen


def _withheld_from(user, action_set: ActionSet, airtimes: list[Airtime], members: list[Membership],
                   now: datetime) -> set[int]:
    """The airtimes whose replies ask-before-you-see holds back from this reader now, so the row
    says so in the thread's own words ("3 replies, shown once you ask"). One query, and only when
    some airtime is in an ask-first clarifying phase."""
    me = next((m for m in members if m.user_id == user.pk), None)
    if me is None or not me.is_learner:  # facilitators and researchers read everything
        return set()
    candidates = [a for a in airtimes if a.presenter_id != user.pk and asks_before_seeing(a, action_set)
                  and current_phase(a, now).phase == phases.CLARIFYING]
    if not candidates:
        return set()
    asked = set(Reply.objects.filter(author=user, airtime__in=candidates, kind__in=QUESTION_KINDS)
                .values_list("airtime_id", flat=True))
    return {a.pk for a in candidates if a.pk not in asked}


def _add_row_display(airtime: Airtime, user, now: datetime, *, withheld: bool = False) -> None:
    """What the set page's airtime row shows, as plain values (the template escapes them).

    The row template resolved ~15 variables, filters and conditions per airtime (~100 µs a row,
    docs/benchmarks.md, fourth round); one line of Python per value costs a few microseconds.
    """
    count = airtime.reply_count
    mine = " " + gettext("(you)") if airtime.presenter_id == user.pk else ""
    airtime.row_url = airtime.get_absolute_url()
    if withheld and count:  # the thread's own wording
        replies = ngettext("%(count)s reply, shown once you ask", "%(count)s replies, shown once you ask", count)
    else:
        replies = ngettext("%(count)s reply", "%(count)s replies", count)
    parts = [airtime.presenter.name + mine, replies % {"count": count}, last_activity(airtime.last_activity_at, now)]
    if airtime.locked:
        parts.append(gettext("locked"))
    airtime.row_meta = " · ".join(parts)
    airtime.row_unread = airtime.last_read_at is None or bool(airtime.new_reply_count)
    if airtime.last_read_at is None:
        airtime.row_badge = pgettext("unread post", "New")
    else:
        new = airtime.new_reply_count
        airtime.row_badge = ngettext("%(count)s new", "%(count)s new", new) % {"count": new} if new else ""


def last_activity(value: datetime, now: datetime) -> str:
    """"last activity 3 days ago" in the reader's language: the largest whole unit, one message per
    unit and count (German declines the unit after "vor": "vor 3 Tagen"). A few microseconds a row
    (the set page's rows, docs/benchmarks.md), like the `ago` filter it replaces here."""
    seconds = int((now - value).total_seconds())
    for size, words in _ACTIVITY:
        if seconds >= size:
            count = seconds // size
            return words(count) % {"count": count}
    return gettext("last activity moments ago")


_ACTIVITY = (
    (7 * 86400, lambda n: ngettext("last activity %(count)s week ago", "last activity %(count)s weeks ago", n)),
    (86400, lambda n: ngettext("last activity %(count)s day ago", "last activity %(count)s days ago", n)),
    (3600, lambda n: ngettext("last activity %(count)s hour ago", "last activity %(count)s hours ago", n)),
    (60, lambda n: ngettext("last activity %(count)s minute ago", "last activity %(count)s minutes ago", n)),
)


def open_commitment_count(user, action_set: ActionSet) -> int:
    """The user's commitments still to report back on (the set page's invitation to present)."""
    return ActionCommitment.objects.filter(
        owner=user, airtime__action_set=action_set, status=ActionCommitment.Status.OPEN
    ).count()


def _attach_presenters(airtimes: list[Airtime], people: dict) -> None:
    missing = {a.presenter_id for a in airtimes} - set(people)
    if missing:  # a presenter whose membership row was deleted outright: rare, one query
        people = {**people, **get_user_model().objects.in_bulk(missing)}
    for airtime in airtimes:
        airtime.presenter = people[airtime.presenter_id]


def commitments_in_set(action_set: ActionSet) -> QuerySet[ActionCommitment]:
    return (
        ActionCommitment.objects.filter(airtime__action_set=action_set)
        .select_related("owner", "airtime__round", "due_round")
        .order_by("-airtime__round__number", "owner__display_name", "created_at")
    )


def membership_prefetch() -> Prefetch:
    return Prefetch("memberships", queryset=Membership.objects.current().select_related("user"))


def steward_rota(action_set: ActionSet) -> list[Membership]:
    """The rota's learners in order, as current memberships (people who left drop out)."""
    from ..models import StewardRota

    order = {r.user_id: r.position for r in StewardRota.objects.filter(action_set=action_set)}
    members = Membership.objects.current().filter(action_set=action_set, user_id__in=order, role=Membership.Role.LEARNER)
    return sorted(members.select_related("user"), key=lambda m: order[m.user_id])


def steward_for_round(rota: list[Membership], round_number: int, from_round: int) -> Membership | None:
    """Pure: the rota turns once per round, starting with its first person in `from_round`."""
    if not rota or round_number < from_round:
        return None
    return rota[(round_number - from_round) % len(rota)]


def process_stewards(action_set: ActionSet, now: datetime) -> list:
    """Who receives the facilitator's process prompts and nudges at `now` — for the engagement
    engine. A facilitated set: its current facilitators. A self-managed set: the process steward
    of the current round (open, else next, else last), or the facilitators before the hand-over
    round or when the rota is empty. Stewards never get moderation."""
    facilitators = [
        m.user for m in Membership.objects.current()
        .filter(action_set=action_set, role=Membership.Role.FACILITATOR).select_related("user")
    ]
    if not action_set.self_managed:
        return facilitators
    rnd = current_round(rounds_of(action_set), now)
    steward = steward_for_round(steward_rota(action_set), rnd.number if rnd else 0,
                                action_set.self_managed_from_round or 1)
    return [steward.user] if steward else facilitators


def is_in_a_set(user) -> bool:
    """Whether the user is a current member of any set: staff who are not go to the staff area."""
    return Membership.objects.current().filter(user=user).exists()
