import pytest

from actionsets import services
from research import services as research_services


@pytest.fixture
def airtime(learner, open_round, action_set):
    return services.present_airtime(presenter=learner, action_set=action_set, title="Getting my team to own the timetable",
                                    body="We keep missing **deadlines**.")


@pytest.fixture
def question(airtime, learner2):
    return services.post_reply(author=learner2, airtime=airtime, body="What have you tried so far?")


@pytest.fixture
def study(action_set, facilitator):
    return research_services.register_study(
        actor=facilitator, action_set=action_set, title="Questions in online sets", ethics_reference="ETH-2026-17",
        information_sheet="We study **questions**. You may withdraw at any time.", contact="research@example.org")
