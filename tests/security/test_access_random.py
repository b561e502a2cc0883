"""Randomised access: over thousands of membership set-ups, "can see" and "is shown" always agree.

A small fixed database (people × sets, each set with an airtime and a commitment); each seed
draws a membership state for every (person, set) pair — none, learner, facilitator, left
(past or future `left_at`), left then re-joined — and staff flags, archived sets. Then, for
every pair, `permissions.get_set_or_404` (can see), the set listing `selectors.home_for`
(is listed, and its commitments), and `get_airtime_or_404` on every airtime must all agree with
each other and with the rule written out independently here: a set is visible iff the person has
a membership row with no `left_at`.
"""

import random
from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from actionsets import permissions, selectors, services
from actionsets.models import ActionCommitment, Membership
from tests.factories import ActionSetFactory, RoundFactory, UserFactory

pytestmark = [pytest.mark.security, pytest.mark.django_db]

PEOPLE, SETS, SEEDS = 40, 5, 12  # 40 × 5 = 200 set-ups per seed → 2,400 in all
STATES = ["none", "learner", "facilitator", "left", "left-facilitator", "left-future", "rejoined"]


@pytest.fixture
def fixed_world():
    now = timezone.now()
    sets = [ActionSetFactory(slug=f"rand-{n}", archived=(n == SETS - 1)) for n in range(SETS)]
    people = [UserFactory() for _ in range(PEOPLE)]
    airtimes = {}
    for n, action_set in enumerate(sets):
        RoundFactory(action_set=action_set, number=1, opens_at=now - timedelta(days=1))
        presenter = people[n]
        Membership.objects.create(user=presenter, action_set=action_set, ground_rules_accepted_at=now)
        action_set.archived, archived = False, action_set.archived  # present before archiving
        airtimes[action_set.pk] = services.present_airtime(presenter=presenter, action_set=action_set,
                                                           title=f"Airtime {n}", body="Body")
        services.record_commitment(owner=presenter, airtime=airtimes[action_set.pk], text=f"Commit {n}")
        if archived:
            action_set.archived = True
            action_set.save(update_fields=["archived"])
    return sets, people, airtimes


def _apply(rng: random.Random, sets, people) -> dict:
    """Replace every membership with a random state; return the expected visibility per pair."""
    now = timezone.now()
    Membership.objects.all().delete()
    rows, expected = [], {}
    for person in people:
        person.is_staff = rng.random() < 0.1
        for action_set in sets:
            state = rng.choice(STATES)
            role = Membership.Role.FACILITATOR if "facilitator" in state or rng.random() < 0.15 else Membership.Role.LEARNER
            if state.startswith("left") or state == "rejoined":
                left_at = now + timedelta(days=3) if state == "left-future" else now - timedelta(days=rng.randint(1, 30))
                rows.append(Membership(user=person, action_set=action_set, role=role, left_at=left_at))
            if state in {"learner", "facilitator", "rejoined"}:
                rows.append(Membership(user=person, action_set=action_set, role=role, ground_rules_accepted_at=now))
            expected[(person.pk, action_set.pk)] = state in {"learner", "facilitator", "rejoined"}
    Membership.objects.bulk_create(rows)
    return expected


def _can_see(person, action_set) -> bool:
    try:
        access = permissions.get_set_or_404(person, action_set.slug)
    except Http404:
        return False
    assert access.action_set.pk == action_set.pk and access.membership.left_at is None
    return True


@pytest.mark.parametrize("seed", range(SEEDS))
def test_can_see_and_is_listed_always_agree(fixed_world, seed):
    sets, people, airtimes = fixed_world
    rng = random.Random(seed)
    expected = _apply(rng, sets, people)
    now = timezone.now()
    for person in people:
        summaries, commitments = selectors.home_for(person, now=now)
        listed = {s.action_set.pk for s in summaries}
        assert len(listed) == len(summaries), "a set listed twice"
        for action_set in sets:
            visible = expected[(person.pk, action_set.pk)]
            assert _can_see(person, action_set) is visible, (seed, person.pk, action_set.slug)
            assert (action_set.pk in listed) is visible, (seed, person.pk, action_set.slug)
            if visible:
                access = permissions.get_set_or_404(person, action_set.slug)
                for set_pk, airtime in airtimes.items():
                    _check_airtime(access, airtime, mine=set_pk == action_set.pk)
        assert {c.airtime.action_set_id for c in commitments} <= listed
        owned = ActionCommitment.objects.filter(owner=person, status="open").values_list("airtime__action_set_id", flat=True)
        assert {c.pk for c in commitments} == {
            c.pk for c in ActionCommitment.objects.filter(owner=person, status="open", airtime__action_set_id__in=listed)
        } and set(owned) >= {c.airtime.action_set_id for c in commitments}


def _check_airtime(access, airtime, *, mine: bool) -> None:
    try:
        found = permissions.get_airtime_or_404(access, airtime.pk)
    except Http404:
        assert not mine, "an airtime of a visible set was hidden"
    else:
        assert mine and found.action_set_id == access.action_set.pk, "an airtime of another set was shown"


def test_the_random_check_covers_at_least_2000_setups():
    assert PEOPLE * SETS * SEEDS >= 2000
