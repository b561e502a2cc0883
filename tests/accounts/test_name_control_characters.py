"""No control characters in any name field (issue 11): one validator, accounts.validators,
used by the User model, the preferences form, the admin's user form and the staff forms."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import services
from accounts.models import User
from accounts.validators import validate_no_control_characters

BAD_NAMES = ["Ann\r\nBcc: everyone@example.org", "Ann\nLee", "Ann\tLee", "Ann\x00Lee", "Ann\x85Lee",
             "Ann\u2028Lee", "Ann\u202eeeL", "Ann\u2066Lee"]
GOOD_NAMES = ["Zoë Ñandú", "محمد‌رضا", "👩‍🔬 Sam", "O’Brien", "שרה\u200fכהן", ""]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_the_validator_refuses_control_and_layout_characters(name):
    with pytest.raises(ValidationError) as refused:
        validate_no_control_characters(name)
    assert refused.value.code == "control_character"
    assert "at character 4" in refused.value.messages[0]


@pytest.mark.parametrize("name", GOOD_NAMES)
def test_the_validator_accepts_names_in_any_script(name):
    validate_no_control_characters(name)


@pytest.mark.parametrize("name", BAD_NAMES)
def test_the_user_model_refuses_them(learner, name):
    learner.display_name = name
    with pytest.raises(ValidationError) as refused:
        learner.full_clean(exclude=["password"])
    assert "display_name" in refused.value.message_dict


def test_the_preferences_service_refuses_them(learner):
    with pytest.raises(ValidationError):
        services.update_preferences(user=learner, display_name="Ann\r\nBcc: x@example.org")
    assert User.objects.get(pk=learner.pk).display_name != "Ann\r\nBcc: x@example.org"


def test_the_preferences_page_refuses_a_name_with_a_line_break(client_for, learner):
    response = client_for(learner).post(reverse("account_preferences"), {
        "display_name": "Ann\r\nBcc: everyone@example.org", "timezone": "UTC", "digest_frequency": "daily",
        "digest_hour": "7", "nudges_enabled": "on"})
    assert response.status_code == 200
    assert "a line break (carriage return) at character 4" in response.content.decode()
    assert "\r" not in User.objects.get(pk=learner.pk).display_name


def test_the_admin_user_form_refuses_a_name_with_a_line_break(client_for, staff, learner):
    url = reverse("admin:accounts_user_change", args=[learner.pk])
    response = client_for(staff).post(url, {
        "email": learner.email, "display_name": "Ann\nSubject: urgent", "timezone": "UTC",
        "digest_frequency": "daily", "digest_hour": "7", "nudges_enabled": "on", "is_active": "on",
        "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00"})
    assert response.status_code == 200
    assert "a line break at character 4" in response.content.decode()
    assert "\n" not in User.objects.get(pk=learner.pk).display_name


@pytest.mark.parametrize("url, data, field", [
    (lambda s: "/manage/cohorts/new/", {"name": "Spring\r\n2027"}, "name"),
    (lambda s: f"/manage/cohorts/{s.cohort.slug}/sets/new/", {"name": "Set\tC"}, "name"),
    (lambda s: f"/manage/sets/{s.slug}/edit/", {"name": "Set \u202eA"}, "name"),
    (lambda s: f"/manage/cohorts/{s.cohort.slug}/add/",
     {"email": "eve@example.org", "display_name": "Eve\r\nBcc: x@example.org", "set_name": "Set A",
      "role": "learner"}, "display_name"),
])
def test_staff_forms_refuse_control_characters_in_names(client_for, staff, action_set, url, data, field):
    response = client_for(staff).post(url(action_set), data)
    assert response.status_code == 200, response
    assert response.context["form"].errors[field][0].startswith("This contains ")
    assert not User.objects.filter(email="eve@example.org").exists()


def test_names_saved_before_the_rule_are_cleaned_by_the_migration(learner):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("accounts.migrations.0002_display_name_no_control_characters")
    User.objects.filter(pk=learner.pk).update(display_name="Ann\r\n  Bcc:\tx")
    migration.clean_display_names(apps, None)
    assert User.objects.get(pk=learner.pk).display_name == "Ann Bcc: x"
