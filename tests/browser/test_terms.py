"""Process words carry a definition on hover and focus; Escape dismisses it where it stands
(WCAG 2.2, 1.4.13 "content on hover or focus": dismissible, hoverable, persistent)."""

import pytest

from actionsets import services
from tests.factories import MembershipFactory, RoundFactory


@pytest.fixture
def thread(db):
    presenter = MembershipFactory(action_set__slug="terms-set", action_set__name="Terms Set",
                                  user__display_name="Priya").user
    action_set = presenter.memberships.get().action_set
    reader = MembershipFactory(action_set=action_set, user__email="reader@example.com").user
    services.accept_ground_rules(membership=reader.memberships.get())
    RoundFactory(action_set=action_set, number=1)
    return services.present_airtime(presenter=presenter, action_set=action_set, title="The timetable",
                                    body="We keep missing deadlines."), reader


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_definition_shows_on_focus_and_escape_dismisses_it(new_context, thread):
    airtime, reader = thread
    page = new_context(reader).new_page()
    page.goto(airtime.get_absolute_url())
    word = page.locator(".term__word").first
    tip = page.locator("#" + word.get_attribute("aria-describedby"))
    word.focus()
    assert tip.is_visible()
    page.keyboard.press("Escape")
    assert not tip.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('term__word')")  # focus stayed
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    assert tip.is_visible()  # back on the word: shown again
    word.hover()
    page.keyboard.press("Escape")
    assert not tip.is_visible()
