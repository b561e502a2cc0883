"""Allocating a cohort's learners into new sets (docs/allocation.md): preview (read the roster,
solve, store the plan), adjust (move one person between the proposed sets), commit (the sets,
memberships and invitations in one transaction, idempotent), like the CSV import's batch.

The plan is JSON on the Allocation row: the people as they were read (name, offset, department,
organisation), the pairs, the proposed sets, and the score with what each constraint cost. It
holds the staff-only must-not-share pairs, so it is shown on /manage/ pages only.
"""

import time
import zoneinfo
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _

from accounts.models import User
from actionsets.handles import fill_handles
from actionsets.models import ActionSet, Cohort, Membership, ModerationAction
from actionsets.services import memberships_created

from ..allocation import DEFAULT_SIZE, MAX_SIZE, MIN_SIZE, Person, Problem, Unmet, allocate, evaluate, utc_label
from ..invitations import queue_invitation_email
from ..models import Allocation, CohortPerson, Invitation
from .batches import unique_slugs

SCOPES = {
    "unplaced": _("Learners not yet in a set"),
    "all": _("All learners (those already in a set are moved to their new set)"),
}


@dataclass
class AllocationOptions:
    size: int = DEFAULT_SIZE
    span_hours: float | None = 3
    scope: str = "unplaced"
    facilitators_per_set: int = 1
    time_limit: float = 20.0

    def check(self) -> None:
        if not MIN_SIZE <= self.size <= MAX_SIZE:
            raise ValidationError({"size": gettext("A set has %(min)s to %(max)s learners.") % {"min": MIN_SIZE, "max": MAX_SIZE}})
        if self.span_hours is not None and not 0 <= self.span_hours <= 26:
            raise ValidationError({"span_hours": gettext("Give a span between 0 and 26 hours, or leave it empty.")})
        if self.scope not in SCOPES:
            raise ValidationError({"scope": gettext("Choose who to allocate.")})
        if not 0 <= self.facilitators_per_set <= 3:
            raise ValidationError({"facilitators_per_set": gettext("Between 0 and 3 facilitators per set.")})


