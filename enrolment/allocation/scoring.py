"""Scoring an allocation and naming what it does not meet. This reads a finished allocation
(whoever made it: the greedy start, the solver, or a person moving someone by hand); it shares
nothing with the CP-SAT model, so the model is checked against it."""

import math
from collections import Counter

from .problem import MAX_SIZE, MIN_SIZE, WEIGHTS, Problem, Unmet


def utc_label(offset: int) -> str:
    sign = "+" if offset >= 0 else "−"
    hours, minutes = divmod(abs(offset), 60)
    return f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")


def _names(problem: Problem, keys) -> str:
    names = [problem.people[k].name for k in keys]
    return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)


def fair_shares(problem: Problem, attribute: str, set_count: int) -> dict[str, int]:
    counts = Counter(getattr(p, attribute) for p in problem.learners if getattr(p, attribute))
    return {value: math.ceil(n / set_count) for value, n in counts.items()} if set_count else {}


def span(problem: Problem, keys) -> int:
    offsets = [problem.people[k].offset for k in keys]
    return max(offsets) - min(offsets) if offsets else 0


def evaluate(problem: Problem, sets: list[list[int]], facilitators: list[list[int]] | None = None,
             ) -> tuple[dict[str, int], list[Unmet]]:
    """The cost of each constraint and every unmet one, set by set and pair by pair."""
    facilitators = facilitators or [[] for _ in sets]
    costs = dict.fromkeys(WEIGHTS, 0)
    unmet: list[Unmet] = []
    where = {key: index for index, members in enumerate(sets) for key in members}
    missing = [p.key for p in problem.learners if p.key not in where]
    if missing:
        unmet.append(Unmet("size", f"{len(missing)} learner(s) are in no set: {_names(problem, missing[:10])}.", missing))
    for index, members in enumerate(sets):
        if not MIN_SIZE <= len(members) <= MAX_SIZE and len(problem.learners) >= MIN_SIZE:
            unmet.append(Unmet("size", f"Set {index + 1} has {len(members)} learners (sets have {MIN_SIZE} to {MAX_SIZE}).",
                               list(members), index))
    _time_zones(problem, sets, costs, unmet)
    anywhere: dict[int, set[int]] = {}
    for index, members in enumerate(sets):
        for key in list(members) + list(facilitators[index]):
            anywhere.setdefault(key, set()).add(index)
    for a, b in problem.must_not_share:
        for index in sorted(anywhere.get(a, set()) & anywhere.get(b, set())):
            costs["must_not_share"] += WEIGHTS["must_not_share"]
            unmet.append(Unmet("must_not_share", f"{_names(problem, [a, b])} must not share a set but are both in "
                                                 f"Set {index + 1}.", [a, b], index))
    for a, b in problem.requested:
        if a in where and b in where and where[a] != where[b]:
            costs["requested"] += WEIGHTS["requested"]
            unmet.append(Unmet("requested", f"{_names(problem, [a, b])} asked to be together; they are in "
                                            f"Set {where[a] + 1} and Set {where[b] + 1}.", [a, b]))
    for attribute in ("department", "organisation"):
        shares = fair_shares(problem, attribute, len(sets))
        for index, members in enumerate(sets):
            counts = Counter(getattr(problem.people[k], attribute) for k in members)
            for value, n in counts.items():
                if value and n > shares[value]:
                    costs[attribute] += WEIGHTS[attribute] * (n - shares[value])
                    unmet.append(Unmet(attribute, f"Set {index + 1} has {n} people from {value} (an even spread "
                                                  f"is at most {shares[value]}).",
                                       [k for k in members if getattr(problem.people[k], attribute) == value], index))
    _facilitators(problem, facilitators, unmet)
    return costs, unmet


def _time_zones(problem: Problem, sets, costs, unmet) -> None:
    limit = problem.span_minutes
    if limit is None:
        return
    for index, members in enumerate(sets):
        width = span(problem, members)
        if width > limit:
            costs["time_zone"] += math.ceil(WEIGHTS["time_zone"] * (width - limit) / 60)
            ends = [min(members, key=lambda k: problem.people[k].offset), max(members, key=lambda k: problem.people[k].offset)]
            unmet.append(Unmet("time_zone", f"Set {index + 1} spans {width / 60:g} hours (the limit is "
                                            f"{problem.span_hours:g}): {problem.people[ends[0]].name} "
                                            f"({utc_label(problem.people[ends[0]].offset)}) to {problem.people[ends[1]].name} "
                                            f"({utc_label(problem.people[ends[1]].offset)}).", ends, index))


def _facilitators(problem: Problem, facilitators, unmet) -> None:
    short = [i for i, f in enumerate(facilitators) if len(f) < problem.facilitators_per_set]
    if short:
        shown = ", ".join(f"Set {i + 1}" for i in short[:12]) + (" …" if len(short) > 12 else "")
        unmet.append(Unmet("facilitators", f"{len(short)} set(s) have fewer than {problem.facilitators_per_set} "
                                           f"facilitator(s): {shown}. There are {len(problem.facilitators)} facilitator(s) "
                                           f"to place for {len(facilitators)} set(s)."))
