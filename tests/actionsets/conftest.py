import pytest

from actionsets import services


@pytest.fixture
def airtime(learner, open_round, action_set):
    return services.present_airtime(
        presenter=learner, action_set=action_set, title="Getting my team to own the timetable",
        body="We keep missing **deadlines**.",
    )


@pytest.fixture
def question(airtime, learner2):
    return services.post_reply(author=learner2, airtime=airtime, body="What have you tried so far?")


@pytest.fixture
def own_reply(airtime, question, learner):
    return services.post_reply(author=learner, airtime=airtime, body="A shared calendar.", parent=question)


@pytest.fixture
def commitment(airtime, learner):
    return services.record_commitment(owner=learner, airtime=airtime, text="Talk to Sam by Friday")
