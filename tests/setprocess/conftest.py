"""Fixtures for the set process: an airtime presented an hour into an open round, and a helper
to move it through its phases by moving timestamps ("time travel")."""

from datetime import timedelta

import pytest
from django.utils import timezone

from actionsets import services
from actionsets.models import Airtime, Round


@pytest.fixture
def airtime(learner, open_round, action_set):
    return services.present_airtime(
        presenter=learner, action_set=action_set, title="Getting my team to own the timetable",
        body="We keep missing **deadlines**.",
    )


@pytest.fixture
def offers_airtime(learner2, open_round, action_set):
    return services.present_airtime(presenter=learner2, action_set=action_set, title="Offers welcome here",
                                    body="Tell me what worked for you, too.", offers_welcome=True)


@pytest.fixture
def question(airtime, learner2):
    return services.post_reply(author=learner2, airtime=airtime, body="What have you tried so far?")


@pytest.fixture
def travel():
    """`travel(airtime, hours)`: make the airtime (and its round) `hours` old, so its phase moves on
    as if time had passed. The round is stretched so it stays open."""

    def _move(airtime: Airtime, hours: float) -> Airtime:
        now = timezone.now()
        started = now - timedelta(hours=hours)
        Round.objects.filter(pk=airtime.round_id).update(opens_at=started - timedelta(hours=1),
                                                         closes_at=now + timedelta(days=20))
        Airtime.objects.filter(pk=airtime.pk).update(created_at=started)
        return Airtime.objects.select_related("round", "action_set").get(pk=airtime.pk)

    return _move
