"""The set's own pages in Spanish and German (issue 18): templates/actionsets/*.html and the
messages of actionsets/views. Each page renders in the reader's language, whole sentences
translated, placeholders filled, plurals by count; English stays as it was."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from actionsets import services
from actionsets.models import Reply
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(f"actionsets:{name}", kwargs=kwargs)


@pytest.fixture
def airtime(learner, open_round, action_set):
    return services.present_airtime(presenter=learner, action_set=action_set, title="Owning the timetable",
                                    body="We keep missing **deadlines**.")


@pytest.fixture
def question(airtime, learner2):
    return services.post_reply(author=learner2, airtime=airtime, body="What have you tried so far?")


@pytest.fixture
def commitment(airtime, learner):
    return services.record_commitment(owner=learner, airtime=airtime, text="Talk to Sam by Friday")


def speaking(user, language):
    user.language = language
    user.save(update_fields=["language"])
    return user


def assert_rendered(body: str):
    """No template syntax or unfilled placeholder reached the page."""
    assert "{%" not in body and "{{" not in body
    assert not re.search(r"%\(\w+\)s", body)


# What each page says in each language: a sentence or two per page, checked literally.
PAGES = {
    "es": {
        "thread": ["Ronda 1 · Abierta", "Compromisos de acción", "1 respuesta", "Responde a tu set",
                   "Fases de este turno", "Cómo funciona una ronda</a>: rondas,"],
        "thread_other": ["Leído por ", "Quién no ha preguntado aún", "Responder</a>"],
        "airtime_new": ["Presenta tu turno", "Ya has presentado en la ronda 1: un turno por ronda.",
                        "Volver al set"],
        "commitments": ["Compromisos e informes de resultados", "Los míos", "turno de la ronda 1"],
        "report": ["En la ronda 1 te comprometiste a:", "Guardar el informe"],
        "edit": ["Editar tu turno", "Guardar cambios", "Cancelar"],
        "history": ["Historial de ediciones", "Versión actual", "Motivo: clearer"],
        "member": ["Miembro desde el", "Última visita", "Tu asunto a lo largo de las rondas"],
        "search": ["Buscar en este set", "Filtros", "Cualquier ronda", "1 resultado"],
        "rules": ["Normas básicas", "Aceptaste estas normas básicas el"],
        "how": ["Cómo funciona una ronda", "Pregunta antes de ver", "Tipos de respuesta"],
    },
    "de": {
        "thread": ["Runde 1 · Offen", "Handlungszusagen", "1 Beitrag", "Antworten Sie Ihrem Set",
                   "Phasen dieser Redezeit", "Wie eine Runde abläuft</a>: Runden,"],
        "thread_other": ["Gelesen: ", "Wer noch nicht gefragt hat", "Antworten</a>"],
        "airtime_new": ["Tragen Sie Ihre Redezeit vor", "Sie haben in Runde 1 bereits vorgetragen",
                        "Zurück zum Set"],
        "commitments": ["Zusagen und Rückmeldungen", "Meine", "Redezeit aus Runde 1"],
        "report": ["In Runde 1 haben Sie zugesagt:", "Rückmeldung speichern"],
        "edit": ["Ihre Redezeit bearbeiten", "Änderungen speichern", "Abbrechen"],
        "history": ["Bearbeitungsverlauf", "Aktuelle Fassung", "Grund: clearer"],
        "member": ["Mitglied seit", "Letzter Besuch", "Ihr Anliegen über die Runden hinweg"],
        "search": ["Dieses Set durchsuchen", "Filter", "Jede Runde", "1 Ergebnis"],
        "rules": ["Grundregeln", "Sie haben diese Grundregeln am"],
        "how": ["Wie eine Runde abläuft", "Erst fragen, dann lesen", "Arten von Beiträgen"],
    },
}


@pytest.mark.parametrize("language", ["es", "de"])
def test_the_set_pages_speak_the_readers_language(client, language, action_set, airtime, question, commitment,
                                                  learner, learner2, facilitator):
    services.edit_airtime(editor=learner, airtime=airtime, title=airtime.title, body="We keep missing them.",
                          reason="clearer")
    client.force_login(speaking(learner, language))
    slug = action_set.slug
    pages = {
        "thread": airtime.get_absolute_url(),
        "airtime_new": url("airtime_new", set_slug=slug),
        "commitments": url("commitments", set_slug=slug),
        "report": url("commitment_report", set_slug=slug, commitment_id=commitment.pk),
        "edit": url("airtime_edit", set_slug=slug, airtime_id=airtime.pk),
        "history": url("airtime_history", set_slug=slug, airtime_id=airtime.pk),
        "member": url("member", set_slug=slug, user_id=learner.pk),
        "search": url("search", set_slug=slug) + "?q=timetable",
        "rules": url("rules", set_slug=slug),
        "how": reverse("how_rounds_work"),
    }
    for name, address in pages.items():
        response = client.get(address)
        assert response.status_code == 200, name
        assert response["Content-Language"] == language
        body = response.content.decode()
        assert_rendered(body)
        for text in PAGES[language][name]:
            assert text in body, f"{language} {name}: {text!r} missing"
    # Another member's view of the same thread: the read receipts, who hasn't asked, the reply link.
    action_set.show_who_hasnt_asked = True
    action_set.save(update_fields=["show_who_hasnt_asked"])
    client.force_login(speaking(learner2, language))
    body = client.get(airtime.get_absolute_url()).content.decode()
    assert_rendered(body)
    for text in PAGES[language]["thread_other"]:
        assert text in body, f"{language} thread_other: {text!r} missing"


def test_plurals_follow_the_count_in_each_language(client, action_set, airtime, question, learner, learner2):
    services.post_reply(author=learner2, airtime=airtime, body="Who else is involved?")
    client.force_login(speaking(learner, "es"))
    body = client.get(airtime.get_absolute_url()).content.decode()
    assert '<h2 id="replies-heading">2 respuestas</h2>' in body
    assert "2 preguntas a las que aún no has respondido." in body
    client.force_login(speaking(learner, "de"))
    body = client.get(airtime.get_absolute_url()).content.decode()
    assert '<h2 id="replies-heading">2 Beiträge</h2>' in body
    assert "2 Fragen, auf die Sie noch nicht geantwortet haben." in body


def test_the_not_yet_read_list_is_joined_in_the_readers_language(client, action_set, airtime, learner):
    MembershipFactory(action_set=action_set, user__display_name="Bea")
    MembershipFactory(action_set=action_set, user__display_name="Carl")
    client.force_login(speaking(learner, "de"))
    assert "Noch nicht gelesen von Bea und Carl." in client.get(airtime.get_absolute_url()).content.decode()
    client.force_login(speaking(learner, "es"))
    assert "Aún no lo han leído: Bea y Carl." in client.get(airtime.get_absolute_url()).content.decode()
    client.force_login(speaking(learner, ""))
    assert "Not yet read by Bea and Carl." in client.get(airtime.get_absolute_url()).content.decode()


def test_the_views_messages_are_translated(client, action_set, airtime, learner2):
    membership = learner2.memberships.get()
    membership.ground_rules_accepted_at = None
    membership.save(update_fields=["ground_rules_accepted_at"])
    client.force_login(speaking(learner2, "es"))
    page = client.post(url("rules", set_slug=action_set.slug), follow=True).content.decode()
    assert "Gracias: has aceptado las normas básicas. Te damos la bienvenida al set." in page
    client.force_login(speaking(learner2, "de"))
    page = client.post(url("reply", set_slug=action_set.slug, airtime_id=airtime.pk),
                       {"body": "Who decides the timetable now?", "kind": Reply.Kind.CLARIFYING},
                       follow=True).content.decode()
    # The kind keeps its capital in German; English and Spanish write it in lower case.
    assert "Veröffentlicht: Verständnisfrage." in page
    page = client.post(url("notifications", set_slug=action_set.slug), {"notification_level": "muted"},
                       follow=True).content.decode()
    assert "E-Mails aus Set A: Stumm (keine E-Mails zu diesem Set)." in page


def test_the_kind_help_and_the_reflect_back_template_are_translated(client, action_set, airtime, learner2):
    client.force_login(speaking(learner2, "es"))
    body = client.get(airtime.get_absolute_url()).content.decode()
    assert "Te ayuda (y le ayuda) a entender la situación" in body
    client.force_login(speaking(learner2, "de"))
    body = client.get(airtime.get_absolute_url()).content.decode()
    assert 'data-reflect-back-template="Ich habe Sie so verstanden, dass … – stimmt das?"' in body


def test_english_is_unchanged(client, action_set, airtime, question, learner):
    client.force_login(learner)
    body = client.get(airtime.get_absolute_url()).content.decode()
    assert '<h2 id="replies-heading">1 reply</h2>' in body
    assert "1 question you haven&#x27;t responded to yet." in body or "1 question you haven't responded to yet." in body
    assert "Round 1 · Open" in body and "Respond to your set" in body


def test_the_set_pages_rows_and_last_visits_are_translated(client, action_set, airtime, question, learner, learner2):
    client.force_login(speaking(learner2, "de"))
    body = client.get(action_set.get_absolute_url()).content.decode()
    assert "1 Beitrag · letzte Aktivität vor wenigen Augenblicken" in body
    assert "Letzter Besuch: diese Woche" in body
    client.force_login(speaking(learner, "es"))
    body = client.get(action_set.get_absolute_url()).content.decode()
    assert "(tú) · 1 respuesta · última actividad hace un momento" in body


@pytest.mark.parametrize("language, words", [
    ("es", "Estás publicando muy rápido. No se ha perdido nada: tu texto sigue en el cuadro; espera hasta 5 minutos"),
    ("de", "Sie veröffentlichen sehr schnell. Nichts ist verloren: Ihr Text steht noch im Feld – warten Sie bis zu "
           "5 Minuten"),
])
def test_the_rate_limit_refusal_speaks_the_readers_language(client, settings, language, words, action_set, airtime,
                                                            learner2):
    settings.ACTIONSETS_RATE_LIMITS = {**settings.ACTIONSETS_RATE_LIMITS, "post": "1/5m"}
    client.force_login(speaking(learner2, language))
    address = url("reply", set_slug=action_set.slug, airtime_id=airtime.pk)
    client.post(address, {"body": "Who decides the timetable now?", "kind": Reply.Kind.CLARIFYING})
    refused = client.post(address, {"body": "And who else is involved?", "kind": Reply.Kind.CLARIFYING})
    assert refused.status_code == 400
    assert words in refused.content.decode()


def test_the_to_do_list_is_translated(client, action_set, airtime, question, learner):
    client.force_login(speaking(learner, "de"))
    body = client.get(reverse("home")).content.decode()
    assert_rendered(body)
    with translation.override("de"):
        kind = str(question.get_kind_display())  # German keeps the noun's capital
    assert f"Die {kind} von {question.author.name}</a> zu „Owning the timetable“ wartet auf Ihre Antwort" in body
    client.force_login(speaking(learner, "es"))
    body = client.get(reverse("home")).content.decode()
    with translation.override("es"):
        kind = str(question.get_kind_display())
    assert f"La {kind.lower()} de {question.author.name}</a> en «Owning the timetable» espera tu respuesta" in body
