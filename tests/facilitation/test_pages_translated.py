"""Every facilitation page renders in Spanish and German (issue 18): no template error, the page's
own text translated, and a facilitator's action message in their language."""

import pytest
from django.urls import reverse

from facilitation import services as facilitation_services

PAGES = {
    # page: (English, Spanish, German) — one phrase of the page's own text
    "dashboard": ("Discourse dashboard", "Panel de conversación", "Gesprächsübersicht"),
    "signals": ("How it works", "Cómo funciona", "So funktioniert es"),
    "moderation": ("Recently resolved", "Resueltos recientemente", "Kürzlich erledigt"),
    "log": ("Nothing here can be edited or deleted.", "Nada aquí se puede editar ni borrar.",
            "Nichts hier kann bearbeitet oder gelöscht werden."),
    "rounds": ("Schedule a round", "Programar una ronda", "Eine Runde planen"),
    "coding": ("Draw a sample", "Extraer una muestra", "Eine Stichprobe ziehen"),
    "coding_sample": ("You are not one of this sample", "No eres uno de los codificadores/as de esta muestra",
                      "Sie gehören nicht zu den Codierenden dieser Stichprobe"),
    "coding_agreement": ("Disagreements, side by side", "Desacuerdos, lado a lado", "Abweichungen, nebeneinander"),
}


@pytest.fixture
def pages(small_set, flag, coding_sample):
    slug = small_set.action_set.slug
    facilitation_services.resolve_flag(actor=small_set.facilitator, flag=flag, outcome="kept", note="")
    return {name: reverse(f"facilitation:{name}", args=[slug] + ([coding_sample.pk] if "sample" in name
                                                               or "agreement" in name else []))
            for name in PAGES}


@pytest.mark.parametrize(("language", "column"), [("en-gb", 0), ("es", 1), ("de", 2)])
def test_every_facilitation_page_renders_in_the_facilitators_language(client, small_set, pages, language, column):
    small_set.facilitator.language = language
    small_set.facilitator.save(update_fields=["language"])
    client.force_login(small_set.facilitator)
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        page = response.content.decode().replace("&#x27;", "'")
        assert PAGES[name][column] in page, (language, name)
        if column:
            assert PAGES[name][0] not in page, (language, name)


def test_an_action_says_what_happened_in_the_facilitators_language(client, small_set):
    small_set.facilitator.language = "de"
    small_set.facilitator.save(update_fields=["language"])
    client.force_login(small_set.facilitator)
    response = client.post(reverse("facilitation:airtime_lock", args=[small_set.action_set.slug, small_set.a1.pk]),
                           follow=True)
    assert "Gesperrt: Der Thread nimmt keine neuen Antworten an." in response.content.decode()


def test_the_flag_form_speaks_the_members_language(client, small_set):
    small_set.cat.language = "es"
    small_set.cat.save(update_fields=["language"])
    client.force_login(small_set.cat)
    url = reverse("facilitation:flag", args=[small_set.action_set.slug, small_set.a2.pk, small_set.q3.pk])
    page = client.get(url).content.decode()
    assert "Avisar al facilitador/a de una respuesta" in page and "¿Cuál es el problema?" in page
