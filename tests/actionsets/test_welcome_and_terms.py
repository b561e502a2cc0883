"""The process explained where it is used (issue 13, learners 2): a first-visit welcome remembered
per membership on the server (a plain form: no JavaScript needed), "How a round works" linked from
home, the set page and every phase bar, and the process words defined on hover and focus."""

import re

from django.urls import reverse

from actionsets.models import Membership
from tests.factories import MembershipFactory


def test_a_new_member_is_welcomed_until_they_dismiss_it(client, action_set, open_round):
    newcomer = MembershipFactory(action_set=action_set).user
    client.force_login(newcomer)
    assert f"Welcome to {action_set.name}" in client.get(action_set.get_absolute_url()).content.decode()
    response = client.post(reverse("actionsets:welcome_dismiss", args=[action_set.slug]))
    assert response["Location"] == action_set.get_absolute_url()
    assert Membership.objects.get(user=newcomer).welcomed_at is not None
    assert "Welcome to" not in client.get(action_set.get_absolute_url()).content.decode()


def test_the_welcome_is_per_membership(client, action_set, other_set, open_round):
    person = MembershipFactory(action_set=action_set, welcomed_at="2026-01-01T00:00Z").user
    MembershipFactory(action_set=other_set, user=person)
    client.force_login(person)
    assert "Welcome to" not in client.get(action_set.get_absolute_url()).content.decode()
    assert f"Welcome to {other_set.name}" in client.get(other_set.get_absolute_url()).content.decode()


def test_how_a_round_works_is_linked_from_home_the_set_page_and_the_phase_bar(client, airtime, learner2, action_set):
    client.force_login(learner2)
    page = client.get(reverse("how_rounds_work")).content.decode()
    for heading in ("Rounds", "Airtime", "Phases of an airtime", "Kinds of reply", "Ask before you see", "Commitments"):
        assert f">{heading}</h2>" in page
    for url in ("/", action_set.get_absolute_url(), airtime.get_absolute_url()):
        assert 'href="/how-rounds-work/' in client.get(url).content.decode(), url


def test_process_words_carry_a_focusable_definition(client, airtime, learner2):
    client.force_login(learner2)
    page = client.get(airtime.get_absolute_url()).content.decode()
    tips = re.findall(r'<a class="term__word" href="/how-rounds-work/#[\w-]+" aria-describedby="(term-[\w-]+)">', page)
    assert len(tips) >= 3 and len(set(tips)) == len(tips)  # unique ids
    for tip in tips:
        assert f'role="tooltip" id="{tip}">' in page
    assert "Open questions that help the presenter look deeper" in page  # probing
