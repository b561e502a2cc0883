"""The advice nudge with JavaScript: an inline hint as the member types (static/js/reply-kinds.js
asking /advice-check/), and posting while the hint shows goes through without a second stop."""

import pytest

from actionsets import services
from actionsets.models import Reply
from tests.browser.test_core_journey import ARTIFACTS, _sign_in
from tests.factories import MembershipFactory, RoundFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_advice_hint_appears_as_you_type_and_post_anyway_needs_no_second_stop(live_server, browser_page):
    page = browser_page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    presenter = MembershipFactory(action_set__slug="hint-set", action_set__name="Hint Set",
                                  user__display_name="Priya").user
    action_set = presenter.memberships.get().action_set
    MembershipFactory(action_set=action_set, user__email="asker@example.com", user__display_name="Tom")
    RoundFactory(action_set=action_set, number=1)
    airtime = services.present_airtime(presenter=presenter, action_set=action_set, title="The timetable",
                                       body="We keep missing deadlines.")

    _sign_in(page, live_server.url, "asker@example.com")
    page.goto(f"{live_server.url}{airtime.get_absolute_url()}")
    hint = page.locator(".advice-hint")
    page.fill("textarea[name=body]", "What matters most here?")
    page.wait_for_timeout(900)
    assert hint.is_hidden()
    page.locator("textarea[name=body]").press_sequentially(" Have you tried talking to Sam?", delay=5)
    page.wait_for_selector(".advice-hint:not([hidden]) mark")
    assert "Have you tried" in hint.inner_text()
    page.screenshot(path=str(ARTIFACTS / "advice-hint.png"), full_page=True)
    page.get_by_role("button", name="Post", exact=True).click()
    page.wait_for_selector(".reply .badge--kind-clarifying")
    reply = Reply.objects.get()
    assert reply.advice_signal == [{"name": "have-you-tried", "phrase": "Have you tried"}]
    assert "A second look" not in page.content()
