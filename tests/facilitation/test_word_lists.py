"""The advice and open-question word lists per language (issue 18): Spanish and German sentences
classified, the set's language deciding which list applies at save time, the database agreeing
with Python for every list, and the "not available" path for a language without a list."""

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import translation

from actionsets import services
from actionsets.advice import (
    CLOSED,
    OPEN,
    OTHER,
    WORD_LISTS,
    db_pattern,
    find_signals,
    has_signal,
    has_word_list,
    question_openness,
    recount_advice_signals,
)
from actionsets.models import ActionSet, Reply

# (text, is advice) — written for the lists' users, not tuned on the patterns' edge cases only.
SPANISH = [
    ("Deberías hablar con ella antes de la reunión.", True),
    ("Tienes que delegar más.", True),
    ("Yo que tú, lo dejaría por escrito.", True),
    ("Yo hablaría con tu jefa mañana.", True),
    ("¿Has probado a dejar el móvil fuera del despacho?", True),
    ("¿Por qué no le pides ayuda a tu equipo?", True),
    ("¿Qué tal si empiezas por una conversación corta?", True),
    ("En mi experiencia, funciona mejor hablarlo en persona.", True),
    ("Te recomiendo un calendario compartido.", True),
    ("Sería mejor esperar una semana.", True),
    ("Prueba a reservar una hora cada viernes.", True),
    ("¿Qué has probado hasta ahora?", False),
    ("¿Cómo te sentiste después de la reunión?", False),
    ("¿Qué pasaría si no hicieras nada?", False),
    ("Entiendo que te preocupa el plazo, ¿es así?", False),
    ("¿Qué es lo que más te importa aquí?", False),
    ("Cuéntame más sobre tu equipo.", False),
    ("¿Por qué crees que ocurre?", False),
]
GERMAN = [
    ("Sie sollten mit ihr sprechen.", True),
    ("Du musst das klar ansprechen.", True),
    ("Ich würde das delegieren.", True),
    ("An Ihrer Stelle würde ich kündigen.", True),
    ("Haben Sie schon versucht, mit ihr zu reden?", True),
    ("Warum fragen Sie nicht einfach Ihre Chefin?", True),
    ("Wie wäre es mit einem festen Termin?", True),
    ("Meiner Erfahrung nach hilft ein kurzes Gespräch.", True),
    ("Ich empfehle Ihnen einen gemeinsamen Kalender.", True),
    ("Es wäre besser, eine Woche zu warten.", True),
    ("Versuchen Sie es doch mit einer kurzen Mail.", True),
    ("Was haben Sie bisher versucht?", False),
    ("Wie ging es Ihnen nach dem Gespräch?", False),
    ("Ich würde gern verstehen, was Sie zurückhält.", False),
    ("Sprechen Sie mit ihr darüber?", False),
    ("Was ist Ihnen dabei am wichtigsten?", False),
    ("Wer könnte Ihnen dabei helfen?", False),
    ("Habe ich richtig verstanden, dass Sie unsicher sind?", False),
]


@pytest.mark.parametrize(("language", "corpus"), [("es", SPANISH), ("de", GERMAN)])
def test_sentences_are_classified_by_their_language_list(language, corpus):
    wrong = [text for text, advice in corpus if has_signal(text, language) != advice]
    assert not wrong, wrong
    for text, advice in corpus:
        signals = find_signals(text, language)
        assert bool(signals) == advice, text
        for signal in signals:
            assert signal.phrase.lower() in signal.sentence.lower()


def test_each_language_list_is_its_own():
    assert has_signal("You should ask her.", "en-gb") and not has_signal("You should ask her.", "es")
    assert has_signal("Deberías preguntarle.", "es") and not has_signal("Deberías preguntarle.", "de")
    assert has_signal("Sie sollten sie fragen.", "de-at")  # a regional code uses its base language's list
    assert has_signal("Deberías preguntarle.", "es-mx")


@pytest.mark.parametrize(("language", "text", "expected"), [
    ("es", "¿Qué te ayudaría ahora?", OPEN),
    ("es", "Entonces, ¿cómo lo viviste?", OPEN),
    ("es", "¿Por qué crees que pasa?", OPEN),
    ("es", "¿Te ayudó hablarlo con ella?", CLOSED),
    ("es", "¿Hablaste con ella?", CLOSED),
    ("es", "¿Tienes miedo de su respuesta?", CLOSED),
    ("es", "Gracias por compartirlo.", OTHER),
    ("de", "Was würde sich ändern, wenn Sie es ansprechen?", OPEN),
    ("de", "Und wie ging es Ihnen dabei?", OPEN),
    ("de", "Inwiefern betrifft Sie das?", OPEN),
    ("de", "Haben Sie mit ihr gesprochen?", CLOSED),
    ("de", "Sprechen Sie mit ihr darüber?", CLOSED),
    ("de", "Ist das neu für Sie?", CLOSED),
    ("de", "Danke fürs Teilen.", OTHER),
])
def test_open_and_closed_questions_per_language(language, text, expected):
    assert question_openness(text, language) == expected


def test_a_language_without_a_list_is_unavailable_not_zero():
    assert not has_word_list("fr")
    assert has_signal("You should ask her.", "fr") is False
    assert find_signals("Tu devrais lui parler.", "fr") == []
    assert question_openness("Qu'est-ce qui compte pour toi ?", "fr") == OTHER
    assert db_pattern("fr") is None
    assert all(has_word_list(code) for code in ("en-gb", "es", "de"))


