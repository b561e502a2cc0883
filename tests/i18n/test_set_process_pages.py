"""The set-process, account and error pages in Spanish and German (issue 18): each renders in the
reader's language, and the messages built in Python (phase refusals, rate limits, form help with
its numbers) follow the active language too. English output is covered by the area's own tests."""

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from actionsets import services
from actionsets.forms import CheckInForm, JournalEntryForm
from actionsets.models import Reply
from actionsets.ratelimits import MESSAGES, window_phrase
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# page → (who reads it, a sentence in Spanish, the same in German, its English that must be gone)
PAGES = {
    "round": ("learner", "Revisión del proceso", "Prozessrückblick", "Process review"),
    "journal": ("learner", "Mi diario reflexivo", "Mein Lerntagebuch", "My reflective journal"),
    "continuity": ("learner", "Mi asunto a lo largo de las rondas", "Mein Anliegen über die Runden",
                   "My issue across rounds"),
    "forming": ("learner", "Formar el set", "Das Set gründen", "Forming the set"),
    "ending": ("learner", "El cierre del set", "Der Abschluss des Sets", "The set's ending"),
    "process": ("facilitator", "Plazos de las fases por ronda", "Phasenzeiten je Runde", "Phase windows by round"),
    "lifecycle": ("facilitator", "Set autogestionado", "Selbstgesteuertes Set", "Self-managed set"),
}


def _url(name, action_set, user):
    if name == "round":
        return reverse("actionsets:round", args=[action_set.slug, 1])
    if name == "continuity":
        return reverse("actionsets:continuity", args=[action_set.slug, user.pk])
    return reverse(f"actionsets:{name}", args=[action_set.slug])


@pytest.mark.parametrize("language", ["es", "de"])
@pytest.mark.parametrize("page", sorted(PAGES))
def test_the_set_process_pages_speak_the_readers_language(client_for, request, action_set, open_round, learner,
                                                          facilitator, page, language):
    role, spanish, german, english = PAGES[page]
    user = request.getfixturevalue(role)
    user.language = language
    user.save(update_fields=["language"])
    response = client_for(user).get(_url(page, action_set, user))
    assert response.status_code == 200
    body = response.content.decode()
    assert (spanish if language == "es" else german) in body
    assert english not in body


@pytest.mark.parametrize("language, words", [
    ("es", ["Preguntas guía para cada nivel", "¿Qué pasó? ¿Quién participó"]),
    ("de", ["Impulsfragen für jede Ebene", "Was ist passiert? Wer war beteiligt"]),
])
def test_the_journal_prompts_are_translated(client_for, action_set, learner, language, words):
    learner.language = language
    learner.save(update_fields=["language"])
    body = client_for(learner).get(reverse("actionsets:journal", args=[action_set.slug])).content.decode()
    assert all(w in body for w in words)


@pytest.mark.parametrize("language, words", [
    ("es", ["Iniciar sesión", "¿Has olvidado tu contraseña?"]),
    ("de", ["Anmelden", "Passwort vergessen?"]),
])
def test_sign_in_follows_the_browser_language(client, language, words):
    body = client.get(reverse("account_login"), headers={"accept-language": language}).content.decode()
    assert all(w in body for w in words)


@pytest.mark.parametrize("language, title", [("es", "No encontramos esa página"), ("de", "Wir finden diese Seite nicht")])
def test_the_404_page_is_translated(client_for, learner, language, title):
    learner.language = language
    learner.save(update_fields=["language"])
    response = client_for(learner).get("/sets/no-such-set/")
    assert response.status_code == 404 and title in response.content.decode()


def test_the_500_page_names_its_language():
    with translation.override("de"):
        html = render_to_string("500.html")
    assert '<html lang="de">' in html and "Bei uns ist etwas schiefgegangen" in html


def test_the_account_pages_in_german(client_for, db):
    user = UserFactory(email="deutsch@example.com", language="de")
    client = client_for(user)
    assert "Meine Daten herunterladen" in client.get(reverse("account_my_data")).content.decode()
    assert "Was passiert:" in client.get(reverse("account_delete")).content.decode()


def test_a_phase_refusal_in_german_says_when(learner, learner2, open_round, action_set):
    airtime = services.present_airtime(presenter=learner, action_set=action_set, title="Rota", body="Stuck.")
    with translation.override("de"), pytest.raises(ValidationError) as excinfo:
        services.post_reply(author=learner2, airtime=airtime, body="Was wäre, wenn?", kind=Reply.Kind.PROBING)
    message = " ".join(excinfo.value.messages)
    assert "gehören in die Phase „Vertiefende Fragen“" in message and "Jetzt läuft die Phase „Verständnisfragen“" in message
    assert "which opens" not in message


def test_a_phase_refusal_in_spanish_for_a_presenter_kind(learner, learner2, open_round, action_set):
    airtime = services.present_airtime(presenter=learner, action_set=action_set, title="Rota", body="Stuck.")
    with translation.override("es"), pytest.raises(ValidationError) as excinfo:
        services.post_reply(author=learner2, airtime=airtime, body="Resumen", kind=Reply.Kind.SUMMARY)
    assert "Solo quien presenta publica un resumen en su turno." in excinfo.value.messages


@pytest.mark.parametrize("language, rate, phrase", [
    ("es", "20/5m", "hasta 5 minutos"), ("es", "10/h", "hasta una hora"),
    ("de", "5/30s", "bis zu 30 Sekunden"), ("de", "100/d", "bis zu einem Tag"),
])
def test_the_rate_limit_window_is_worded_per_language(language, rate, phrase):
    with translation.override(language):
        assert window_phrase(rate) == phrase


def test_the_rate_limit_message_follows_the_language(settings):
    settings.ACTIONSETS_RATE_LIMITS = {**settings.ACTIONSETS_RATE_LIMITS, "post": "20/5m"}
    with translation.override("de"):
        assert "warten Sie bis zu 5 Minuten" in MESSAGES["post"]
    assert "wait up to 5 minutes" in MESSAGES["post"]


def test_form_help_is_read_in_the_language_of_the_moment_with_local_numbers(settings):
    settings.MARKDOWN_MAX_CHARS = 50_000
    form = CheckInForm()
    assert "Up to 50,000 characters." in str(form["body"].help_text)
    with translation.override("de"):
        assert "Bis zu 50.000 Zeichen." in str(form["body"].help_text)
        assert str(JournalEntryForm().fields["title"].label) == "Titel (optional)"
    with translation.override("es"):
        assert "Hasta 50\u00a0000 caracteres." in str(CheckInForm()["body"].help_text)  # Spanish groups with a space
