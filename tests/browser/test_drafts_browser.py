"""Drafts in a real browser (issue 14, part 3), with JavaScript and without: autosave as you type
and when you leave the box, the draft back on another device, kept in the browser while offline and
sent when the connection is back, "Save draft" and "Discard draft" without JavaScript, and posting
removes the draft. No CSP violations with the script on."""

import time

import pytest

from actionsets import services
from actionsets.models import Draft, Reply
from tests.factories import MembershipFactory, RoundFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "What would change if the deadline moved?"


@pytest.fixture
def thread(db):
    presenter = MembershipFactory(action_set__slug="draft-set", action_set__name="Draft Set",
                                  user__display_name="Priya").user
    action_set = presenter.memberships.get().action_set
    asker = MembershipFactory(action_set=action_set, user__email="asker@example.com", user__display_name="Tom").user
    RoundFactory(action_set=action_set, number=1)
    airtime = services.present_airtime(presenter=presenter, action_set=action_set, title="The timetable",
                                       body="We keep missing deadlines.")
    return airtime, asker


def _wait_for(condition, seconds=10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def _no_csp_violations(page):
    assert page.evaluate("window.__cspViolations || []") == []


def test_with_javascript_autosave_then_another_device_then_post(new_context, thread):
    from tests.browser.conftest import CSP_LISTENER

    airtime, asker = thread
    context = new_context(asker)
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.goto(airtime.get_absolute_url())
    page.locator("textarea[name=body]").press_sequentially(TEXT, delay=5)
    assert _wait_for(lambda: Draft.objects.filter(author=asker, body=TEXT).exists()), "no autosave while typing"
    page.wait_for_selector(".draft-status:has-text('Draft saved')")
    _no_csp_violations(page)

    other = new_context(asker).new_page()  # another device
    other.goto(airtime.get_absolute_url())
    assert other.locator("textarea[name=body]").input_value() == TEXT

    page.get_by_role("button", name="Post", exact=True).click()
    page.wait_for_selector(".reply .badge--kind-clarifying")
    assert Reply.objects.filter(author=asker, body=TEXT).exists()
    time.sleep(1)  # no late autosave brings the draft back
    assert not Draft.objects.exists()


def test_with_javascript_leaving_the_box_saves_at_once(new_context, thread):
    airtime, asker = thread
    page = new_context(asker).new_page()
    page.goto(airtime.get_absolute_url())
    page.locator("textarea[name=body]").fill(TEXT)
    page.locator("textarea[name=body]").blur()
    assert _wait_for(lambda: Draft.objects.filter(author=asker, body=TEXT).exists(), seconds=2.5)


def test_offline_the_browser_keeps_it_and_sends_it_when_back(new_context, thread):
    airtime, asker = thread
    context = new_context(asker)
    page = context.new_page()
    page.goto(airtime.get_absolute_url())
    context.set_offline(True)
    page.locator("textarea[name=body]").fill(TEXT)
    page.locator("textarea[name=body]").blur()
    page.wait_for_selector(".draft-status:has-text('on this device')")
    stored = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('actionsets-draft:'))")
    assert len(stored) == 1 and not Draft.objects.exists()
    context.set_offline(False)
    assert _wait_for(lambda: Draft.objects.filter(author=asker, body=TEXT).exists()), "not sent when back online"
    assert _wait_for(lambda: page.evaluate(
        "Object.keys(localStorage).filter(k => k.startsWith('actionsets-draft:')).length") == 0)


def test_without_javascript_save_and_discard_buttons(new_context, thread):
    airtime, asker = thread
    page = new_context(asker, javascript=False).new_page()
    page.goto(airtime.get_absolute_url())
    page.locator("textarea[name=body]").fill(TEXT)
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_selector("text=Draft saved. Only you can see it")
    assert page.locator("textarea[name=body]").input_value() == TEXT
    assert Draft.objects.get(author=asker).body == TEXT

    page.get_by_role("button", name="Discard draft").click()
    page.wait_for_selector("text=Draft discarded.")
    assert page.locator("textarea[name=body]").input_value() == ""
    assert not Draft.objects.exists()


def test_without_javascript_the_airtime_draft_comes_back(new_context, thread):
    airtime, asker = thread
    page = new_context(asker, javascript=False).new_page()
    page.goto(f"/sets/{airtime.action_set.slug}/airtime/new/")
    page.locator("input[name=title]").fill("Half a title")
    page.locator("textarea[name=body]").fill(TEXT)
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_selector("text=Draft saved. Only you can see it")
    assert page.locator("input[name=title]").input_value() == "Half a title"
    assert page.locator("textarea[name=body]").input_value() == TEXT