def test_every_list_has_patterns_and_openers():
    for language, word_list in WORD_LISTS.items():
        assert word_list.patterns and word_list.open_starts and word_list.closed_starts, language
        assert len({name for name, _, _ in word_list.patterns}) == len(word_list.patterns)


@pytest.mark.parametrize(("language", "corpus"), [("es", SPANISH), ("de", GERMAN)])
def test_the_stored_flag_the_database_and_python_agree_per_language(language, corpus, action_set, airtime, learner2):
    """The flag is decided with the set's language at save time; an analyst's
    `body__iregex=db_pattern(language)` gives the same answer on PostgreSQL."""
    ActionSet.objects.filter(pk=action_set.pk).update(language=language)
    airtime.action_set.refresh_from_db()
    for text, _advice in corpus:
        services.post_reply(author=learner2, airtime=airtime, body=text)
    expected = {text for text, advice in corpus if advice}
    stored = set(Reply.objects.filter(airtime=airtime, has_advice_signal=True).values_list("body", flat=True))
    in_db = set(Reply.objects.filter(airtime=airtime, body__iregex=db_pattern(language)).values_list("body", flat=True))
    assert stored == in_db == expected


def test_the_sets_language_decides_at_save_time_and_recount_follows_it(action_set, airtime, learner2):
    english = services.post_reply(author=learner2, airtime=airtime, body="You should ask her.")
    spanish = services.post_reply(author=learner2, airtime=airtime, body="Deberías preguntarle.")
    assert english.has_advice_signal and not spanish.has_advice_signal
    ActionSet.objects.filter(pk=action_set.pk).update(language="es")
    assert recount_advice_signals() == 2
    english.refresh_from_db()
    spanish.refresh_from_db()
    assert spanish.has_advice_signal and not english.has_advice_signal
    # An edit is judged by the set's language too.
    services.edit_reply(editor=learner2, reply=english, body="Te recomiendo preguntarle.")
    english.refresh_from_db()
    assert english.has_advice_signal
    ActionSet.objects.filter(pk=action_set.pk).update(language="fr")
    recount_advice_signals()
    assert not Reply.objects.filter(Q(airtime=airtime) & Q(has_advice_signal=True)).exists()


def test_the_advice_hint_answers_unavailable_for_a_set_without_a_list(client, action_set, learner):
    client.force_login(learner)
    url = reverse("actionsets:advice_check", args=[action_set.slug])
    found = client.post(url, {"text": "You should ask her."}).json()
    assert found["available"] is True and [s["name"] for s in found["signals"]] == ["you-should"]
    ActionSet.objects.filter(pk=action_set.pk).update(language="es")
    found = client.post(url, {"text": "Deberías preguntarle."}).json()
    assert [s["name"] for s in found["signals"]] == ["deberias"]
    ActionSet.objects.filter(pk=action_set.pk).update(language="fr")
    answer = client.post(url, {"text": "You should ask her."}).json()
    assert answer["available"] is False and answer["signals"] == []
    assert answer["message"] == "The advice hint is not available for French — no word list."


def test_the_dashboard_says_unavailable_instead_of_zeros(client, small_set):
    ActionSet.objects.filter(pk=small_set.action_set.pk).update(language="fr")
    client.force_login(small_set.facilitator)
    page = client.get(reverse("facilitation:dashboard", args=[small_set.action_set.slug])).content.decode()
    assert "Advice share: not available for French — no word list." in page
    assert "Open questions: not available for French — no word list." in page
    signals = client.get(reverse("facilitation:signals", args=[small_set.action_set.slug])).content.decode()
    assert "Advice signals are not available for French — no word list." in signals


def test_the_dashboard_says_unavailable_in_the_viewers_language(client, small_set):
    ActionSet.objects.filter(pk=small_set.action_set.pk).update(language="fr")
    small_set.facilitator.language = "es"
    small_set.facilitator.save(update_fields=["language"])
    client.force_login(small_set.facilitator)
    page = client.get(reverse("facilitation:dashboard", args=[small_set.action_set.slug])).content.decode()
    with translation.override("es"):
        french = str(translation.get_language_info("fr")["name_translated"])
    assert f"Proporción de consejos: no disponible para {french}, no hay lista de palabras." in page


def test_the_facilitator_sets_the_sets_language_with_the_process_options(client, action_set, facilitator):
    client.force_login(facilitator)
    page = client.get(reverse("actionsets:process", args=[action_set.slug])).content.decode()
    assert 'name="language"' in page and '<option value="fr"' in page
    response = client.post(reverse("actionsets:process_options", args=[action_set.slug]),
                           {"ask_before_seeing": "", "show_who_hasnt_asked": "", "language": "de"})
    assert response.status_code == 302
    action_set.refresh_from_db()
    assert action_set.language == "de"
    # Leaving it out keeps it (callers that predate the field).
    client.post(reverse("actionsets:process_options", args=[action_set.slug]), {"ask_before_seeing": "on"})
    action_set.refresh_from_db()
    assert action_set.language == "de" and action_set.ask_before_seeing


def test_a_new_set_is_in_the_installations_language(settings, action_set):
    assert action_set.language == settings.LANGUAGE_CODE
