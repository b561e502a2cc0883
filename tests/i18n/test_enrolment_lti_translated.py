"""The staff area (/manage/: cohorts, sets, enrolment files, allocation, LTI platforms) and the
invitation and LTI pages people reach from outside speak the viewer's language (issue 18): the
pages, the forms, the messages and the problems a CSV file or an allocation runs into, with the
row and column still named."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from enrolment import services
from enrolment.models import Invitation
from lti.models import Platform
from tests.enrolment.conftest import make_csv, people
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def speaking(user, language):
    user.language = language
    user.save(update_fields=["language"])
    return user


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.parametrize("language, expected, english", [
    ("es", ["Gestionar cohortes", "Nueva cohorte", "Plataformas de aprendizaje (LTI)", "Personas inscritas"],
     ["Manage cohorts", "People enrolled"]),
    ("de", ["Kohorten verwalten", "Neue Kohorte", "Lernplattformen (LTI)", "Eingeschriebene Personen"],
     ["Manage cohorts", "People enrolled"]),
])
def test_the_staff_home_in_spanish_and_german(client_for, staff, action_set, language, expected, english):
    body = text(client_for(speaking(staff, language)).get(reverse("enrolment:home")))
    for phrase in expected:
        assert phrase in body
    for phrase in english:
        assert phrase not in body


def test_the_cohort_and_set_pages_in_german(client_for, staff, action_set, learner, facilitator):
    client = client_for(speaking(staff, "de"))
    cohort = text(client.get(reverse("enrolment:cohort", args=[action_set.cohort.slug])))
    assert "Aus einer CSV-Datei einschreiben" in cohort and "Auf Sets verteilen" in cohort
    assert "<strong>2</strong> eingeschrieben" in cohort and "Mitarbeiterprotokoll" in cohort
    page = text(client.get(reverse("enrolment:set", args=[action_set.slug])))
    assert "Mitglieder (2)" in page and 'aria-label="Mitglieder von Set A"' in page
    assert ">Moderator:in</span>" in page and 'data-label="Rolle"' in page
    assert "Moderator:in zuweisen" in page and "Verschieben<span class=\"visually-hidden\">" in page


def test_a_bad_csv_file_is_explained_in_spanish_naming_row_and_column(client_for, staff, action_set):
    client = client_for(speaking(staff, "es"))
    rows = people(2) + [("no-es-un-correo", "Sin Correo", "Set A", "learner"),
                        ("otra@example.org", "Otra", "Set Z", "learner")]
    upload = SimpleUploadedFile("intake.csv", make_csv(rows))
    response = client.post(reverse("enrolment:enrol", args=[action_set.cohort.slug]), {"file": upload}, follow=True)
    body = text(response)
    assert "Vista previa: aún no se ha guardado nada" in body
    assert "<strong>Fila 4, columna A (email):</strong> “no-es-un-correo” no es una dirección de correo válida." in body
    assert "<strong>Fila 5, columna C (set):</strong> No hay ningún set llamado “Set Z”" in body
    assert "<strong>2</strong> membresías nuevas" in body and "<strong>2</strong> filas con errores" in body
    assert "Confirmar 2 membresías" in body and "Nueva membresía" in body
    batch_url = response.redirect_chain[-1][0]
    done = text(client.post(batch_url.rstrip("/") + "/commit/", follow=True))
    assert "Confirmado: 2 membresías nuevas; las invitaciones están en camino." in done
    assert "Inscripción confirmada" in done


def test_a_file_that_cannot_be_read_is_explained_in_german(client_for, staff, action_set):
    client = client_for(speaking(staff, "de"))
    upload = SimpleUploadedFile("intake.csv", b"PK\x03\x04 a workbook")
    body = text(client.post(reverse("enrolment:enrol", args=[action_set.cohort.slug]), {"file": upload}, follow=True))
    assert "Diese Datei konnte nicht verwendet werden" in body
    assert "Dies ist eine Tabellenkalkulationsmappe (.xlsx oder .ods), keine CSV-Datei." in body


def test_the_allocation_in_german_with_localised_hours(client_for, staff, action_set):
    cohort = action_set.cohort
    rows = [(f"p{i}@example.org", f"P {i}", "", "learner", "Asia/Kolkata" if i < 3 else "Europe/London")
            for i in range(12)]
    batch = services.preview_enrolment(cohort=cohort, uploaded_by=staff, allocate_later=True,
                                       data=make_csv(rows, header="email,display_name,set,role,timezone"))
    services.commit_enrolment(batch=batch, actor=staff)
    client = client_for(speaking(staff, "de"))
    form = text(client.get(reverse("enrolment:allocate", args=[cohort.slug])))
    assert "<strong>12</strong> Teilnehmende noch ohne Set" in form and "Teilnehmende pro Set" in form
    response = client.post(reverse("enrolment:allocate", args=[cohort.slug]),
                           {"size": 6, "span_hours": "1", "scope": "unplaced", "facilitators_per_set": 0}, follow=True)
    body = text(response)
    assert "Vorgeschlagene Sets: Noch ist nichts gespeichert" in body and "12 Teilnehmende in 2 Sets" in body
    assert "<strong>Zeitzonenspanne:</strong>" in body  # the constraint's label, translated where it is shown
    assert re.search(r"umfasst 5,5 Stunden \(die Grenze ist 1\)", body), "hours in German: a decimal comma"
    assert "2 Sets übernehmen" in body


def test_the_lti_staff_pages_in_spanish(client_for, staff):
    client = client_for(speaking(staff, "es"))
    body = text(client.get(reverse("lti:platforms")))
    assert "Registrarse en una plataforma en un solo paso" in body and "Las direcciones de esta herramienta" in body
    form = text(client.get(reverse("lti:platform_new")))
    assert "Añadir una plataforma de aprendizaje" in form and "Identificador de cliente" in form
    assert "Permitir cuentas nuevas" in form


def test_invitation_pages_follow_the_browser_language(client):
    response = client.get(reverse("enrolment:invitation_accept", args=["not-a-token"]), headers={"accept-language": "de"})
    assert response.status_code == 404
    page = re.sub(r"\s+", " ", response.content.decode())
    assert "Dieser Einladungslink ist nicht gültig" in page and ">Anmelden</a>" in page
    renewed = text(client.post(reverse("enrolment:invitation_renew", args=["not-a-token"]),
                               headers={"accept-language": "es"}))
    assert "Revisa tu correo" in renewed


def test_an_invitation_email_is_rendered_in_the_invitees_language(staff, action_set, mailoutbox,
                                                                  django_capture_on_commit_callbacks):
    invitee = UserFactory(email="neu@example.org", language="de")
    invitee.set_unusable_password()
    invitee.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.assign_facilitator(actor=staff, action_set=action_set, user=invitee)
    assert Invitation.objects.filter(membership__user=invitee).exists()
    (email,) = [m for m in mailoutbox if m.to == ["neu@example.org"]]
    assert "moderator:in" in email.body.lower()  # the role, as the invitee's language names it
    assert translation.get_language() == "en-gb"  # and the sender's language is back afterwards


def test_the_deep_link_choice_titles_are_translated(staff, action_set):
    from lti.selectors import link_choices

    with translation.override("es"):
        titles = [choice.title for choice in link_choices(staff).values()]
    assert f"{action_set.cohort.name} (todos los sets)" in titles


def test_platform_form_labels_fall_back_to_english(client_for, staff):
    body = text(client_for(staff).get(reverse("lti:platform_new")))
    assert "Client id" in body and "Allow new accounts" in body
    assert Platform.objects.count() == 0


@pytest.mark.parametrize("language, phrase", [("es", "Cancelar"), ("de", "Abbrechen")])
def test_every_staff_form_page_renders_translated(client_for, staff, action_set, learner, language, phrase):
    from lti.models import Course

    membership = learner.memberships.get(action_set=action_set)
    platform = Platform.objects.create(name="Moodle", issuer="https://moodle.example.edu", client_id="c1",
                                       auth_login_url="https://moodle.example.edu/auth",
                                       auth_token_url="https://moodle.example.edu/token",
                                       key_set_url="https://moodle.example.edu/jwks")
    course = Course.objects.create(platform=platform, context_id="42", title="Leading change",
                                   cohort=action_set.cohort, action_set=action_set)
    client = client_for(speaking(staff, language))
    slug = action_set.cohort.slug
    pages = [reverse("enrolment:cohort_new"), reverse("enrolment:cohort_edit", args=[slug]),
             reverse("enrolment:set_new", args=[slug]), reverse("enrolment:set_edit", args=[action_set.slug]),
             reverse("enrolment:enrol", args=[slug]), reverse("enrolment:person_add", args=[slug]),
             reverse("enrolment:allocate", args=[slug]), reverse("enrolment:member_move", args=[membership.pk]),
             reverse("enrolment:member_remove", args=[membership.pk]), reverse("lti:platform", args=[platform.pk]),
             reverse("lti:course", args=[course.pk])]
    english = ("Save", "Create cohort", "Check the file", "Enrol and invite", "Propose sets", "Remove from set",
               "Learning platforms", "Sync the roster", "Time zone", "Set name", "Starts on")
    for url in pages:
        body = text(client.get(url))
        assert f'<html lang="{language}"' in body, url
        leftovers = [w for w in english if re.search(rf">\s*{w}\s*<", body)]
        assert not leftovers, (url, leftovers)
    assert phrase in text(client.get(reverse("enrolment:member_remove", args=[membership.pk])))
