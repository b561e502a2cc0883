"""Agree before you read, in the browser (issue 13, learners 4): an email's link to a thread takes
a member who has not accepted the ground rules to the rules, says why, and after accepting lands
on the thread. At desktop and phone widths; no page scrolls sideways."""

import pytest

from actionsets import services
from tests.factories import MembershipFactory, RoundFactory

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 800}}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", WIDTHS)
def test_a_link_to_a_thread_goes_through_the_rules_and_on_to_the_thread(new_context, width):
    presenter = MembershipFactory(action_set__slug="gate-set", action_set__name="Gate Set",
                                  user__display_name="Priya").user
    action_set = presenter.memberships.get().action_set
    services.set_ground_rules(action_set=action_set, ground_rules="What is said in the set stays in the set.")
    services.accept_ground_rules(membership=presenter.memberships.get())
    newcomer = MembershipFactory(action_set=action_set, ground_rules_accepted_at=None,
                                 user__display_name="Nia").user
    RoundFactory(action_set=action_set, number=1)
    airtime = services.present_airtime(presenter=presenter, action_set=action_set, title="The timetable",
                                       body="CONFIDENTIAL-BODY")

    page = new_context(newcomer, viewport=WIDTHS[width]).new_page()
    page.goto(airtime.get_absolute_url())
    assert "/rules/?next=" in page.url
    assert page.get_by_text("You were brought here first").is_visible()
    assert "CONFIDENTIAL-BODY" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.get_by_role("button", name="I accept the ground rules").click()
    page.wait_for_url(f"**{airtime.get_absolute_url()}")
    assert page.get_by_role("heading", level=1).inner_text() == "The timetable"
    assert "CONFIDENTIAL-BODY" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
