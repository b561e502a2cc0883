"""Scoring an allocation and naming what it does not meet. This reads a finished allocation
(whoever made it: the greedy start, the solver, or a person moving someone by hand); it shares
nothing with the CP-SAT model, so the model is checked against it."""

import math
from collections import Counter

from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from .problem import MAX_SIZE, MIN_SIZE, WEIGHTS, Problem, Unmet


def utc_label(offset: int) -> str:
    sign = "+" if offset >= 0 else "−"
    hours, minutes = divmod(abs(offset), 60)
    return f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")


def hours(value: float) -> str:
    """A number of hours as people write it in the active language: 3, 3.5 (3,5 in es and de)."""
    value = round(value, 2)
    return str(int(value)) if value == int(value) else number_format(value)


def set_label(number: int) -> str:
    return gettext("Set %(number)s") % {"number": number}


def _names(problem: Problem, keys) -> str:
    names = [problem.people[k].name for k in keys]
    if len(names) < 2:
        return "".join(names)
    return gettext("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


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
        unmet.append(Unmet("size", ngettext("%(count)s learner is in no set: %(names)s.",
                                            "%(count)s learners are in no set: %(names)s.", len(missing))
                           % {"count": len(missing), "names": _names(problem, missing[:10])}, missing))
    for index, members in enumerate(sets):
        if not MIN_SIZE <= len(members) <= MAX_SIZE and len(problem.learners) >= MIN_SIZE:
            unmet.append(Unmet("size", ngettext(
                "Set %(number)s has %(count)s learner (sets have %(min)s to %(max)s).",
                "Set %(number)s has %(count)s learners (sets have %(min)s to %(max)s).", len(members),
            ) % {"number": index + 1, "count": len(members), "min": MIN_SIZE, "max": MAX_SIZE}, list(members), index))
    _time_zones(problem, sets, costs, unmet)
    anywhere: dict[int, set[int]] = {}
    for index, members in enumerate(sets):
        for key in list(members) + list(facilitators[index]):
            anywhere.setdefault(key, set()).add(index)
    for a, b in problem.must_not_share:
        for index in sorted(anywhere.get(a, set()) & anywhere.get(b, set())):
            costs["must_not_share"] += WEIGHTS["must_not_share"]
            unmet.append(Unmet("must_not_share", gettext("%(names)s must not share a set but are both in Set %(number)s.")
                               % {"names": _names(problem, [a, b]), "number": index + 1}, [a, b], index))
    for a, b in problem.requested:
        if a in where and b in where and where[a] != where[b]:
            costs["requested"] += WEIGHTS["requested"]
            unmet.append(Unmet("requested", gettext("%(names)s asked to be together; they are in Set %(first)s and "
                                                    "Set %(second)s.")
                               % {"names": _names(problem, [a, b]), "first": where[a] + 1, "second": where[b] + 1}, [a, b]))
    for attribute in ("department", "organisation"):
        shares = fair_shares(problem, attribute, len(sets))
        for index, members in enumerate(sets):
            counts = Counter(getattr(problem.people[k], attribute) for k in members)
            for value, n in counts.items():
                if value and n > shares[value]:
                    costs[attribute] += WEIGHTS[attribute] * (n - shares[value])
                    unmet.append(Unmet(attribute, gettext("Set %(number)s has %(count)s people from %(value)s (an even "
                                                          "spread is at most %(share)s).")
                                       % {"number": index + 1, "count": n, "value": value, "share": shares[value]},
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
            unmet.append(Unmet("time_zone", gettext(
                "Set %(number)s spans %(hours)s hours (the limit is %(limit)s): %(first)s (%(first_utc)s) to "
                "%(last)s (%(last_utc)s)."
            ) % {"number": index + 1, "hours": hours(width / 60), "limit": hours(problem.span_hours),
                 "first": problem.people[ends[0]].name, "first_utc": utc_label(problem.people[ends[0]].offset),
                 "last": problem.people[ends[1]].name, "last_utc": utc_label(problem.people[ends[1]].offset)},
                ends, index))


def _facilitators(problem: Problem, facilitators, unmet) -> None:
    short = [i for i, f in enumerate(facilitators) if len(f) < problem.facilitators_per_set]
    if short:
        shown = ", ".join(set_label(i + 1) for i in short[:12]) + (" …" if len(short) > 12 else "")
        unmet.append(Unmet("facilitators", " ".join((
            ngettext("%(count)s set has fewer than %(wanted)s facilitator(s): %(shown)s.",
                     "%(count)s sets have fewer than %(wanted)s facilitator(s): %(shown)s.", len(short))
            % {"count": len(short), "wanted": problem.facilitators_per_set, "shown": shown},
            ngettext("There is %(count)s facilitator to place for %(sets)s set(s).",
                     "There are %(count)s facilitators to place for %(sets)s set(s).", len(problem.facilitators))
            % {"count": len(problem.facilitators), "sets": len(facilitators)},
        ))))
