"""Reads written out as SQL for speed (`rounds_of`, `memberships_with_users`) answer what the ORM
queries they replace answer, field by field and in order, on SQLite and on PostgreSQL."""

from datetime import timedelta

from django.utils import timezone

from actionsets import selectors
from actionsets.models import Membership, Round
from tests.factories import MembershipFactory, RoundFactory


def _fields(instance):
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_rounds_of_equals_the_orm(action_set, other_set):
    for number in (3, 1, 2):
        RoundFactory(action_set=action_set, number=number, ask_before_seeing=number == 2)
    RoundFactory(action_set=other_set, number=1)
    expected = list(Round.objects.filter(action_set=action_set).order_by("number"))
    found = selectors.rounds_of(action_set)
    assert [r.number for r in found] == [1, 2, 3]
    assert [_fields(r) for r in found] == [_fields(r) for r in expected]
    assert all(timezone.is_aware(r.opens_at) for r in found)


def test_memberships_with_users_equals_the_orm(action_set, other_set, learner, facilitator):
    MembershipFactory(action_set=action_set, left_at=timezone.now() - timedelta(days=2),
                      ground_rules_accepted_at=timezone.now())
    MembershipFactory(action_set=other_set)
    expected = sorted(Membership.objects.filter(action_set=action_set).select_related("user"), key=lambda m: m.pk)
    found = selectors.memberships_with_users(action_set.pk)
    assert [_fields(m) for m in found] == [_fields(m) for m in expected]
    assert [_fields(m.user) for m in found] == [_fields(m.user) for m in expected]
    assert len(found) == 3 and any(not m.is_current for m in found)
