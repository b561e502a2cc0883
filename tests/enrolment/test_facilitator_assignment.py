"""Staff may not make themselves facilitators, and every facilitator is announced in the set
(issue 11): members always know who can read everything. The digest line is in
tests/engagement/test_facilitator_digest.py."""

from datetime import UTC, datetime

from django.urls import reverse

from actionsets.models import Membership
from enrolment import services
from tests.factories import UserFactory


def test_staff_cannot_assign_themselves_as_facilitator(client, staff, action_set):
    client.force_login(staff)
    response = client.post(reverse("enrolment:set_facilitator", args=[action_set.slug]), {"email": staff.email})
    assert response.status_code == 400
    assert "You can&#x27;t make yourself a facilitator" in response.content.decode()
    assert not Membership.objects.filter(user=staff, action_set=action_set).exists()


def test_staff_cannot_enrol_themselves_by_hand(client, staff, action_set):
    client.force_login(staff)
    response = client.post(reverse("enrolment:person_add", args=[action_set.cohort.slug]), {
        "email": staff.email, "display_name": "Me", "set_name": action_set.name, "role": "facilitator",
    })
    assert "your own address" in response.content.decode()
    assert not Membership.objects.filter(user=staff).exists()


def test_another_administrator_may_assign_them_and_the_set_page_says_so(client, staff, learner, action_set):
    other_admin = UserFactory(is_staff=True, email="admin2@example.com")
    when = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)
    services.assign_facilitator(actor=other_admin, action_set=action_set, user=staff, now=when)
    client.force_login(learner)
    page = client.get(reverse("actionsets:set_home", args=[action_set.slug])).content.decode()
    assert f'{staff.name} joined as facilitator on <time datetime="2026-12-06">6 Dec 2026</time>' in page


def test_a_promoted_learner_is_announced_from_the_day_of_promotion(client, staff, learner, learner2, action_set):
    when = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    services.assign_facilitator(actor=staff, action_set=action_set, user=learner2, now=when)
    client.force_login(learner)
    page = client.get(reverse("actionsets:set_home", args=[action_set.slug])).content.decode()
    assert f"{learner2.name} joined as facilitator on <time datetime=\"2026-12-01\">1 Dec 2026</time>" in page


def test_staff_cannot_enrol_themselves_from_a_file(preview, staff, action_set):
    import pytest
    from django.core.exceptions import ValidationError

    from .conftest import make_csv

    batch = preview(make_csv([("someone@example.org", "Someone", "Set A", "learner"),
                              (staff.email, "Me", "Set A", "facilitator")]))
    with pytest.raises(ValidationError, match="Row 3: that is your own address"):
        services.commit_enrolment(batch=batch, actor=staff)
    assert not Membership.objects.filter(user__email__in=[staff.email, "someone@example.org"]).exists()
