"""The advice nudge holds with JavaScript on, as without (issue 13, learners 3): a question that
reads as advice needs an explicit second step — "Post anyway" or "Rewrite as a question" — and
the facilitators' signal records the choice. At desktop and phone widths.

(Before issue 13 the inline hint turned "Post" into "post anyway": one click published it.)"""

import pytest

from actionsets import services
from actionsets.models import Reply
from tests.factories import MembershipFactory, RoundFactory

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 800}}
ADVICE = "Have you tried talking to Sam?"


@pytest.fixture
def thread(db):
    presenter = MembershipFactory(action_set__slug="hint-set", action_set__name="Hint Set",
                                  user__display_name="Priya").user
    action_set = presenter.memberships.get().action_set
    asker = MembershipFactory(action_set=action_set, user__email="asker@example.com", user__display_name="Tom").user
    RoundFactory(action_set=action_set, number=1)
    airtime = services.present_airtime(presenter=presenter, action_set=action_set, title="The timetable",
                                       body="We keep missing deadlines.")
    return airtime, asker


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", WIDTHS)
def test_with_javascript_post_stops_at_the_hint_until_post_anyway(new_context, thread, width):
    airtime, asker = thread
    page = new_context(asker, viewport=WIDTHS[width]).new_page()
    page.goto(airtime.get_absolute_url())
    page.locator("textarea[name=body]").press_sequentially(ADVICE, delay=5)
    page.wait_for_selector(".advice-hint:not([hidden]) mark")
    assert "Have you tried" in page.locator(".advice-hint").inner_text()
    _no_sideways_scroll(page)

    page.get_by_role("button", name="Post", exact=True).click()
    page.wait_for_timeout(500)
    assert Reply.objects.count() == 0  # one click no longer publishes it
    assert page.evaluate("document.activeElement.textContent") == "Rewrite as a question"

    page.locator(".advice-hint").get_by_role("button", name="Post anyway").click()
    page.wait_for_selector(".reply .badge--kind-clarifying")
    reply = Reply.objects.get()
    assert reply.advice_signal == [{"name": "have-you-tried", "phrase": "Have you tried"}]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", WIDTHS)
def test_with_javascript_rewrite_as_a_question_returns_to_the_box(new_context, thread, width):
    airtime, asker = thread
    page = new_context(asker, viewport=WIDTHS[width]).new_page()
    page.goto(airtime.get_absolute_url())
    box = page.locator("textarea[name=body]")
    box.press_sequentially(ADVICE, delay=5)
    page.wait_for_selector(".advice-hint:not([hidden]) mark")
    page.get_by_role("button", name="Rewrite as a question").click()
    assert page.locator(".advice-hint").is_hidden()
    assert page.evaluate("document.activeElement.name") == "body"
    box.fill("What have you already said to Sam?")
    page.wait_for_timeout(600)
    page.get_by_role("button", name="Post", exact=True).click()
    page.wait_for_selector(".reply .badge--kind-clarifying")
    assert Reply.objects.get().advice_signal == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", WIDTHS)
def test_without_javascript_the_server_asks_the_same_question(new_context, thread, width):
    airtime, asker = thread
    page = new_context(asker, javascript=False, viewport=WIDTHS[width]).new_page()
    page.goto(airtime.get_absolute_url())
    page.fill("textarea[name=body]", ADVICE)
    page.get_by_role("button", name="Post", exact=True).click()
    assert "A second look before you post" in page.content()
    assert Reply.objects.count() == 0
    assert page.get_by_role("link", name="Rewrite as a question").is_visible()
    _no_sideways_scroll(page)
    page.get_by_role("button", name="Post anyway").click()
    page.wait_for_selector(".reply .badge--kind-clarifying")
    assert Reply.objects.get().advice_signal == [{"name": "have-you-tried", "phrase": "Have you tried"}]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_set_without_a_word_list_says_the_hint_is_unavailable_and_posts(new_context, thread):
    """Issue 18: a set in a language with no advice word list (French) gets a plain note, never a
    silent "no advice" and never a blocked post."""
    from actionsets.models import ActionSet

    airtime, asker = thread
    ActionSet.objects.filter(pk=airtime.action_set_id).update(language="fr")
    page = new_context(asker, viewport=WIDTHS["desktop"]).new_page()
    page.goto(airtime.get_absolute_url())
    page.locator("textarea[name=body]").press_sequentially("Tu devrais lui parler ?", delay=5)
    page.wait_for_selector(".advice-hint:not([hidden]) .advice-hint__unavailable")
    assert "not available for French" in page.locator(".advice-hint").inner_text()
    page.get_by_role("button", name="Post", exact=True).click()
    page.wait_for_selector(".reply .badge--kind-clarifying")
    assert Reply.objects.get().has_advice_signal is False
