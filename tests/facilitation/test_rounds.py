"""Rounds: schedule, change dates (no overlaps, closes after opens, order kept), close early."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from actionsets.models import Round
from facilitation import services
from actionsets.models import ModerationAction
from tests.factories import RoundFactory

FMT = "%Y-%m-%dT%H:%M"


def url(name, action_set, **kwargs):
    return reverse(f"facilitation:{name}", kwargs={"set_slug": action_set.slug, **kwargs})


@pytest.fixture
def later(action_set, open_round):
    opens = open_round.closes_at + timedelta(days=1)
    return RoundFactory(action_set=action_set, number=2, opens_at=opens, closes_at=opens + timedelta(days=14))


def test_schedule_a_round_from_the_page(client, facilitator, action_set, open_round):
    client.force_login(facilitator)
    opens = (open_round.closes_at + timedelta(days=2)).astimezone(timezone.get_current_timezone())
    response = client.post(url("round_new", action_set), {"new-opens_at": opens.strftime(FMT)})
    assert response.status_code == 302
    new = Round.objects.get(number=2)
    assert new.closes_at - new.opens_at == timedelta(days=14)
    assert ModerationAction.objects.get(action="schedule_round").actor == facilitator
    assert "Round 2" in client.get(url("rounds", action_set)).content.decode()


def test_scheduling_an_overlapping_round_keeps_the_form_and_says_why(client, facilitator, action_set, open_round):
    client.force_login(facilitator)
    response = client.post(url("round_new", action_set), {"new-opens_at": timezone.now().strftime(FMT)})
    assert response.status_code == 400 and "overlaps another round" in response.content.decode()
    assert Round.objects.count() == 1


def test_a_bad_date_gets_a_message(client, facilitator, action_set, open_round):
    client.force_login(facilitator)
    response = client.post(url("round_new", action_set), {"new-opens_at": "next tuesday"})
    assert response.status_code == 400 and "Enter a valid date/time" in response.content.decode()


def test_change_a_scheduled_rounds_dates(facilitator, later):
    opens = later.opens_at + timedelta(days=2)
    services.reschedule_round(actor=facilitator, round=later, opens_at=opens, closes_at=opens + timedelta(days=10),
                              reason="Reading week")
    later.refresh_from_db()
    assert later.opens_at == opens
    entry = ModerationAction.objects.get(action="change_round")
    assert entry.reason == "Reading week" and entry.detail["to"][0] == opens.isoformat()


@pytest.mark.parametrize(
    ("shift_open", "shift_close", "message"),
    [
        (timedelta(days=-3), timedelta(days=0), "overlap round 1"),       # opens before round 1 closes
        (timedelta(days=5), timedelta(days=-10), "close after it opens"),
        (timedelta(days=-40), timedelta(days=-40), "keep their order"),  # would jump before round 1
    ],
)
def test_round_changes_that_do_not_fit_are_refused(facilitator, later, shift_open, shift_close, message):
    with pytest.raises(ValidationError, match=message):
        services.reschedule_round(actor=facilitator, round=later, opens_at=later.opens_at + shift_open,
                                  closes_at=later.closes_at + shift_close)
    assert not ModerationAction.objects.exists()


def test_an_open_round_can_move_its_close_but_not_its_opening(facilitator, open_round):
    with pytest.raises(ValidationError, match="only its closing date"):
        services.reschedule_round(actor=facilitator, round=open_round, opens_at=open_round.opens_at + timedelta(hours=1),
                                  closes_at=open_round.closes_at)
    with pytest.raises(ValidationError, match="Close now"):
        services.reschedule_round(actor=facilitator, round=open_round, opens_at=open_round.opens_at,
                                  closes_at=timezone.now() - timedelta(minutes=1))
    services.reschedule_round(actor=facilitator, round=open_round, opens_at=open_round.opens_at,
                              closes_at=open_round.closes_at + timedelta(days=3))


def test_change_dates_from_the_page_with_a_bad_date_shows_the_error_on_that_round(
    client, facilitator, action_set, open_round, later
):
    client.force_login(facilitator)
    prefix = f"round-{later.pk}"
    response = client.post(url("round_change", action_set, number=later.number),
                           {f"{prefix}-opens_at": later.opens_at.strftime(FMT), f"{prefix}-closes_at": "soon"})
    assert response.status_code == 400 and "Enter a valid date/time" in response.content.decode()


def test_open_round_form_changes_only_the_close(client, facilitator, action_set, open_round):
    client.force_login(facilitator)
    new_close = (open_round.closes_at + timedelta(days=2)).replace(second=0, microsecond=0)
    response = client.post(url("round_change", action_set, number=open_round.number),
                           {f"round-{open_round.pk}-closes_at": new_close.strftime(FMT)})
    assert response.status_code == 302
    open_round.refresh_from_db()
    assert open_round.closes_at == new_close


def test_close_a_round_early(client, facilitator, action_set, open_round, learner):
    client.force_login(facilitator)
    client.post(url("round_close", action_set, number=open_round.number), {"reason": "Everyone has responded"})
    open_round.refresh_from_db()
    assert open_round.is_closed
    assert ModerationAction.objects.get(action="close_round").reason == "Everyone has responded"
    with pytest.raises(ValidationError, match="only an open round"):
        services.close_round_early(actor=facilitator, round=open_round)


def test_a_closed_round_keeps_its_dates(facilitator, open_round):
    services.close_round_early(actor=facilitator, round=open_round)
    with pytest.raises(ValidationError, match="has closed"):
        services.reschedule_round(actor=facilitator, round=open_round, opens_at=open_round.opens_at,
                                  closes_at=open_round.closes_at + timedelta(days=1))


def test_learners_cannot_change_rounds_through_the_service(learner, open_round):
    with pytest.raises(ValidationError, match="facilitators"):
        services.close_round_early(actor=learner, round=open_round)
