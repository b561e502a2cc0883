"""The allocation solver, checked from outside: every property is verified here by plain
loops over the sets it returned, never by the solver's own scoring."""

import random

import pytest

from enrolment.allocation import Person, Problem, allocate, evaluate

HOUR = 60


def cohort(n, *, seed=1, offsets=(0,), departments="ABCD", organisations=("o1", "o2", "o3")):
    rnd = random.Random(seed)
    return [Person(key=i, name=f"Learner {i}", offset=rnd.choice(offsets), department=rnd.choice(departments),
                   organisation=rnd.choice(organisations)) for i in range(1, n + 1)]


def placed_once(problem, sets):
    keys = [k for s in sets for k in s]
    return sorted(keys) == sorted(p.key for p in problem.learners)


def where(sets):
    return {k: i for i, s in enumerate(sets) for k in s}


def widest_span(problem, sets):
    return max(max(problem.people[k].offset for k in s) - min(problem.people[k].offset for k in s) for s in sets)


def test_every_learner_is_placed_once_in_sets_of_the_chosen_size_and_diverse():
    learners = cohort(60)
    problem = Problem(learners=learners, size=6, span_hours=None)
    result = allocate(problem, time_limit=5)
    assert placed_once(problem, result.sets)
    assert len(result.sets) == 10 and all(5 <= len(s) <= 7 for s in result.sets)
    for attribute in ("department", "organisation"):
        for s in result.sets:
            counts = {}
            for k in s:
                value = getattr(problem.people[k], attribute)
                counts[value] = counts.get(value, 0) + 1
            total = {v: sum(getattr(p, attribute) == v for p in learners) for v in counts}
            # spread, not clustered: no set holds more than its even share plus one of any value
            assert all(counts[v] <= -(-total[v] // len(result.sets)) + 1 for v in counts), (attribute, counts)


@pytest.mark.parametrize("n", [5, 8, 10, 13, 47, 100])
def test_set_sizes_stay_between_five_and_eight(n):
    problem = Problem(learners=cohort(n), size=6, span_hours=None)
    result = allocate(problem, time_limit=3)
    assert placed_once(problem, result.sets)
    assert all(5 <= len(s) <= 8 for s in result.sets), [len(s) for s in result.sets]


@pytest.mark.parametrize("n", [3, 9])
def test_a_cohort_that_cannot_make_sets_of_five_to_eight_is_explained(n):
    problem = Problem(learners=cohort(n), size=6, span_hours=None, facilitators_per_set=0)
    result = allocate(problem, time_limit=1)
    assert placed_once(problem, result.sets)
    assert [u.constraint for u in result.diagnosis] == ["size"]


def test_must_not_share_pairs_are_apart_and_requested_pairs_together():
    learners = cohort(36)
    must_not = [(1, 2), (3, 4), (1, 5), (6, 7), (8, 9)]
    requested = [(10, 11), (12, 13), (2, 14)]
    problem = Problem(learners=learners, size=6, span_hours=None, must_not_share=must_not, requested=requested)
    result = allocate(problem, time_limit=5)
    at = where(result.sets)
    assert all(at[a] != at[b] for a, b in must_not)
    assert all(at[a] == at[b] for a, b in requested)
    assert result.costs["must_not_share"] == 0 and result.costs["requested"] == 0


def test_time_zones_stay_within_the_span():
    # Two clusters of 24 (UTC−8/−7 and UTC+0/+1): eight sets of six can each keep within 2 hours.
    learners = [Person(key=i + 1, name=f"L{i}", offset=[-8, -7, 0, 1][i // 12] * HOUR) for i in range(48)]
    problem = Problem(learners=learners, size=6, span_hours=2)
    result = allocate(problem, time_limit=5)
    assert placed_once(problem, result.sets)
    assert widest_span(problem, result.sets) <= 2 * HOUR
    assert not [u for u in result.unmet if u.constraint == "time_zone"]


def test_facilitators_are_spread_one_per_set_away_from_their_conflicts():
    learners = cohort(30)
    facilitators = [Person(key=100 + i, name=f"Facilitator {i}") for i in range(5)]
    problem = Problem(learners=learners, facilitators=facilitators, size=6, span_hours=None,
                      must_not_share=[(100, 1), (100, 2), (100, 3)])
    result = allocate(problem, time_limit=3)
    assert sorted(len(f) for f in result.facilitators) == [1] * 5
    facilitator_set = next(i for i, f in enumerate(result.facilitators) if 100 in f)
    assert not {1, 2, 3} & set(result.sets[facilitator_set])


def test_an_impossible_time_zone_is_named_with_whom_and_the_best_allocation_is_still_proposed():
    learners = [Person(key=i, name=f"London {i}", offset=0) for i in range(1, 19)]
    learners += [Person(key=50, name="Aroha in Auckland", offset=13 * HOUR),
                 Person(key=51, name="Tama in Auckland", offset=13 * HOUR)]
    problem = Problem(learners=learners, size=6, span_hours=3)
    result = allocate(problem, time_limit=3)
    assert placed_once(problem, result.sets)  # still a full allocation
    diagnosis = [u for u in result.diagnosis if u.constraint == "time_zone"]
    assert diagnosis and set(diagnosis[0].people) == {50, 51}
    assert "Aroha in Auckland" in diagnosis[0].message and "UTC+13" in diagnosis[0].message
    unmet = [u for u in result.unmet if u.constraint == "time_zone"]
    assert unmet and {50, 51} & set(unmet[0].people)
    # The best found: only one set pays for Auckland.
    assert sum(1 for s in result.sets if {50, 51} & set(s)) == 1


def test_must_not_pairs_that_cannot_all_be_apart_are_reported_pair_by_pair():
    # Six learners, one set: every must-not pair among them is unavoidable.
    learners = cohort(6)
    problem = Problem(learners=learners, size=6, span_hours=None, must_not_share=[(1, 2)])
    result = allocate(problem, time_limit=2)
    assert len(result.sets) == 1
    [unmet] = [u for u in result.unmet if u.constraint == "must_not_share"]
    assert unmet.people == [1, 2] and "Learner 1 and Learner 2 must not share a set" in unmet.message


def test_a_pair_both_requested_and_forbidden_is_explained_and_kept_apart():
    problem = Problem(learners=cohort(24), size=6, span_hours=None, must_not_share=[(1, 2)], requested=[(1, 2)])
    result = allocate(problem, time_limit=2)
    assert where(result.sets)[1] != where(result.sets)[2]
    assert any(u.constraint == "requested" and set(u.people) == {1, 2} for u in result.diagnosis)


def test_too_few_facilitators_is_explained():
    problem = Problem(learners=cohort(30), facilitators=[Person(key=100, name="F")], size=6, span_hours=None)
    result = allocate(problem, time_limit=2)
    assert any(u.constraint == "facilitators" for u in result.diagnosis)
    assert any(u.constraint == "facilitators" for u in result.unmet)


def test_scoring_counts_what_it_is_given():
    problem = Problem(learners=cohort(12, departments="A", organisations=("o1",)), size=6, span_hours=None,
                      must_not_share=[(1, 2)], requested=[(3, 4)], facilitators_per_set=0)
    costs, unmet = evaluate(problem, [[1, 2, 3, 5, 6, 7], [4, 8, 9, 10, 11, 12]])
    assert costs["must_not_share"] == 1000 and costs["requested"] == 10
    assert costs["department"] == 0  # one department: an even share is the whole set
    assert {u.constraint for u in unmet} == {"must_not_share", "requested"}


def test_a_size_outside_five_to_eight_is_refused():
    with pytest.raises(ValueError):
        Problem(learners=cohort(10), size=9)
