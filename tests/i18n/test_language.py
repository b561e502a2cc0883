"""Whose language (issue 18): the person's preference, else the browser's Accept-Language, else
LANGUAGE_CODE; `<html lang dir>` follow it; emails go out in the recipient's language."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from engagement.emails import build_email
from engagement.unsubscribe import NUDGES
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def html_lang(response) -> tuple[str, str]:
    match = re.search(r'<html lang="([^"]+)" dir="([^"]+)">', response.content.decode())
    assert match, "no <html lang dir>"
    return match.group(1), match.group(2)


def test_without_preference_or_header_the_installation_default(client_for, learner):
    response = client_for(learner).get(reverse("home"))
    assert html_lang(response) == (settings.LANGUAGE_CODE, "ltr")
    assert response["Content-Language"] == settings.LANGUAGE_CODE
    assert "Accept-Language" in response["Vary"]
    body = response.content.decode()
    assert ">My sets</a>" in body and "Skip to content" in body  # English output unchanged


def test_accept_language_when_there_is_no_preference(client_for, learner):
    response = client_for(learner).get(reverse("home"), headers={"accept-language": "de-AT,de;q=0.9,en;q=0.5"})
    assert html_lang(response) == ("de", "ltr")
    body = response.content.decode()
    assert ">Meine Sets</a>" in body and "Zum Inhalt springen" in body
    assert "Hallo, " in body


def test_a_language_we_do_not_ship_falls_back_to_the_default(client_for, learner):
    response = client_for(learner).get(reverse("home"), headers={"accept-language": "fi,sv;q=0.8"})
    assert html_lang(response)[0] == settings.LANGUAGE_CODE


def test_the_preference_wins_over_accept_language(client_for, learner):
    learner.language = "es"
    learner.save(update_fields=["language"])
    response = client_for(learner).get(reverse("home"), headers={"accept-language": "de"})
    assert html_lang(response) == ("es", "ltr")
    assert ">Mis sets</a>" in response.content.decode()
    assert response["Content-Language"] == "es"


def test_the_set_home_and_its_process_words_are_translated(client_for, learner, open_round, action_set):
    learner.language = "de"
    learner.save(update_fields=["language"])
    client = client_for(learner)
    body = client.get(action_set.get_absolute_url()).content.decode()
    assert ">Redezeiten</a>" in body and ">Grundregeln</a>" in body and "Willkommen in Set A" in body
    assert '<span class="badge badge--open">Offen</span>' in body
    # The round state's label comes from the model choices (pgettext_lazy "round state").
    assert "Runde 1 · Offen" in client.get(reverse("home")).content.decode()


def test_the_preference_is_chosen_on_the_preferences_page(client_for, learner):
    client = client_for(learner)
    page = client.get(reverse("account_preferences")).content.decode()
    assert 'name="language"' in page and ">Automatic</option>" in page and ">Deutsch</option>" in page
    assert "Automatic follows your browser&#x27;s language." in page
    data = {"display_name": "Ana", "language": "es", "timezone": "Europe/Madrid", "digest_frequency": "daily",
            "digest_hour": "7", "nudges_enabled": "on", "read_receipts": "on"}
    response = client.post(reverse("account_preferences"), data, follow=True)
    learner.refresh_from_db()
    assert learner.language == "es"
    body = response.content.decode()
    assert html_lang(response)[0] == "es"
    assert "Tus preferencias se han guardado." in body  # the confirmation already in the new language
    data["language"] = ""  # back to automatic
    client.post(reverse("account_preferences"), data)
    learner.refresh_from_db()
    assert learner.language == ""


def test_a_language_not_offered_is_refused(client_for, learner):
    data = {"display_name": "Ana", "language": "fr", "timezone": "UTC", "digest_frequency": "daily",
            "digest_hour": "7"}
    response = client_for(learner).post(reverse("account_preferences"), data)
    assert response.status_code == 200
    learner.refresh_from_db()
    assert learner.language == ""


def test_the_javascript_catalogue_follows_the_language(client):
    spanish = client.get(reverse("javascript_catalog"), headers={"accept-language": "es"})
    assert '"Rewrite as a question": "Reescribir como pregunta"' in spanish.content.decode()
    assert spanish["Content-Language"] == "es"
    english = client.get(reverse("javascript_catalog")).content.decode()
    assert "Reescribir" not in english and "django.gettext = function" in english


def _email(user):
    return build_email(user=user, template="knock", category="knock", key=f"knock.test.{user.pk}",
                       unsubscribe_scope=NUDGES,
                       context={"by_presenter": True, "presenter": "Ana", "confidential": True, "set_name": "Set A",
                                "url": "https://example.org/x"})


def test_an_email_is_in_the_recipients_language_not_the_senders():
    german, automatic = UserFactory(language="de"), UserFactory(language="")
    with translation.override("es"):  # the sender's request is in Spanish
        to_german, to_automatic = _email(german), _email(automatic)
        assert translation.get_language() == "es"  # and stays so after building
    assert "E-Mail-Einstellungen: " in to_german.body_text
    assert '<html lang="de" dir="ltr">' in to_german.body_html and "E-Mail-Einstellungen</a>" in to_german.body_html
    assert "Preferencias" not in to_german.body_text
    # Blank preference: the installation default, not the sender's Spanish.
    assert "Email preferences: " in to_automatic.body_text and "Email preferences</a>" in to_automatic.body_html
    assert f'<html lang="{settings.LANGUAGE_CODE}"' in to_automatic.body_html


def test_the_language_preference_is_in_my_data_and_cleared_with_the_account():
    from personal_data.selectors import my_data, my_data_markdown
    from personal_data.services import delete_account

    person = UserFactory(language="de")
    data = my_data(person)
    assert data["account"]["language"] == "de" and "- Language: de" in my_data_markdown(data)
    delete_account(user=person)
    person.refresh_from_db()
    assert person.language == ""
