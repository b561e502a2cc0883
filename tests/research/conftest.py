import pytest

from research import services as research_services


@pytest.fixture
def study(action_set, facilitator):
    return research_services.register_study(
        actor=facilitator, action_set=action_set, title="Questions in online sets", ethics_reference="ETH-2026-17",
        information_sheet="We study **questions**. You may withdraw at any time.", contact="research@example.org")
