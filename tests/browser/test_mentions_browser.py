"""@mentions and notifications in a real browser (issue 14 §2), JavaScript on and off: the
autocomplete is an enhancement (typing the handle works without it), the mention is rendered,
the mentioned member finds it on /notifications/ with the count in the header, opening it marks
it read, and "Mark all read" works. axe finds nothing serious with the suggestion list open."""

import pytest

from actionsets import services
from actionsets.models import Reply
from engagement.models import Notification
from tests.factories import MembershipFactory, RoundFactory

from .conftest import run_axe


@pytest.fixture
def thread(db):
    presenter = MembershipFactory(action_set__slug="mention-set", action_set__name="Mention Set",
                                  user__display_name="Priya Raman").user
    action_set = presenter.memberships.get().action_set
    asker = MembershipFactory(action_set=action_set, user__email="tom@example.com", user__display_name="Tom").user
    MembershipFactory(action_set=action_set, user__email="pat@example.com", user__display_name="Pat Lee")
    RoundFactory(action_set=action_set, number=1)
    airtime = services.present_airtime(presenter=presenter, action_set=action_set, title="The timetable",
                                       body="We keep missing deadlines.")
    return airtime, asker, presenter


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_with_javascript_the_autocomplete_inserts_the_handle(new_context, thread):
    airtime, asker, presenter = thread
    page = new_context(asker, bypass_csp=True).new_page()
    page.goto(airtime.get_absolute_url())
    box = page.locator("textarea[name=body]")
    box.press_sequentially("What would @pri", delay=10)
    page.wait_for_selector(".mention-suggestions:not([hidden]) [role=option]")
    options = page.locator(".mention-suggestions [role=option]")
    assert options.count() == 1 and "@priya" in options.first.inner_text()
    assert box.get_attribute("aria-activedescendant") == options.first.get_attribute("id")
    assert run_axe(page) == []
    box.press("Enter")  # picks the suggestion, does not submit
    assert box.input_value() == "What would @priya "
    assert page.locator(".mention-suggestions").is_hidden()
    box.press_sequentially("try first?", delay=5)
    page.get_by_role("button", name="Post", exact=True).click()
    page.wait_for_selector(".reply .mention")
    assert page.locator(".reply .mention").first.inner_text() == "@priya"
    assert Notification.objects.filter(user=presenter, kind="mention").count() == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_without_javascript_a_typed_handle_is_a_mention_and_the_page_works(new_context, thread):
    airtime, asker, presenter = thread
    page = new_context(asker, javascript=False).new_page()
    page.goto(airtime.get_absolute_url())
    page.locator("textarea[name=body]").fill("What would @priya try first?")
    page.get_by_role("button", name="Post", exact=True).click()
    page.wait_for_selector(".reply .mention")
    reply = Reply.objects.get()
    assert '<span class="mention">@priya</span>' in reply.body_html

    page = new_context(presenter, javascript=False).new_page()
    page.goto("/")
    badge = page.locator(".site-nav .count-badge")
    assert badge.inner_text().startswith("2")  # the question on my airtime, and the mention
    page.get_by_role("link", name="Notifications").first.click()
    items = page.locator(".notification--unread")
    assert items.count() == 2
    page.get_by_role("link", name="Tom mentioned you in a reply on “The timetable”").click()
    assert page.url.endswith(f"/airtime/{airtime.pk}/#reply-{reply.pk}")
    page.goto("/notifications/")
    assert page.locator(".notification--unread").count() == 1
    page.get_by_role("button", name="Mark all read").click()
    assert page.locator(".notification--unread").count() == 0
    assert page.locator(".site-nav .count-badge").count() == 0


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_notifications_page_with_javascript_has_no_serious_axe_findings(new_context, thread):
    airtime, asker, presenter = thread
    services.post_reply(author=asker, airtime=airtime, body="What would @priya try first?")
    page = new_context(presenter, bypass_csp=True).new_page()
    page.goto("/notifications/")
    assert page.locator(".notification").count() == 2
    assert run_axe(page) == []
