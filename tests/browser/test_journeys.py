"""The main journeys, as members do them in a real browser: sign in, accept the rules, present,
question, respond and commit, report back next round, set email preferences. Also the reply form
by keyboard alone, and with JavaScript off."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from actionsets import services
from actionsets.models import ActionCommitment, Airtime, Reply
from tests.factories import ActionSetFactory, MembershipFactory, RoundFactory
from tests.places import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _expect():
    from playwright.sync_api import expect

    return expect


def _sign_in_with_the_form(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/$"))


def test_a_round_from_presenting_to_report_back(new_context, live_server):
    expect = _expect()
    now = timezone.now()
    action_set = ActionSetFactory(slug="journey", name="Journey set")
    round1 = RoundFactory(action_set=action_set, number=1, opens_at=now - timedelta(days=1),
                          closes_at=now + timedelta(days=13))
    presenter = MembershipFactory(action_set=action_set, ground_rules_accepted_at=None,
                                  user__email="priya@example.com", user__display_name="Priya").user
    asker = MembershipFactory(action_set=action_set, user__email="ben@example.com", user__display_name="Ben").user

    # The presenter signs in through the real form, accepts the ground rules and presents.
    mine = new_context().new_page()
    _sign_in_with_the_form(mine, presenter.email)
    mine.get_by_role("link", name="Journey set").first.click()
    mine.get_by_role("link", name="Read the ground rules").click()
    mine.get_by_role("button", name="I accept the ground rules").click()
    expect(mine.get_by_text("you have accepted the ground rules")).to_be_visible()
    mine.get_by_role("link", name="Present your airtime").click()
    mine.locator("input[name=title]").fill("Too many meetings")
    mine.locator("textarea[name=body]").fill("I have **no time** to think.")
    mine.get_by_role("button", name="Present").click()
    expect(mine.get_by_role("heading", level=1)).to_have_text("Too many meetings")
    airtime = Airtime.objects.get(presenter=presenter)

    # A second member asks a question.
    theirs = new_context(asker).new_page()
    theirs.goto(airtime.get_absolute_url())
    theirs.locator("textarea[name=body]").fill("Which meeting would you miss least?")
    theirs.get_by_role("button", name="Post").click()
    expect(theirs.get_by_text("Your clarifying question is posted.")).to_be_visible()
    question = Reply.objects.get(author=asker)

    # The presenter responds to it (the Reply link fills in the parent) and commits to an action.
    mine.goto(airtime.get_absolute_url())
    mine.locator(f"#reply-{question.pk} [data-reply-to]").click()
    expect(mine.get_by_text("Replying to Ben.")).to_be_visible()
    mine.locator("textarea[name=body]").fill("The Tuesday stand-up, honestly.")
    mine.get_by_role("button", name="Post").click()
    expect(mine.get_by_text("Your response is posted.")).to_be_visible()
    assert Reply.objects.get(author=presenter).parent_id == question.pk
    # Commitments are "action commitment" replies in the summary phase; test_full_round.py walks
    # the phases in the browser. Here the commitment is recorded directly.
    services.record_commitment(owner=presenter, airtime=airtime, text="Skip the stand-up for two weeks")

    # Next round: the present page asks first how the actions went.
    round1.opens_at, round1.closes_at = now - timedelta(days=15), now - timedelta(minutes=1)
    round1.save()
    RoundFactory(action_set=action_set, number=2, opens_at=now - timedelta(seconds=30), closes_at=now + timedelta(days=14))
    mine.goto("/sets/journey/airtime/new/")
    expect(mine.get_by_text("First, how did your actions go?")).to_be_visible()
    mine.get_by_role("link", name="Report back").click()
    mine.get_by_label("Done", exact=True).check()
    mine.locator("textarea[name=what_happened]").fill("Nobody missed me. I read two papers.")
    mine.get_by_role("button", name="Save report-back").click()
    expect(mine.get_by_text("Thank you for reporting back.")).to_be_visible()
    assert ActionCommitment.objects.get(owner=presenter).status == "done"
    mine.locator("input[name=title]").fill("What to do with the time")
    mine.locator("textarea[name=body]").fill("Now I have time, what next?")
    mine.get_by_role("button", name="Present").click()
    expect(mine.get_by_text("Nobody missed me. I read two papers.")).to_be_visible()


def test_email_preferences_are_saved(new_context):
    world = build_world()
    page = new_context(world.learner2).new_page()
    page.goto("/accounts/preferences/")
    page.get_by_label("Email digest").select_option("weekly")
    page.get_by_label("Send me gentle reminders").uncheck()
    page.get_by_role("button", name="Save preferences").click()
    _expect()(page.get_by_text("Your preferences are saved.")).to_be_visible()
    saved = User.objects.get(pk=world.learner2.pk)
    assert (saved.digest_frequency, saved.nudges_enabled) == ("weekly", False)


def test_the_reply_form_works_by_keyboard_alone(new_context):
    world = build_world()
    page = new_context(world.learner2).new_page()
    page.goto(world.airtime2.get_absolute_url())
    focused = ""
    for _ in range(80):  # Tab through the page to the reply box, as a keyboard user does
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.name || ''")
        if focused == "body":
            break
    assert focused == "body", "Tab never reached the reply box"
    page.keyboard.type("What would happen if you said no to all of them?")
    passed = []
    for _ in range(4):  # past the attachments field (issue 15) to the Post button
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Post":
            break
        passed.append(page.evaluate("document.activeElement.name || document.activeElement.outerHTML"))
    assert page.evaluate("document.activeElement.textContent.trim()") == "Post", passed
    assert passed == ["attachments"], passed
    page.keyboard.press("Enter")
    _expect()(page.get_by_text("Your clarifying question is posted.")).to_be_visible()
    assert Reply.objects.filter(airtime=world.airtime2, author=world.learner2).count() == 1


def test_replying_works_with_javascript_off(new_context):
    world = build_world()
    page = new_context(world.learner2, javascript=False).new_page()
    page.goto(world.airtime2.get_absolute_url())
    page.locator("textarea[name=body]").fill("What does saying yes give you?")
    page.get_by_role("button", name="Post").click()
    _expect()(page.get_by_text("Your clarifying question is posted.")).to_be_visible()
    first = Reply.objects.get(airtime=world.airtime2)
    page.locator(f"#reply-{first.pk} [data-reply-to]").click()  # without JS: ?reply_to=<id>#reply
    _expect()(page.get_by_text("Replying to Ben Okafor")).to_be_visible()
    page.locator("textarea[name=body]").fill("And what does it cost you?")
    page.get_by_role("button", name="Post").click()
    _expect()(page.get_by_text("Your clarifying question is posted.")).to_be_visible()
    assert Reply.objects.get(airtime=world.airtime2, parent=first).depth == 1
