"""The research pages in Spanish and German (issue 18): translated, no template errors, dates and
plurals localised."""

import pytest
from django.urls import reverse

from research import services as research_services


@pytest.mark.parametrize("language, expected", [
    ("es", ["Estudios de investigación", "Aprobación ética: ETH-2026-17", "Guardar mi decisión",
            "Sí: mis palabras en este set", "Todavía no has decidido"]),
    ("de", ["Forschungsstudien", "Ethikvotum: ETH-2026-17", "Entscheidung speichern",
            "Ja: Meine Beiträge in diesem Set", "Sie haben sich noch nicht entschieden"]),
])
def test_member_pages_are_translated(client, action_set, study, learner, facilitator, language, expected):
    learner.language = language
    learner.save(update_fields=["language"])
    client.force_login(learner)
    page = client.get(reverse("research:studies", args=[action_set.slug])).content.decode()
    for text in expected:
        assert text in page
    assert "Research studies" not in page and "Save my choice" not in page
    url = reverse("research:consent", kwargs={"set_slug": action_set.slug, "study_id": study.pk})
    client.post(url, {"consent": "yes"})
    research_services.revise_information_sheet(actor=facilitator, action_set=action_set, study=study,
                                               information_sheet="Version two.")
    page = client.get(reverse("research:studies", args=[action_set.slug])).content.decode()
    assert {"es": "La hoja informativa ha cambiado", "de": "Das Informationsblatt hat sich geändert"}[language] in page
    versions = client.get(reverse("research:versions", kwargs={"set_slug": action_set.slug, "study_id": study.pk}))
    text = versions.content.decode()
    assert versions.status_code == 200
    assert {"es": "Versión 2", "de": "Version 2"}[language] in text
    assert {"es": "Cambios desde la versión 1", "de": "Änderungen seit Version 1"}[language] in text


@pytest.mark.parametrize("language, expected", [
    ("es", ["Registrar el estudio", "Hoja informativa", "1 miembro de este set da su consentimiento",
            "Revisar la hoja informativa"]),
    ("de", ["Studie registrieren", "Informationsblatt", "1 Mitglied dieses Sets willigt ein",
            "Informationsblatt überarbeiten"]),
])
def test_facilitator_pages_are_translated(client, action_set, study, learner, facilitator, language, expected):
    research_services.decide_consent(user=learner, study=study, action_set=action_set, consented=True)
    facilitator.language = language
    facilitator.save(update_fields=["language"])
    client.force_login(facilitator)
    page = client.get(reverse("research:facilitate", args=[action_set.slug])).content.decode()
    for text in expected:
        assert text in page
    revise = client.post(reverse("research:revise", kwargs={"set_slug": action_set.slug, "study_id": study.pk}),
                         {"information_sheet": study.information_sheet})
    assert revise.status_code == 400
    assert {"es": "La hoja informativa no ha cambiado", "de": "Das Informationsblatt ist unverändert"}[language] \
        in revise.content.decode()
