"""Presence in a real browser (issue 19): the presenter sees "read by" change when a member opens
the thread; a member with read receipts off is neither shown as reading nor sees others' reads;
faces link to member cards; pictures upload through Preferences."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from actionsets import services
from tests.browser.conftest import PHONE, run_axe
from tests.factories import ActionSetFactory, MembershipFactory, RoundFactory
from tests.images import image_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _expect():
    from playwright.sync_api import expect

    return expect


@pytest.fixture
def set_with_airtime(db):
    now = timezone.now()
    action_set = ActionSetFactory(slug="presence", name="Presence set")
    RoundFactory(action_set=action_set, number=1, opens_at=now - timedelta(days=3), closes_at=now + timedelta(days=11))
    people = {name: MembershipFactory(action_set=action_set, user__display_name=name,
                                      user__email=f"{name.split()[0].lower()}@example.com").user
              for name in ["Priya Patel", "Sam Lee", "Aroha Ngata"]}
    airtime = services.present_airtime(presenter=people["Priya Patel"], action_set=action_set,
                                       title="Getting my team to own the timetable", body="We keep missing deadlines.")
    return action_set, airtime, people


def test_the_presenter_sees_read_by_change_when_a_member_opens_the_thread(new_context, set_with_airtime):
    expect = _expect()
    action_set, airtime, people = set_with_airtime
    presenter = new_context(people["Priya Patel"]).new_page()
    presenter.goto(airtime.get_absolute_url())
    read_by = presenter.locator("#read-by")
    expect(read_by.get_by_role("heading")).to_have_text("Read by 0 of 2")
    expect(read_by).to_contain_text("Not yet read by Aroha Ngata and Sam Lee.")

    sam = new_context(people["Sam Lee"]).new_page()
    sam.goto(airtime.get_absolute_url())
    expect(sam.locator("#read-by").get_by_role("heading")).to_have_text("Read by 1 of 2")

    presenter.reload()
    expect(read_by.get_by_role("heading")).to_have_text("Read by 1 of 2")
    expect(read_by).to_contain_text("Not yet read by Aroha Ngata.")
    # Each name is a face that opens the member's card.
    read_by.get_by_role("link", name="Sam Lee").click()
    expect(presenter.get_by_role("heading", level=1)).to_have_text("Sam Lee")
    expect(presenter.get_by_text("Last visit")).to_be_visible()


def test_a_member_with_read_receipts_off(new_context, set_with_airtime):
    expect = _expect()
    action_set, airtime, people = set_with_airtime
    User.objects.filter(pk=people["Sam Lee"].pk).update(read_receipts=False)
    sam = new_context(people["Sam Lee"]).new_page()
    sam.goto(airtime.get_absolute_url())
    expect(sam.locator("#read-by")).to_contain_text("Read receipts are off for you")
    expect(sam.locator("#read-by").get_by_role("heading")).to_have_count(0)

    presenter = new_context(people["Priya Patel"]).new_page()
    presenter.goto(airtime.get_absolute_url())
    expect(presenter.locator("#read-by").get_by_role("heading")).to_have_text("Read by 0 of 1")
    expect(presenter.locator("#read-by")).not_to_contain_text("Sam Lee")


def test_a_picture_uploaded_in_preferences_shows_beside_the_name(new_context, set_with_airtime, tmp_path):
    expect = _expect()
    action_set, airtime, people = set_with_airtime
    photo = tmp_path / "me.jpg"
    photo.write_bytes(image_bytes("JPEG", size=(640, 480)))
    page = new_context(people["Sam Lee"]).new_page()
    page.goto("/accounts/preferences/")
    page.get_by_label("Choose a picture").set_input_files(str(photo))
    page.get_by_role("button", name="Upload picture").click()
    expect(page.get_by_text("Your picture is saved")).to_be_visible()
    expect(page.get_by_role("img", name="Your picture")).to_be_visible()

    priya = new_context(people["Priya Patel"]).new_page()
    priya.goto(action_set.get_absolute_url())
    face = priya.locator(".members img.avatar")
    expect(face).to_have_count(1)
    assert priya.evaluate("(img) => img.naturalWidth", face.element_handle()) == 256


def test_member_card_and_read_by_are_accessible_on_a_phone(new_context, set_with_airtime):
    expect = _expect()
    action_set, airtime, people = set_with_airtime
    page = new_context(people["Priya Patel"], viewport=PHONE, bypass_csp=True).new_page()
    for path in (airtime.get_absolute_url(), f"/sets/{action_set.slug}/members/{people['Aroha Ngata'].pk}/",
                 action_set.get_absolute_url()):
        page.goto(path)
        expect(page.locator("main")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
        assert run_axe(page) == [], path
