"""Reads for the set pages and home: airtimes with read state, rounds, members, commitments, the
process steward. Each page costs a fixed number of queries whatever the number of rows.

Unread state follows Misago's read tracker: one ReadMarker per (user, airtime); an airtime is
unread when its `last_activity_at` is after the marker, and "new" replies are those created after
it. Nothing is written here."""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from .. import rows
from ..models import ActionCommitment, ActionSet, Airtime, Membership, ReadMarker, Reply, Round


def _marker_for(user) -> Subquery:
    return Subquery(
        ReadMarker.objects.filter(user=user, airtime=OuterRef("pk")).values("last_read_at")[:1]
    )


def _new_replies_for(user) -> Coalesce:
    """Replies by others, not hidden, created after the user's read marker."""
    count = (
        Reply.objects.filter(airtime=OuterRef("pk"), created_at__gt=OuterRef("last_read_at"), hidden=False)
        .exclude(author=user)
        .order_by()
        .values("airtime")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(count, output_field=IntegerField()), Value(0))


def airtimes_with_read_state(user, **filters) -> QuerySet[Airtime]:
    return (
        Airtime.objects.filter(**filters)
        .select_related("presenter", "round")
        .annotate(last_read_at=_marker_for(user))
        .annotate(new_reply_count=_new_replies_for(user))
    )


# The set page's list: `airtimes_with_read_state(user, action_set=…)` without the bodies, written
# out once. The ORM spent ~2 ms of CPU building that statement (two correlated subqueries) on
# every view of the busiest page, longer than the database took to run it (docs/benchmarks.md).
# Same rows, same annotations; the column list comes from the model, so it follows migrations.
@cache
def _listed_sql() -> str:
    q = connection.ops.quote_name
    fields = [f for f in Airtime._meta.concrete_fields if f.name not in ("body", "body_html")]
    columns = ", ".join(f"a.{q(f.column)}" for f in fields)
    airtime, marker, reply = (q(m._meta.db_table) for m in (Airtime, ReadMarker, Reply))
    return (
        f"SELECT {columns}, m.{q('last_read_at')} AS last_read_at, "
        f"COALESCE((SELECT COUNT(*) FROM {reply} r WHERE r.{q('airtime_id')} = a.{q('id')}"
        f" AND r.{q('created_at')} > m.{q('last_read_at')} AND r.{q('hidden')} = %s"
        f" AND r.{q('author_id')} <> %s), 0) AS new_reply_count "
        f"FROM {airtime} a LEFT JOIN {marker} m ON m.{q('airtime_id')} = a.{q('id')} AND m.{q('user_id')} = %s "
        f"WHERE a.{q('action_set_id')} = %s ORDER BY a.{q('created_at')}, a.{q('id')}"
    )


def listed_airtimes(user, action_set: ActionSet) -> list[Airtime]:
    """Every airtime of the set, oldest first, with `last_read_at` and `new_reply_count` as in
    `airtimes_with_read_state`; bodies deferred. One query (a test holds it equal to the ORM's)."""
    airtimes = list(Airtime.objects.raw(_listed_sql(), [False, user.pk, user.pk, action_set.pk]))
    marker_read_at = ReadMarker._meta.get_field("last_read_at")
    for airtime in airtimes:  # a raw annotation skips the field's converters (SQLite: text)
        airtime.last_read_at = rows.convert(marker_read_at, airtime.last_read_at)
    return airtimes


def rounds_of(action_set: ActionSet) -> list[Round]:
    """The set's rounds in order. Every set page asks for them: a raw statement (no compile cost),
    converted by the model's fields as any queryset is; the equality test is in tests/actionsets."""
    return list(Round.objects.raw(_rounds_sql(), [action_set.pk]))


@cache
def _rounds_sql() -> str:
    q = connection.ops.quote_name
    columns = ", ".join(q(f.column) for f in Round._meta.concrete_fields)
    return (f"SELECT {columns} FROM {q(Round._meta.db_table)} WHERE {q('action_set_id')} = %s "
            f"ORDER BY {q('number')}, {q('id')}")


def memberships_with_users(action_set_id: int) -> list[Membership]:
    """Every membership of the set, past ones too, each with its user: one statement written out
    (actionsets/rows.py), as `Membership.objects.filter(action_set=…).select_related("user")`."""
    found = _memberships_with_users().fetch_all([action_set_id])
    for membership, user in found:
        membership.user = user
    return [membership for membership, _ in found]


@cache
def _memberships_with_users() -> rows.Statement:
    q = connection.ops.quote_name
    parts = [rows.columns(Membership, "m"), rows.columns(get_user_model(), "u")]
    return rows.Statement(parts=parts, sql=(
        f"SELECT {', '.join(p.select for p in parts)} FROM {q(Membership._meta.db_table)} m "
        f"INNER JOIN {q(get_user_model()._meta.db_table)} u ON u.{q('id')} = m.{q('user_id')} "
        f"WHERE m.{q('action_set_id')} = %s ORDER BY m.{q('id')}"
    ))


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


@dataclass
class SetHome:
    rounds: list[Round]
    current: Round | None
    airtimes_by_round: dict[int, list[Airtime]]
    members: list[Membership]
    my_airtime: Airtime | None

    @property
    def facilitators(self) -> list[Membership]:
        """The current facilitators, earliest first: the set page announces each with its date."""
        return sorted((m for m in self.members if m.is_facilitator), key=lambda m: m.facilitating_since)


def set_home(user, action_set: ActionSet, *, now: datetime) -> SetHome:
    """The set page. 3 queries, whatever the number of airtimes, replies or members."""
    rounds = rounds_of(action_set)
    current = current_round(rounds, now)
    rounds_by_id = {r.pk: r for r in rounds}
    # Every membership, past ones too: the current ones are the member list, and all of them
    # together name every presenter — so the airtime query needs no joins (bench/: set page).
    memberships = memberships_with_users(action_set.pk)
    people = {m.user_id: m.user for m in memberships}
    members = sorted((m for m in memberships if m.left_at is None),
                     key=lambda m: (m.user.display_name.casefold(), m.user.email))
    members.sort(key=lambda m: m.role, reverse=True)  # learners, then facilitators, as before
    listed = listed_airtimes(user, action_set)
    _attach_presenters(listed, people)
    airtimes_by_round: dict[int, list[Airtime]] = {}
    my_airtime = None
    for airtime in listed:
        airtime.action_set = action_set  # links need its slug; never a query per row
        airtime.round = rounds_by_id[airtime.round_id]
        airtimes_by_round.setdefault(airtime.round_id, []).append(airtime)
        if current and airtime.round_id == current.pk and airtime.presenter_id == user.pk:
            my_airtime = airtime
    return SetHome(rounds, current, airtimes_by_round, members, my_airtime)


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
