"""Staff never see set content, in the Django admin either (DESIGN.md section 5; issue 11).

A staff superuser's admin shows sets, rounds and memberships, but no ground rules, no process-review
summary and no posts: those are the set's own, read and changed only in the set (ground rules by
their renegotiation). A forged admin POST cannot change them either.
"""

import pytest
from django.contrib import admin
from django.urls import reverse

from actionsets import models, services
from tests.factories import ActionSetFactory, RoundFactory, UserFactory

from .forms import form_data

pytestmark = [pytest.mark.security, pytest.mark.django_db]
RULES = "SECRET-RULES: what is said in the set stays in the set."
SUMMARY = "SECRET-REVIEW: we talk over each other."


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def action_set():
    action_set = ActionSetFactory(slug="set-a")
    services.set_ground_rules(action_set=action_set, ground_rules=RULES)
    RoundFactory(action_set=action_set, number=1, review_summary=SUMMARY)
    return action_set


def test_the_admin_set_form_shows_no_ground_rules(staff_client, action_set):
    page = staff_client.get(reverse("admin:actionsets_actionset_change", args=[action_set.pk])).content.decode()
    assert "SECRET-RULES" not in page and 'name="ground_rules"' not in page
    assert "SECRET-REVIEW" not in page  # the rounds inline leaves the review summary out


def test_an_admin_post_cannot_change_the_ground_rules(staff_client, action_set):
    url = reverse("admin:actionsets_actionset_change", args=[action_set.pk])
    data = form_data(staff_client.get(url).content.decode(), "actionset_form")
    data["ground_rules"] = "Staff may read everything."
    data["name"] = "Set A, renamed"  # what staff may change still saves
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    action_set.refresh_from_db()
    assert action_set.name == "Set A, renamed"
    assert action_set.ground_rules == RULES and "Staff may" not in action_set.ground_rules_html
    assert action_set.rules_version.number == 1  # no new version for members to accept


def test_the_admin_round_form_shows_and_takes_no_review_summary(staff_client, action_set):
    rnd = action_set.rounds.get()
    url = reverse("admin:actionsets_round_change", args=[rnd.pk])
    page = staff_client.get(url).content.decode()
    assert "SECRET-REVIEW" not in page
    data = form_data(page, "round_form")
    data["review_summary"] = "Rewritten by staff."
    assert staff_client.post(url, data).status_code == 302
    rnd.refresh_from_db()
    assert rnd.review_summary == SUMMARY


@pytest.mark.parametrize("model", [
    models.Airtime, models.Reply, models.ActionCommitment, models.Revision, models.JournalEntry,
    models.CheckIn, models.ProcessReview, models.GroundRulesVersion,
    models.Introduction, models.SetEvaluation,
])
def test_set_content_models_are_not_in_the_admin(model):
    assert model not in admin.site._registry
