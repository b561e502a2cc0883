"""The facilitator's process choices: phase windows per round and the set's options."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from actionsets import services
from actionsets.models import Round
from actionsets.models import ModerationAction


def test_a_facilitator_changes_a_rounds_windows_and_it_is_logged(open_round, facilitator):
    services.set_phase_windows(actor=facilitator, round=open_round, windows={"clarifying_hours": 24},
                                       ask_before_seeing=True, reason="Shorter, as agreed")
    open_round.refresh_from_db()
    assert open_round.clarifying_hours == 24 and open_round.probing_hours == 72 and open_round.ask_before_seeing
    log = ModerationAction.objects.get(action=ModerationAction.Action.PHASE_WINDOWS)
    assert log.detail["from"]["clarifying_hours"] == 48 and log.detail["to"]["clarifying_hours"] == 24


def test_a_learner_cannot_change_windows(open_round, learner):
    with pytest.raises(ValidationError):
        services.set_phase_windows(actor=learner, round=open_round, windows={"clarifying_hours": 1},
                                           ask_before_seeing=None)
    assert Round.objects.get(pk=open_round.pk).clarifying_hours == 48


def test_questions_keep_a_window(open_round, facilitator):
    with pytest.raises(ValidationError) as excinfo:
        services.set_phase_windows(actor=facilitator, round=open_round,
                                           windows={"clarifying_hours": 0, "probing_hours": 0}, ask_before_seeing=None)
    assert "Questions come first" in excinfo.value.messages[0]


def test_the_windows_form_on_the_process_page(client, open_round, facilitator, action_set):
    client.force_login(facilitator)
    page = client.get(reverse("actionsets:process", kwargs={"set_slug": action_set.slug}))
    assert page.status_code == 200 and b"Phase windows by round" in page.content
    url = reverse("actionsets:round_windows", kwargs={"set_slug": action_set.slug, "number": open_round.number})
    prefix = f"round-{open_round.pk}-"
    data = {f"{prefix}{name}": value for name, value in [
        ("clarifying_hours", 12), ("probing_hours", 24), ("offers_hours", 0), ("summary_hours", 24),
        ("reflection_hours", 24), ("review_hours", 24), ("ask_before_seeing", "no"), ("reason", "")]}
    assert client.post(url, data).status_code == 302
    open_round.refresh_from_db()
    assert (open_round.clarifying_hours, open_round.offers_hours, open_round.ask_before_seeing) == (12, 0, False)
    data[f"{prefix}probing_hours"] = -1
    response = client.post(url, data)
    assert response.status_code == 400 and b"greater than or equal to 0" in response.content


def test_set_options_are_saved_and_logged(client, facilitator, action_set):
    client.force_login(facilitator)
    url = reverse("actionsets:process_options", kwargs={"set_slug": action_set.slug})
    assert client.post(url, {"ask_before_seeing": "on", "show_who_hasnt_asked": "on"}).status_code == 302
    action_set.refresh_from_db()
    assert action_set.ask_before_seeing and action_set.show_who_hasnt_asked
    assert ModerationAction.objects.filter(action=ModerationAction.Action.PROCESS_OPTIONS).exists()
