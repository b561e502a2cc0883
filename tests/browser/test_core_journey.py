"""The core journey in a real browser: sign in through the form, present, and a second learner
asks a question. Headless Debian Chromium driven by Playwright; saves screenshots."""

from pathlib import Path

import pytest
from django.urls import reverse

from actionsets.models import Airtime, Reply
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, RoundFactory

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"




def _sign_in(page, base_url, email):
    page.goto(f"{base_url}{reverse('account_logout')}")
    if page.locator("form button[type=submit]").count() and "logout" in page.url:
        page.locator("main form button[type=submit]").click()
    page.goto(f"{base_url}{reverse('account_login')}")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base_url}/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_learner_presents_and_another_learner_asks_a_question(live_server, browser_page):
    page = browser_page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    presenter = MembershipFactory(action_set__slug="browser-set", action_set__name="Browser Set",
                                  user__email="presenter@example.com", user__display_name="Priya").user
    action_set = presenter.memberships.get().action_set
    MembershipFactory(action_set=action_set, user__email="asker@example.com", user__display_name="Tom")
    RoundFactory(action_set=action_set, number=1)

    _sign_in(page, live_server.url, "presenter@example.com")
    page.screenshot(path=str(ARTIFACTS / "home-desktop.png"), full_page=True)
    page.get_by_role("link", name="Present your airtime").first.click()
    page.fill("input[name=title]", "Getting my team to own the timetable")
    page.fill("textarea[name=body]", "We keep missing **deadlines**. What am I not seeing?")
    page.get_by_role("button", name="Present").click()
    page.wait_for_selector("h1#airtime-title")
    assert Airtime.objects.filter(presenter=presenter).count() == 1

    _sign_in(page, live_server.url, "asker@example.com")
    page.goto(f"{live_server.url}/sets/browser-set/")
    page.get_by_role("link", name="Getting my team to own the timetable").click()
    page.fill("textarea[name=body]", "What would be different if the team owned it?")
    page.get_by_role("button", name="Post").click()
    page.wait_for_selector(".reply .badge--kind-clarifying")
    assert "What would be different" in page.inner_text(".reply-list")
    page.screenshot(path=str(ARTIFACTS / "thread-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "thread-phone.png"), full_page=True)
    reply = Reply.objects.get()
    assert reply.kind == Reply.Kind.CLARIFYING and reply.author.email == "asker@example.com"
