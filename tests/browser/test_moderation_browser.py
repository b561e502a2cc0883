"""In Chromium: a facilitator hides a reply from the thread; a learner then sees the tombstone, and
the author still sees their own words with the reason. Screenshots go to test-artifacts/."""

from pathlib import Path

import pytest

from actionsets import services
from tests.factories import DEFAULT_PASSWORD

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SECRET = "Honestly my manager Sam Jones is hopeless at this."


@pytest.fixture
def thread(transactional_db, action_set, open_round, learner, learner2, facilitator):
    """Made before the browser starts: ORM calls made while Playwright's greenlet runs would use a
    connection of their own that nothing closes (PostgreSQL then refuses to drop the test database)."""
    airtime = services.present_airtime(presenter=learner, action_set=action_set, title="Owning the timetable",
                                       body="We keep missing deadlines.")
    reply = services.post_reply(author=learner2, airtime=airtime, body=SECRET)
    return airtime.get_absolute_url(), reply.pk


def _sign_in(browser, live_server, user, width=1280):
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


@pytest.mark.browser
def test_facilitator_hides_a_reply_and_a_learner_sees_the_tombstone(
    live_server, learner, learner2, facilitator, thread, browser
):
    path, reply_pk = thread
    thread_url = f"{live_server.url}{path}"
    ARTIFACTS.mkdir(exist_ok=True)

    fac = _sign_in(browser, live_server, facilitator)
    fac.goto(thread_url)
    item = fac.locator(f"#reply-{reply_pk}")
    item.get_by_text("Code or hide").click()
    item.get_by_label("Reason for hiding").fill("Names a colleague outside the set")
    item.get_by_role("button", name="Hide").click()
    fac.wait_for_selector("text=Hidden. Members see that the facilitator hid it")
    fac.locator(f"#reply-{reply_pk}").scroll_into_view_if_needed()
    fac.screenshot(path=str(ARTIFACTS / "moderation-facilitator-after-hide.png"), full_page=True)
    assert fac.locator(f"#reply-{reply_pk} .tombstone").is_visible()

    member = _sign_in(browser, live_server, learner, width=390)
    member.goto(thread_url)
    tombstone = member.locator(f"#reply-{reply_pk} .tombstone")
    assert tombstone.inner_text().strip() == "Hidden by the facilitator."
    assert SECRET not in member.content() and "Names a colleague" not in member.content()
    member.locator(f"#reply-{reply_pk}").scroll_into_view_if_needed()
    member.screenshot(path=str(ARTIFACTS / "moderation-learner-sees-tombstone.png"), full_page=True)

    author = _sign_in(browser, live_server, learner2)
    author.goto(thread_url)
    assert SECRET in author.content() and "Names a colleague outside the set" in author.content()

