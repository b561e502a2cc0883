"""Agree before you read (issue 13, learners 4; docs/set-process.md): a member who has not accepted
the current ground rules is sent to them from the set's content, told why, and — after accepting —
lands where they were going; `next` is followed only inside the same set."""

import pytest
from django.urls import reverse

from actionsets.models import Membership
from tests.factories import ActionSetFactory, MembershipFactory


@pytest.fixture
def newcomer(action_set, airtime):
    return MembershipFactory(action_set=action_set, ground_rules_accepted_at=None).user


def _content_urls(action_set, airtime, commitment):
    slug = action_set.slug
    return [
        airtime.get_absolute_url(),
        reverse("actionsets:airtime_history", args=[slug, airtime.pk]),
        reverse("actionsets:commitments", args=[slug]),
        reverse("actionsets:round", args=[slug, 1]),
        reverse("actionsets:continuity", args=[slug, airtime.presenter_id]),
    ]


def test_every_content_page_sends_a_newcomer_to_the_rules_keeping_next(client, action_set, airtime, commitment,
                                                                        newcomer):
    client.force_login(newcomer)
    rules = reverse("actionsets:rules", args=[action_set.slug])
    for url in _content_urls(action_set, airtime, commitment):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{rules}?next=")
        page = client.get(response["Location"]).content.decode()
        assert "You were brought here first" in page and "confidentiality" in page


def test_a_member_who_accepted_reads_the_content(client, action_set, airtime, commitment, learner2):
    client.force_login(learner2)
    for url in _content_urls(action_set, airtime, commitment):
        if "/history/" not in url:  # an unedited post has no history: 404 either way
            assert client.get(url).status_code == 200, url


def test_the_set_page_shows_no_airtimes_until_the_rules_are_accepted(client, action_set, airtime, newcomer):
    client.force_login(newcomer)
    page = client.get(action_set.get_absolute_url()).content.decode()
    assert airtime.title not in page and "Read the ground rules" in page


def test_accepting_lands_where_the_member_was_going(client, action_set, airtime, newcomer):
    client.force_login(newcomer)
    rules = reverse("actionsets:rules", args=[action_set.slug])
    response = client.post(rules, {"next": airtime.get_absolute_url()})
    assert response["Location"] == airtime.get_absolute_url()
    assert Membership.objects.get(user=newcomer).has_accepted_rules
    assert client.get(airtime.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/sets/", "/sets/other-set/", "/accounts/preferences/",
    "/sets/set-a/\\\\evil.example", "/sets/set-a//evil.example",
])
def test_next_outside_the_set_is_ignored(client, action_set, newcomer, target):
    ActionSetFactory(slug="other-set")
    client.force_login(newcomer)
    rules = reverse("actionsets:rules", args=[action_set.slug])
    assert action_set.slug == "set-a"
    assert 'name="next"' not in client.get(rules, {"next": target}).content.decode()
    response = client.post(rules, {"next": target})
    assert response["Location"] == action_set.get_absolute_url()
