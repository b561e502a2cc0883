"""Per-set email level in Preferences (issue 13, learners 7): every set of mine in one table, the
same levels as the set sidebar, saved through the same service."""

import re

from django.urls import reverse

from actionsets.models import Membership
from tests.factories import ActionSetFactory, MembershipFactory


def test_preferences_list_every_set_with_its_level_and_save_them(client, learner, action_set):
    other = ActionSetFactory(name="Zeta set")
    MembershipFactory(action_set=other, user=learner, notification_level=Membership.NotificationLevel.MUTED)
    client.force_login(learner)
    page = client.get(reverse("account_preferences")).content.decode()
    assert "Email from each set" in page
    for name in (action_set.name, "Zeta set"):
        assert f">{name}</th>" in page
    assert "Every new post" in page and "Digest and reminders" in page and "No email" in page
    mine = Membership.objects.get(user=learner, action_set=action_set)
    zeta = Membership.objects.get(user=learner, action_set=other)
    assert re.search(f'name="set-{other.pk}" value="muted"[^>]*checked', page)  # its current level

    response = client.post(reverse("set_email_levels"), {f"set-{action_set.pk}": "watching", f"set-{other.pk}": "normal"})
    assert response["Location"] == reverse("account_preferences")
    mine.refresh_from_db(), zeta.refresh_from_db()
    assert (mine.notification_level, zeta.notification_level) == ("watching", "normal")


def test_a_set_i_left_is_not_listed_nor_changed(client, learner, action_set):
    other = ActionSetFactory(name="Left set")
    MembershipFactory(action_set=other, user=learner, left_at="2026-01-01T00:00Z")
    client.force_login(learner)
    assert "Left set" not in client.get(reverse("account_preferences")).content.decode()
    client.post(reverse("set_email_levels"), {f"set-{action_set.pk}": "muted", f"set-{other.pk}": "watching"})
    assert Membership.objects.get(user=learner, action_set=other).notification_level != "watching"


def test_the_set_sidebar_offers_whole_choices_as_radios(client, learner, action_set):
    client.force_login(learner)
    page = client.get(action_set.get_absolute_url()).content.decode()
    assert 'type="radio" name="notification_level"' in page and "Digest and reminders" in page
