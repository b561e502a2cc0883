"""Allocating learners into sets: a greedy start, then OR-Tools CP-SAT with a time limit.

A cohort of 5,000 is too big for one model (every learner × every set), and time zones make
most of that model pointless anyway: someone in Auckland never shares a set with someone in
Lima. So learners are sorted by UTC offset (people who asked to be together kept side by
side) and cut into *blocks* of up to eight sets; each block is one CP-SAT model, solved with its
share of the time limit and the greedy allocation as its hint. Whatever the solver does not
improve on in time, the greedy answer stands, so there is always an allocation.
"""

import math
import time
from collections import Counter

from .problem import MAX_SIZE, MIN_SIZE, WEIGHTS, Person, Problem, Result, Unmet
from django.utils.translation import gettext, ngettext

from .scoring import evaluate, hours, span, utc_label

SETS_PER_BLOCK = 8
QUARTER = 15  # the model counts time-zone offsets in quarter-hours (Nepal is UTC+5:45)


def allocate(problem: Problem, *, time_limit: float = 20.0, workers: int = 1) -> Result:
    from ortools.sat.python import cp_model  # noqa: F401  (imported once, before the clock starts: ~1 s)

    started = time.monotonic()
    deadline = started + time_limit
    k = problem.set_count()
    units = _units(problem)
    blocks = _blocks(units, len(problem.learners), k)
    statuses: Counter = Counter()
    sets: list[list[int]] = []
    for number, (block_units, block_sets) in enumerate(blocks):
        people = [p for unit in block_units for p in unit]
        greedy = _greedy(problem, block_units, block_sets)
        if time.monotonic() >= deadline:  # the time limit covers everything: the rest stay greedy
            solved, status = greedy, "greedy (time limit reached)"
        else:
            solved, status = _solve(problem, people, block_sets, greedy, deadline, len(blocks) - number, workers)
        statuses[status] += 1
        sets += solved
    facilitators = _place_facilitators(problem, sets)
    costs, unmet = evaluate(problem, sets, facilitators)
    return Result(sets=sets, facilitators=facilitators, costs=costs, unmet=unmet, diagnosis=diagnose(problem),
                  solver={"blocks": len(blocks), "statuses": dict(statuses),
                          "seconds": round(time.monotonic() - started, 2), "time_limit": time_limit})


def _units(problem: Problem) -> list[list[Person]]:
    """Learners grouped by requested pairs (joined transitively), each group at most a set's
    size, sorted by the group's mean UTC offset."""
    parent = {p.key: p.key for p in problem.learners}

    def find(key: int) -> int:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for a, b in _joinable_requests(problem):
        if a in parent and b in parent:
            parent[find(a)] = find(b)
    groups: dict[int, list[Person]] = {}
    for person in sorted(problem.learners, key=lambda p: (p.offset, p.key)):
        groups.setdefault(find(person.key), []).append(person)
    units = []
    for group in groups.values():
        units += [group[i:i + problem.size] for i in range(0, len(group), problem.size)]
    return sorted(units, key=lambda unit: (sum(p.offset for p in unit) / len(unit), unit[0].key))


def _joinable_requests(problem: Problem) -> list[tuple[int, int]]:
    """Requested pairs worth keeping side by side: not also a must-not pair, and within the
    time-zone span (diagnose() names the others)."""
    forbidden = {frozenset(pair) for pair in problem.must_not_share}
    limit = problem.span_minutes
    return [(a, b) for a, b in problem.requested
            if a in problem.people and b in problem.people and frozenset((a, b)) not in forbidden
            and (limit is None or span(problem, [a, b]) <= limit)]