def _offset(timezone_name: str, now: datetime) -> int:
    try:
        zone = zoneinfo.ZoneInfo(timezone_name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    return int(now.astimezone(zone).utcoffset().total_seconds() // 60)


def _person(user: User, entry: CohortPerson | None, role: str, now: datetime) -> dict:
    return {
        "name": user.name, "email": user.email, "role": role, "timezone": user.timezone,
        "offset": _offset(user.timezone, now),
        "department": entry.department if entry else "", "organisation": entry.organisation if entry else "",
    }


def read_roster(cohort: Cohort, *, scope: str, now: datetime) -> dict:
    """The people to allocate, their pairs and the memberships of those already placed: three
    queries whatever the size of the cohort."""
    roster = {entry.user_id: entry for entry in
              CohortPerson.objects.filter(cohort=cohort, user__is_active=True).select_related("user")}
    current = list(Membership.objects.current().filter(action_set__cohort=cohort).values_list("user_id", "pk", "role"))
    in_a_set = {user_id for user_id, _, _ in current}
    people: dict[int, dict] = {}
    for user_id, entry in roster.items():
        if user_id not in in_a_set:
            people[user_id] = _person(entry.user, entry, entry.role, now)
    placed: dict[int, int] = {}
    if scope == "all":
        placed = {user_id: pk for user_id, pk, role in current if role == Membership.Role.LEARNER}
        for user in User.objects.filter(pk__in=placed, is_active=True):
            people[user.pk] = _person(user, roster.get(user.pk), Membership.Role.LEARNER, now)
        placed = {user_id: pk for user_id, pk in placed.items() if user_id in people}
    by_email = {person["email"].lower(): key for key, person in people.items()}
    pairs: dict[str, set] = {"must_not_share": set(), "requested": set()}
    for user_id, entry in roster.items():
        if user_id not in people:
            continue
        for kind in pairs:
            for email in getattr(entry, kind):
                other = by_email.get(email.lower())
                if other is not None and other != user_id:
                    pairs[kind].add(tuple(sorted((user_id, other))))
    return {"people": people, "placed": placed, "pairs": {kind: sorted(found) for kind, found in pairs.items()}}


def _problem(plan: dict, options: dict) -> Problem:
    people = {int(key): value for key, value in plan["people"].items()}

    def person(key: int) -> Person:
        p = people[key]
        return Person(key=key, name=p["name"], offset=p["offset"], department=p["department"],
                                 organisation=p["organisation"])

    learners = [person(k) for k, p in people.items() if p["role"] == Membership.Role.LEARNER]
    facilitators = [person(k) for k, p in people.items() if p["role"] == Membership.Role.FACILITATOR]
    return Problem(
        learners=learners, facilitators=facilitators, size=options["size"], span_hours=options["span_hours"],
        facilitators_per_set=options["facilitators_per_set"],
        must_not_share=[tuple(pair) for pair in plan["pairs"]["must_not_share"]],
        requested=[tuple(pair) for pair in plan["pairs"]["requested"]],
    )


def _summaries(problem: Problem, sets: list[dict], unmet: list[Unmet]) -> list[dict]:
    conflicts = Counter(u.set_index for u in unmet if u.constraint == "must_not_share")
    summaries = []
    for index, proposed in enumerate(sets):
        members = [problem.people[k] for k in proposed["learners"]]
        offsets = [p.offset for p in members] or [0]
        summaries.append({
            "number": index + 1, "size": len(members), "facilitators": len(proposed["facilitators"]),
            "span": (max(offsets) - min(offsets)) / 60,
            "from": utc_label(min(offsets)), "to": utc_label(max(offsets)),
            "departments": sorted(Counter(p.department for p in members if p.department).items()),
            "organisations": sorted(Counter(p.organisation for p in members if p.organisation).items()),
            "conflicts": conflicts[index],
        })
    return summaries


def _score(plan: dict, options: dict, *, problem: Problem | None = None, scored=None) -> None:
    """Score the plan's sets (after a move; the solver's own result comes scored) and store the summaries."""
    problem = problem or _problem(plan, options)
    if scored is None:
        sets = [[int(k) for k in s["learners"]] for s in plan["sets"]]
        facilitators = [[int(k) for k in s["facilitators"]] for s in plan["sets"]]
        scored = evaluate(problem, sets, facilitators)
    costs, unmet = scored
    plan.update(costs=costs, unmet=[u.as_dict() for u in unmet], summaries=_summaries(problem, plan["sets"], unmet))


def propose(*, cohort: Cohort, options: AllocationOptions, now: datetime | None = None) -> dict:
    """Read the roster and solve: the plan to store (or, from the shell, to print). Writes nothing.
    The time limit covers reading the roster too."""
    options.check()
    started = time.monotonic()
    now = now or timezone.now()
    roster = read_roster(cohort, scope=options.scope, now=now)
    plan = {"people": {str(k): v for k, v in roster["people"].items()}, "pairs": roster["pairs"],
            "placed": {str(k): v for k, v in roster["placed"].items()}, "moves": []}
    problem = _problem(plan, asdict(options))
    if not problem.learners:
        raise ValidationError(gettext("There is nobody to allocate: every learner on the cohort's roster is already in "
                                      "a set. Enrol people with an empty set cell (“allocate later”), or allocate all "
                                      "learners."))
    result = allocate(problem, time_limit=max(1.0, options.time_limit - (time.monotonic() - started)))
    plan.update(sets=[{"learners": s, "facilitators": f} for s, f in zip(result.sets, result.facilitators)],
                diagnosis=[u.as_dict() for u in result.diagnosis], solver=result.solver)
    _score(plan, asdict(options), problem=problem, scored=(result.costs, result.unmet))
    return plan


@transaction.atomic
def preview_allocation(*, cohort: Cohort, actor, options: AllocationOptions) -> Allocation:
    """Solve and keep the proposal. Nothing else is written until it is committed."""
    if cohort.archived:
        raise ValidationError(gettext("This cohort is archived: restore it before allocating."))
    plan = propose(cohort=cohort, options=options)
    return Allocation.objects.create(cohort=cohort, created_by=actor, options=asdict(options), plan=plan)


@transaction.atomic
def move_in_allocation(*, allocation: Allocation, actor, user_id: int, to_set: int) -> Allocation:
    """Move one person (learner or facilitator) to another proposed set (1-based), and score again."""
    found = Allocation.objects.select_for_update().get(pk=allocation.pk)
    if found.is_committed:
        raise ValidationError(gettext("This allocation is committed: move people from the set's page instead."))
    plan = found.plan
    if not 1 <= to_set <= len(plan["sets"]):
        raise ValidationError({"to_set": gettext("Choose a set between 1 and %(last)s.") % {"last": len(plan["sets"])}})
    person = plan["people"].get(str(user_id))
    if person is None:
        raise ValidationError({"person": gettext("That person is not in this allocation.")})
    field = "learners" if person["role"] == Membership.Role.LEARNER else "facilitators"
    source = next((i for i, s in enumerate(plan["sets"]) if user_id in s[field]), None)
    if source == to_set - 1:
        raise ValidationError({"to_set": gettext("%(name)s is already in Set %(number)s.") % {"name": person["name"], "number": to_set}})
    if source is not None:
        plan["sets"][source][field].remove(user_id)
    plan["sets"][to_set - 1][field].append(user_id)
    plan["moves"].append({"user": user_id, "from": None if source is None else source + 1, "to": to_set,
                          "by": actor.pk, "at": timezone.now().isoformat()})
    _score(plan, found.options)
    found.plan = plan
    found.save(update_fields=["plan"])
    return found


def _set_names(cohort: Cohort, count: int) -> list[str]:
    taken = {name.lower() for name in ActionSet.objects.filter(cohort=cohort).values_list("name", flat=True)}
    names, number = [], 1
    while len(names) < count:
        if f"set {number}" not in taken:
            names.append(f"Set {number}")
        number += 1
    return names


def _still_allocatable(found: Allocation, now: datetime) -> tuple[dict[int, User], dict[int, int], list[int]]:
    """The plan's people as the database has them now: who is active, who was placed meanwhile."""
    keys = [int(k) for k in found.plan["people"]]
    users = {u.pk: u for u in User.objects.filter(pk__in=keys, is_active=True)}
    placed = {int(k): v for k, v in found.plan.get("placed", {}).items()}
    current = list(Membership.objects.current().filter(action_set__cohort=found.cohort, user_id__in=keys)
                   .values_list("user_id", "pk"))
    still_placed = {user_id: pk for user_id, pk in current if placed.get(user_id) == pk}
    placed_elsewhere = {user_id for user_id, _ in current} - set(still_placed)
    skipped = sorted((set(keys) - set(users)) | placed_elsewhere)
    return {k: u for k, u in users.items() if k not in placed_elsewhere}, still_placed, skipped


@transaction.atomic
def commit_allocation(*, allocation: Allocation, actor, now: datetime | None = None) -> Allocation:
    """Create the proposed sets and memberships, all or nothing; invitations after the commit.
    Committing twice is a no-op. People placed elsewhere since the preview are left where they are."""
    now = now or timezone.now()
    found = Allocation.objects.select_for_update().select_related("cohort").get(pk=allocation.pk)
    if found.is_committed:
        return found
    cohort = found.cohort
    if cohort.archived:
        raise ValidationError(gettext("This cohort is archived: restore it before allocating."))
    if str(actor.pk) in found.plan["people"]:
        raise ValidationError(gettext("You are in this allocation yourself: staff can't place themselves in a set "
                                      "(members read its content). Ask another administrator."))
    users, placed, skipped = _still_allocatable(found, now)
    proposed = [(s["learners"] + s["facilitators"], s) for s in found.plan["sets"]]
    proposed = [(keys, s) for keys, s in proposed if any(k in users for k in s["learners"])]
    names = _set_names(cohort, len(proposed))
    slugs = unique_slugs(cohort, {i: f"{cohort.slug} {name}" for i, name in enumerate(names)})
    sets = ActionSet.objects.bulk_create(
        [ActionSet(cohort=cohort, name=name, slug=slugs[i], created_at=now) for i, name in enumerate(names)])
    new = [(user_id, action_set, role) for action_set, (_, s) in zip(sets, proposed)
           for role, field in ((Membership.Role.LEARNER, "learners"), (Membership.Role.FACILITATOR, "facilitators"))
           for user_id in s[field] if user_id in users]
    accepted = dict(Invitation.objects.filter(membership_id__in=placed.values()).values_list("membership_id", "accepted_at"))
    Membership.objects.filter(pk__in=placed.values()).update(left_at=now)
    memberships = [Membership(user=users[user_id], action_set=action_set, role=role, joined_at=now)
                   for user_id, action_set, role in new]
    # Members moved out of their old sets keep those handles there; the new sets' handles are
    # written by the insert itself (issue 14), and the added members are announced (notifications).
    fill_handles(memberships)
    memberships = Membership.objects.bulk_create(memberships)
    memberships_created(memberships=memberships)
    invitations = Invitation.objects.bulk_create([
        Invitation(membership=m, created_by=actor, created_at=now,
                   accepted_at=accepted.get(placed.get(m.user_id)) if m.user_id in placed else None)
        for m in memberships])
    ModerationAction.objects.bulk_create(_log_rows(found, actor, sets, memberships, placed, now))
    found.status, found.committed_at, found.committed_by = Allocation.Status.COMMITTED, now, actor
    found.result = {"sets": len(sets), "memberships": len(memberships), "moved": len(placed), "skipped": skipped,
                    "set_names": [s.name for s in sets]}
    found.save(update_fields=["status", "committed_at", "committed_by", "result"])
    queue_invitation_email(invitation_ids=[i.pk for i in invitations if i.accepted_at is None])
    return found


def _log_rows(found: Allocation, actor, sets, memberships, placed: dict[int, int], now) -> list[ModerationAction]:
    Action = ModerationAction.Action
    detail = {"allocation": found.pk}
    logs = [ModerationAction(actor=actor, action_set=s, action=Action.CREATE_SET, target_type="actionset",
                             target_id=s.pk, detail=detail, created_at=now) for s in sets]
    logs += [ModerationAction(actor=actor, action_set=m.action_set,
                              action=Action.MOVE_MEMBER if m.user_id in placed else Action.ADD_MEMBER,
                              target_type="membership", target_id=m.pk,
                              detail={**detail, "role": m.role, "from_membership": placed.get(m.user_id)},
                              created_at=now) for m in memberships]
    logs.append(ModerationAction(actor=actor, action=Action.ALLOCATE_COHORT, target_type="allocation",
                                 target_id=found.pk, detail={"cohort": found.cohort_id, "sets": len(sets),
                                                             "memberships": len(memberships)}, created_at=now))
    return logs
