"""Emails in the recipient's language (issue 18): a digest, a nudge and an invitation to a German
or a Spanish member are German or Spanish, subject and body, dates and counts included, while an
English member's stay English — through Django's mail outbox, as they are really sent."""

from datetime import timedelta

import pytest
from django.utils import translation

from accounts.models import User
from enrolment import services as enrolment_services
from enrolment.invitations import send_invitation_emails
from enrolment.models import Invitation
from tests.factories import UserFactory

from .conftest import NOW, to, without_via

HOUR, DAY = timedelta(hours=1), timedelta(days=1)


def speaks(user, language: str) -> None:
    User.objects.filter(pk=user.pk).update(language=language)


def test_a_digest_is_in_each_recipients_language(circle, run_digests, mailoutbox):
    speaks(circle.ana, "de")
    speaks(circle.cat, "es")
    airtime = circle.present(circle.ben, at=NOW - 20 * HOUR, title="Getting the team to own the timetable")
    circle.reply(circle.fac, airtime, at=NOW - 10 * HOUR, body="What happens when you stop chasing?")
    with translation.override("es"):  # whatever language the run happens in
        run_digests(NOW)

    [german] = to(mailoutbox, circle.ana)
    assert german.subject == "2 neue Beiträge in Leading Change — Ihre tägliche Zusammenfassung"
    text = without_via(german.body)
    assert text.startswith("Guten Tag Ana,\n\nDas ist neu in Ihren Sets seit gestern.")
    assert "NEUE REDEZEITEN" in text and "— vorgetragen von Ben" in text
    assert '"Getting the team to own the timetable": 1 neu (1 Verständnisfrage)' in text
    assert "  * Fay (Verständnisfrage): \"What happens when you stop chasing?\"" in text
    assert "Runde 1 endet am Samstag, 5. Dezember, 12:00 UTC." in text
    assert "Sie haben in Runde 1 noch nicht vorgetragen." in text
    assert "E-Mail-Einstellungen: " in text and "Diese Zusammenfassungen abbestellen: " in text
    html = german.alternatives[0][0]
    assert '<html lang="de" dir="ltr">' in html and "<h3>Neue Redezeiten</h3>" in html
    assert "Hello" not in text + html and "daily digest" not in text + html

    [spanish] = to(mailoutbox, circle.cat)
    assert spanish.subject == "2 publicaciones nuevas en Leading Change — tu resumen diario"
    text = without_via(spanish.body)
    assert text.startswith("Hola, Cat:\n\nEsto es lo nuevo en tus sets desde ayer.")
    assert "(1 pregunta aclaratoria)" in text and "TURNOS NUEVOS" in text
    assert "La ronda 1 cierra el sábado 5 de diciembre, 12:00 UTC." in text
    assert '<html lang="es" dir="ltr">' in spanish.alternatives[0][0]

    [english] = to(mailoutbox, circle.ben)  # no preference: the installation's English
    assert english.subject == "1 waiting for your answer · 1 new post in Leading Change — your daily digest"
    assert english.body.startswith("Hello Ben,") and "Round 1 closes Saturday 5 December, 12:00 UTC." in english.body


@pytest.mark.parametrize("language, subject, opening, closes", [
    ("de", "Was in Leading Change auf Sie wartet",
     "Wir haben seit 4 Tagen nichts von Ihnen in Leading Change gehört. Kein Druck",
     "Runde 1 endet am Samstag, 5. Dezember, 12:00 UTC."),
    ("es", "Lo que te espera en Leading Change",
     "Hace 4 días que no sabemos de ti en Leading Change. Sin presión",
     "La ronda 1 cierra el sábado 5 de diciembre, 12:00 UTC."),
    ("", "What’s waiting for you in Leading Change",
     "We haven't heard from you in Leading Change for 4 days. No pressure",
     "Round 1 closes Saturday 5 December, 12:00 UTC."),
])
def test_a_nudge_is_in_the_recipients_language(circle, run_nudges, mailoutbox, language, subject, opening, closes):
    speaks(circle.ana, language)
    quiet_at = circle.round.opens_at + timedelta(days=circle.action_set.quiet_after_days)
    airtime = circle.present(circle.ben, at=circle.round.opens_at + DAY, title="Ben's rota problem")
    circle.reply(circle.fac, airtime, at=circle.round.opens_at + DAY + HOUR, kind="summary")
    with translation.override("de" if language != "de" else "es"):  # never the run's own language
        run_nudges(quiet_at)

    [email] = to(mailoutbox, circle.ana)
    assert email.subject == subject
    assert opening in email.body and closes in email.body
    html = email.alternatives[0][0]
    assert f'<html lang="{language or "en-gb"}"' in html
    # The English member in the same run stays English.
    [cat] = to(mailoutbox, circle.cat)
    assert cat.subject == "What’s waiting for you in Leading Change" and cat.body.startswith("Hello Cat,")


