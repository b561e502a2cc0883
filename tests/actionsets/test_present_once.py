"""Present only when you can (issue 13, learners 5): once I have presented in the round, the set
page says so and links to my airtime, and the form to present refuses before I write."""

from django.urls import reverse


def test_the_present_page_refuses_up_front_once_i_have_presented(client, airtime, learner, action_set):
    client.force_login(learner)
    page = client.get(reverse("actionsets:airtime_new", args=[action_set.slug])).content.decode()
    assert "You have already presented in round 1" in page
    assert f'href="{airtime.get_absolute_url()}"' in page
    assert 'name="body"' not in page and "<form method=\"post\" class=\"card\"" not in page


def test_the_present_page_offers_the_form_when_i_can(client, airtime, learner2, action_set):
    client.force_login(learner2)
    page = client.get(reverse("actionsets:airtime_new", args=[action_set.slug])).content.decode()
    assert 'name="body"' in page and "already presented" not in page


def test_the_present_page_refuses_without_an_open_round(client, learner, action_set):
    client.force_login(learner)
    page = client.get(reverse("actionsets:airtime_new", args=[action_set.slug])).content.decode()
    assert "nowhere to present yet" in page and 'name="body"' not in page


def test_the_set_page_says_presented_instead_of_inviting(client, airtime, learner, learner2, action_set):
    client.force_login(learner)
    page = client.get(action_set.get_absolute_url()).content.decode()
    assert "Present your airtime" not in page
    assert f'Presented in round 1: <a href="{airtime.get_absolute_url()}">' in page
    client.force_login(learner2)
    assert "Present your airtime" in client.get(action_set.get_absolute_url()).content.decode()
