"""The hand-written membership gate (`permissions._current_membership_by_slug`) answers exactly
what the ORM query it replaces answers, field by field, on SQLite and on PostgreSQL."""

from datetime import timedelta

import pytest
from django.utils import timezone

from actionsets import permissions
from actionsets.models import Membership
from tests.factories import ActionSetFactory, MembershipFactory


def _orm(user_id, slug):
    return (
        Membership.objects.current().select_related("action_set", "action_set__cohort")
        .filter(user_id=user_id, action_set__slug=slug).first()
    )


def _fields(instance):
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


@pytest.fixture
def states(action_set, other_set, learner, facilitator):
    left = MembershipFactory(action_set=other_set, left_at=timezone.now() - timedelta(days=1)).user
    archived = ActionSetFactory(slug="old-set", archived=True, cohort=action_set.cohort,
                                ask_before_seeing=True, self_managed=True, self_managed_from_round=2)
    MembershipFactory(action_set=archived, user=learner, ground_rules_accepted_at=timezone.now())
    return [(learner, action_set.slug), (facilitator, action_set.slug), (left, other_set.slug),
            (learner, "old-set"), (learner, other_set.slug), (learner, "no-such-set"), (facilitator, "old-set")]


def test_gate_equals_the_orm_for_every_membership_state(states):
    for user, slug in states:
        expected = _orm(user.pk, slug)
        found = permissions._current_membership_by_slug(user.pk, slug)
        if expected is None:
            assert found is None, (user, slug)
            continue
        assert _fields(found) == _fields(expected)
        assert _fields(found.action_set) == _fields(expected.action_set)
        assert _fields(found.action_set.cohort) == _fields(expected.action_set.cohort)
        assert found._state.adding is False and found._state.db == expected._state.db


def test_gate_types_survive_the_round_trip(states, learner):
    membership = permissions._current_membership_by_slug(learner.pk, "old-set")
    assert membership.action_set.archived is True and membership.action_set.ask_before_seeing is True
    assert timezone.is_aware(membership.ground_rules_accepted_at) and timezone.is_aware(membership.joined_at)
    assert membership.action_set.self_managed_from_round == 2