@pytest.mark.parametrize("language, subject, words", [
    ("de", "Sie sind zu Set A ({cohort}) eingeladen",
     ["Guten Tag Ana,", "Sie wurden als Teilnehmer:in in das Action-Learning-Set \"Set A\" aufgenommen",
      "Der Link gilt 14 Tage lang und nur einmal."]),
    ("es", "Tienes una invitación a Set A ({cohort})",
     ["Hola, Ana:", "Te han inscrito como participante en el set de aprendizaje en acción \"Set A\"",
      "El enlace funciona durante 14 días y una sola vez."]),
    ("", "You are invited to Set A ({cohort})",
     ["Hello Ana,", "You have been enrolled as a learner in the action-learning set \"Set A\"",
      "The link works for 14 days and only once."]),
])
def test_an_invitation_is_in_the_invited_persons_language(action_set, staff, mailoutbox, settings,
                                                         django_capture_on_commit_callbacks, language, subject, words):
    settings.INVITATION_MAX_AGE_DAYS = 14
    UserFactory(email="ana@example.org", display_name="Ana", language=language)
    with translation.override("es" if language == "de" else "de"), django_capture_on_commit_callbacks(execute=True):
        enrolment_services.enrol_person(cohort=action_set.cohort, actor=staff, email="ana@example.org",
                                        display_name="Ana", set_name="Set A", role="learner")
    mailoutbox.clear()
    invitation = Invitation.objects.get(membership__user__email="ana@example.org")
    with translation.override("es" if language == "de" else "de"):
        assert send_invitation_emails([invitation.pk]) == 1
    [mail] = mailoutbox
    assert mail.subject == subject.format(cohort=action_set.cohort.name)
    for expected in words:
        assert expected in mail.body
    html = mail.alternatives[0][0]
    assert f'<html lang="{language or "en-gb"}">' in html
    assert words[0] in html


# --- The engagement pages in Spanish and German ------------------------------------------------


@pytest.mark.parametrize("language, words", [
    ("de", ["<h1>Benachrichtigungen</h1>", "Noch nichts. Wenn jemand Sie mit Ihrem @Namen erwähnt"]),
    ("es", ["<h1>Notificaciones</h1>", "Nada todavía. Cuando alguien te mencione con tu @usuario"]),
    ("", ["<h1>Notifications</h1>", "Nothing yet. When someone mentions you with your @handle"]),
])
def test_the_notifications_page_is_in_the_members_language(client, circle, language, words):
    speaks(circle.ana, language)
    client.force_login(circle.ana)
    page = client.get("/notifications/").content.decode()
    for expected in words:
        assert expected in page


@pytest.mark.parametrize("accept, words", [
    ("de", ["Möchten Sie Ihre täglichen Zusammenfassungs-E-Mails an <strong>ana@example.edu</strong> abbestellen?",
            "Ja, abbestellen"]),
    ("es", ["¿Dejar de enviar tus resúmenes diarios por correo a <strong>ana@example.edu</strong>?",
            "Sí, darme de baja"]),
])
def test_the_unsubscribe_pages_follow_the_browsers_language(client, circle, accept, words):
    from engagement.unsubscribe import DIGEST, make_token

    link = f"/email/unsubscribe/{make_token(user_id=circle.ana.pk, scope=DIGEST)}/"
    page = client.get(link, HTTP_ACCEPT_LANGUAGE=accept).content.decode()
    for expected in words:
        assert expected in page
    invalid = client.get("/email/unsubscribe/not-a-token/", HTTP_ACCEPT_LANGUAGE=accept).content.decode()
    assert ("Dieser Abbestell-Link ist ungültig" if accept == "de" else "Este enlace de baja no es válido") in invalid


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_unsubscribe_page_speaks_the_language_of_the_person_in_the_token(client, circle, method):
    """Ana reads German: her link opened in a Spanish browser is still in German, and the page says so."""
    from accounts.models import User
    from engagement.unsubscribe import DIGEST, make_token

    speaks(circle.ana, "de")
    link = f"/email/unsubscribe/{make_token(user_id=circle.ana.pk, scope=DIGEST)}/"
    response = getattr(client, method)(link, HTTP_ACCEPT_LANGUAGE="es")
    page = response.content.decode()
    assert response["Content-Language"] == "de" and '<html lang="de"' in page
    assert ("Möchten Sie Ihre täglichen Zusammenfassungs-E-Mails" if method == "get" else "abbestellt") in page
    assert "resúmenes" not in page
    assert (User.objects.get(pk=circle.ana.pk).digest_frequency == User.DigestFrequency.OFF) == (method == "post")