def _blocks(units: list[list[Person]], n: int, k: int) -> list[tuple[list[list[Person]], int]]:
    if not k:
        return []
    count = math.ceil(k / SETS_PER_BLOCK)
    sizes = [k // count + (1 if i < k % count else 0) for i in range(count)]
    blocks: list[tuple[list[list[Person]], int]] = []
    current: list[list[Person]] = []
    placed, cumulative_sets = 0, 0
    for unit in units:
        current.append(unit)
        placed += len(unit)
        target = round(n * (cumulative_sets + sizes[len(blocks)]) / k)
        if placed >= target and len(blocks) < count - 1:
            cumulative_sets += sizes[len(blocks)]
            blocks.append((current, sizes[len(blocks)]))
            current = []
    blocks.append((current, sizes[len(blocks)]))
    # A block whose people cannot fill its sets to five (a big requested group at an edge) gives a set back.
    return [(units_, max(1, min(sets, sum(map(len, units_)) // MIN_SIZE))) for units_, sets in blocks if units_]


def _capacities(n: int, sets: int) -> tuple[int, int]:
    return n // sets, math.ceil(n / sets)


class _Tally:
    """A block's sets while they fill: members, offsets and counts, for the greedy's cost."""

    def __init__(self, problem: Problem, people: list[Person], sets: int):
        self.problem = problem
        self.members: list[list[Person]] = [[] for _ in range(sets)]
        self.forbidden: dict[int, set[int]] = {}
        for a, b in problem.must_not_share:
            self.forbidden.setdefault(a, set()).add(b)
            self.forbidden.setdefault(b, set()).add(a)
        self.shares = {
            attribute: {value: math.ceil(n / sets) for value, n in Counter(getattr(p, attribute) for p in people).items()}
            for attribute in ("department", "organisation")
        }

    def cost(self, index: int, unit: list[Person]) -> float:
        members = self.members[index]
        keys = {p.key for p in members}
        cost = sum(WEIGHTS["must_not_share"] for p in unit for other in self.forbidden.get(p.key, ()) if other in keys)
        limit = self.problem.span_minutes
        if limit is not None and members:
            offsets = [p.offset for p in members + unit]
            before = max(0, max(p.offset for p in members) - min(p.offset for p in members) - limit)
            cost += WEIGHTS["time_zone"] * (max(0, max(offsets) - min(offsets) - limit) - before) / 60
        for attribute in ("department", "organisation"):
            counts = Counter(getattr(p, attribute) for p in members)
            for p in unit:
                value = getattr(p, attribute)
                if value:
                    counts[value] += 1
                    if counts[value] > self.shares[attribute][value]:
                        cost += WEIGHTS[attribute]
        return cost


def _greedy(problem: Problem, units: list[list[Person]], sets: int) -> list[list[int]]:
    """Each group, in time-zone order, into the set where it adds least cost; ties go to the
    fuller set, which keeps sets compact in time. Sizes are balanced (floor or ceiling)."""
    people = [p for unit in units for p in unit]
    low, high = _capacities(len(people), sets)
    room = [high if i < len(people) % sets or len(people) % sets == 0 else low for i in range(sets)]
    tally = _Tally(problem, people, sets)
    queue = list(units)
    while queue:
        unit = queue.pop(0)
        open_sets = [i for i in range(sets) if room[i] >= len(unit)]
        if not open_sets:  # a group that no longer fits anywhere whole: place its people one by one
            queue[:0] = [[p] for p in unit]
            continue
        best = min(open_sets, key=lambda i: (tally.cost(i, unit), -len(tally.members[i]), i))
        tally.members[best] += unit
        room[best] -= len(unit)
    return [[p.key for p in members] for members in tally.members]


def _solve(problem: Problem, people: list[Person], sets: int, hint: list[list[int]], deadline: float,
           blocks_left: int, workers: int) -> tuple[list[list[int]], str]:
    """Improve one block's greedy allocation with CP-SAT, in this block's share of the time left
    (measured after the model is built, so building counts against the limit too)."""
    from ortools.sat.python import cp_model

    if sets <= 1:
        return hint, "single set"
    model = cp_model.CpModel()
    keys = [p.key for p in people]
    x = {(key, s): model.NewBoolVar(f"x{key}_{s}") for key in keys for s in range(sets)}
    for key in keys:
        model.AddExactlyOne(x[key, s] for s in range(sets))
    # The solver may make a set one larger or smaller than asked (within 5 to 8): an uneven
    # split often keeps a time-zone cluster together.
    low, high = _capacities(len(people), sets)
    low, high = max(MIN_SIZE, min(low, problem.size - 1)), min(MAX_SIZE, max(high, problem.size + 1))
    for s in range(sets):
        model.AddLinearConstraint(sum(x[key, s] for key in keys), low, high)
    terms = []
    inside = set(keys)
    for a, b in problem.must_not_share:
        if a in inside and b in inside:
            broken = model.NewBoolVar("")
            for s in range(sets):
                model.Add(x[a, s] + x[b, s] <= 1 + broken)
            terms.append(WEIGHTS["must_not_share"] * broken)
    for a, b in problem.requested:
        if a in inside and b in inside:
            apart = model.NewBoolVar("")
            for s in range(sets):
                model.Add(x[a, s] - x[b, s] <= apart)
            terms.append(WEIGHTS["requested"] * apart)
    terms += _time_zone_terms(model, problem, people, sets, x)
    for attribute in ("department", "organisation"):
        groups: dict[str, list[int]] = {}
        for p in people:
            if getattr(p, attribute):
                groups.setdefault(getattr(p, attribute), []).append(p.key)
        for members in groups.values():
            share = math.ceil(len(members) / sets)
            if len(members) <= share:
                continue
            for s in range(sets):
                excess = model.NewIntVar(0, len(members), "")
                model.Add(excess >= sum(x[key, s] for key in members) - share)
                terms.append(WEIGHTS[attribute] * excess)
    model.Minimize(sum(terms))
    for s, members in enumerate(hint):
        for key in keys:
            model.AddHint(x[key, s], key in members)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, (deadline - time.monotonic()) / blocks_left)
    solver.parameters.num_workers = workers
    # Blocks are small and their time short: presolve and the LP relaxation cost more than they
    # give here (measured: with both off, eight-set blocks reach optimal in 0.1 s instead of 0.4 s).
    solver.parameters.cp_model_presolve = False
    solver.parameters.linearization_level = 0
    status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return hint, "greedy (no solution in time)"
    return ([[key for key in keys if solver.BooleanValue(x[key, s])] for s in range(sets)],
            "optimal" if status == cp_model.OPTIMAL else "feasible (time limit)")


def _time_zone_terms(model, problem: Problem, people: list[Person], sets: int, x) -> list:
    limit = problem.span_minutes
    quarters = {p.key: p.offset // QUARTER for p in people}
    lowest, highest = min(quarters.values()), max(quarters.values())
    if limit is None or (highest - lowest) * QUARTER <= limit:
        return []
    terms = []
    for s in range(sets):
        low = model.NewIntVar(lowest, highest, "")
        high = model.NewIntVar(lowest, highest, "")
        over = model.NewIntVar(0, highest - lowest, "")
        for key, q in quarters.items():
            model.Add(low <= q).OnlyEnforceIf(x[key, s])
            model.Add(high >= q).OnlyEnforceIf(x[key, s])
        model.Add(over >= high - low - limit // QUARTER)
        terms.append(WEIGHTS["time_zone"] * QUARTER // 60 * over)  # cost per hour over, counted per quarter-hour
    return terms


def _place_facilitators(problem: Problem, sets: list[list[int]]) -> list[list[int]]:
    """Facilitators as given stay; the others, nearest in time first, go one at a time to a set
    with the fewest facilitators, avoiding must-not pairs and keeping close in time."""
    placed = [list(problem.given_facilitators.get(i, [])) for i in range(len(sets))]
    if not sets:
        return placed
    given = {key for keys in placed for key in keys}
    forbidden: dict[int, set[int]] = {}
    for a, b in problem.must_not_share:
        forbidden.setdefault(a, set()).add(b)
        forbidden.setdefault(b, set()).add(a)
    middles = [sorted(problem.people[k].offset for k in members)[len(members) // 2] if members else 0 for members in sets]
    for person in sorted((f for f in problem.facilitators if f.key not in given), key=lambda f: (f.offset, f.key)):
        fewest = min(len(f) for f in placed)
        candidates = [i for i in range(len(sets)) if len(placed[i]) == fewest]
        best = min(candidates, key=lambda i: (bool(forbidden.get(person.key, set()) & set(sets[i] + placed[i])),
                                             abs(middles[i] - person.offset), i))
        placed[best].append(person.key)
    return placed


def diagnose(problem: Problem) -> list[Unmet]:
    """What no allocation can meet, and for whom: found from the constraints alone."""
    found: list[Unmet] = []
    learners = problem.learners
    if 0 < len(learners) < MIN_SIZE:
        found.append(Unmet("size", ngettext(
            "There is only %(count)s learner to allocate: a set has at least %(min)s.",
            "There are only %(count)s learners to allocate: a set has at least %(min)s.", len(learners),
        ) % {"count": len(learners), "min": MIN_SIZE}, [p.key for p in learners]))
    k = problem.set_count()
    if len(learners) >= MIN_SIZE and not MIN_SIZE * k <= len(learners) <= MAX_SIZE * k:
        found.append(Unmet("size", ngettext(
            "%(count)s learners cannot be split into sets of %(min)s to %(max)s: they are proposed as %(sets)s set.",
            "%(count)s learners cannot be split into sets of %(min)s to %(max)s: they are proposed as %(sets)s sets.", k,
        ) % {"count": len(learners), "min": MIN_SIZE, "max": MAX_SIZE, "sets": k}))
    limit = problem.span_minutes
    if limit is not None and len(learners) >= MIN_SIZE:
        offsets = sorted(p.offset for p in learners)
        starts = sorted(set(offsets))
        window = {s: sum(1 for o in offsets if s <= o <= s + limit) for s in starts}
        for offset in sorted(set(offsets)):
            best = max(window[s] for s in starts if offset - limit <= s <= offset)
            if best < MIN_SIZE:
                alone = [p.key for p in learners if p.offset == offset]
                names = ", ".join(problem.people[k].name for k in alone[:5]) + (" …" if len(alone) > 5 else "")
                found.append(Unmet("time_zone", ngettext(
                    "%(names)s (%(utc)s): only %(count)s other learner within %(hours)s hours, so no set of %(min)s can "
                    "keep within the time-zone span.",
                    "%(names)s (%(utc)s): only %(count)s other learners within %(hours)s hours, so no set of %(min)s can "
                    "keep within the time-zone span.", best - 1,
                ) % {"names": names, "utc": utc_label(offset), "count": best - 1, "hours": hours(problem.span_hours),
                     "min": MIN_SIZE}, alone))
    forbidden = {frozenset(pair) for pair in problem.must_not_share}
    for a, b in problem.requested:
        if frozenset((a, b)) in forbidden:
            found.append(Unmet("requested", gettext("%(first)s and %(second)s are both a requested pair and a "
                                                    "must-not-share pair: they are kept apart.")
                               % {"first": problem.people[a].name, "second": problem.people[b].name}, [a, b]))
        elif limit is not None and a in problem.people and b in problem.people and span(problem, [a, b]) > limit:
            found.append(Unmet("requested", gettext("%(first)s and %(second)s asked to be together but are %(hours)s "
                                                    "hours apart (the span is %(limit)s).")
                               % {"first": problem.people[a].name, "second": problem.people[b].name,
                                  "hours": hours(span(problem, [a, b]) / 60), "limit": hours(problem.span_hours)}, [a, b]))
    for members in _requested_groups_over(problem):
        found.append(Unmet("requested", gettext("Requested pairs join %(count)s people into one group (%(names)s); a "
                                                "set holds %(size)s.")
                           % {"count": len(members), "size": problem.size,
                              "names": ", ".join(problem.people[k].name for k in members[:6])
                              + (" …" if len(members) > 6 else "")}, members))
    if problem.facilitators_per_set and len(problem.facilitators) + sum(map(len, problem.given_facilitators.values())) \
            < problem.set_count() * problem.facilitators_per_set:
        needed = problem.set_count() * problem.facilitators_per_set
        found.append(Unmet("facilitators", ngettext(
            "%(sets)s sets need %(count)s facilitator; the cohort has %(has)s.",
            "%(sets)s sets need %(count)s facilitators; the cohort has %(has)s.", needed,
        ) % {"sets": problem.set_count(), "count": needed, "has": len(problem.facilitators)}))
    return found


def _requested_groups_over(problem: Problem) -> list[list[int]]:
    neighbours: dict[int, set[int]] = {}
    for a, b in _joinable_requests(problem):
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    seen: set[int] = set()
    over = []
    for start in neighbours:
        if start in seen:
            continue
        group, stack = [], [start]
        while stack:
            key = stack.pop()
            if key in seen:
                continue
            seen.add(key)
            group.append(key)
            stack += neighbours[key] - seen
        if len(group) > problem.size:
            over.append(sorted(group))
    return over
