"""Presence in an asynchronous set (issue 19): read by, who is around, faces to names.

Read receipts come from the read markers already kept; they are reciprocal (off: not shown as
reading, and see nobody's reads). Last visits are kept as a day and shown in plain words, never as
times. Pictures are re-encoded by us and served only to people who share a current set."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts import services as account_services
from accounts.models import ProfilePicture, User
from actionsets import selectors, services
from actionsets.models import Membership
from tests.factories import MembershipFactory
from tests.images import image_bytes, png_upload


def _read_by(client, airtime) -> str:
    html = client.get(airtime.get_absolute_url()).content.decode()
    start = html.find('id="read-by"')
    return html[start:html.find("</section>", start)] if start >= 0 else ""


# --- Read by ----------------------------------------------------------------------------------


def test_the_presenter_sees_read_by_change_when_a_member_opens_the_thread(client, airtime, learner, learner2,
                                                                          facilitator):
    client.force_login(learner)
    before = _read_by(client, airtime)
    assert "Read by 0 of 2" in before
    assert "Not yet read by Ben" in before or "Not yet read by" in before
    client.force_login(learner2)
    client.get(airtime.get_absolute_url())
    client.force_login(learner)
    after = _read_by(client, airtime)
    assert "Read by 1 of 2" in after
    assert learner2.name in after.split("Not yet read by")[0]
    assert f"Not yet read by {facilitator.name}." in after


def test_read_receipts_are_reciprocal(client, airtime, learner, learner2, facilitator):
    User.objects.filter(pk=learner2.pk).update(read_receipts=False)
    client.force_login(learner2)
    theirs = _read_by(client, airtime)  # learner2 opens it: a marker is kept, but not shown
    assert "Read receipts are off for you" in theirs and "Read by" not in theirs
    client.force_login(learner)
    mine = _read_by(client, airtime)
    assert "Read by 0 of 1" in mine  # learner2 counts neither as reader nor as not-yet
    assert learner2.name not in mine
    User.objects.filter(pk=facilitator.pk).update(read_receipts=False)
    assert "Nobody else in the set shares read receipts" in _read_by(client, airtime)


def test_read_receipts_are_a_preference(client, learner):
    client.force_login(learner)
    page = client.get(reverse("account_preferences")).content.decode()
    assert "Read receipts" in page and "Off means neither, both ways." in page
    data = {"display_name": learner.display_name, "timezone": "UTC", "digest_frequency": "daily",
            "digest_hour": 7, "nudges_enabled": "on"}  # read_receipts unticked
    assert client.post(reverse("account_preferences"), data).status_code == 302
    learner.refresh_from_db()
    assert learner.read_receipts is False


def test_a_learner_sees_read_by_but_no_not_yet_list_and_no_knocks(client, airtime, learner2):
    client.force_login(learner2)
    section = _read_by(client, airtime)
    assert "Read by 1 of 1" in section  # themself, reading now
    assert "Not yet read by" not in section and "Knock" not in section


def test_knock_buttons_appear_after_48_hours_for_the_presenter(client, airtime, learner, learner2):
    from actionsets.models import Airtime

    client.force_login(learner)
    assert "from <time" in _read_by(client, airtime)  # says when knocking opens
    Airtime.objects.filter(pk=airtime.pk).update(created_at=timezone.now() - timedelta(hours=49))
    section = _read_by(client, airtime)
    assert f'aria-label="Knock for {learner2.name}' in section


# --- Who is around -----------------------------------------------------------------------------


@pytest.mark.parametrize("days, words", [
    (None, "not yet"), (0, "this week"), (6, "this week"), (7, "last week"), (13, "last week"),
    (14, "2 weeks ago"), (59, "8 weeks ago"), (60, "2 months ago"), (800, "over a year ago"),
])
def test_last_visit_in_plain_words(days, words):
    today = date(2026, 12, 6)
    assert selectors.visit_words(None if days is None else today - timedelta(days=days), today) == words


def test_the_member_list_shows_last_visits_and_who_posted_this_round(client, airtime, action_set, learner,
                                                                     learner2, facilitator):
    Membership.objects.filter(user=facilitator).update(last_visit_on=timezone.now().date() - timedelta(days=21))
    client.force_login(learner2)
    html = client.get(action_set.get_absolute_url()).content.decode()
    members = html[html.find('class="members"'):html.find("</ul>", html.find('class="members"'))]
    assert members.count("Last visit this week") == 1  # learner2, visiting now
    assert "Last visit 3 weeks ago" in members
    assert members.count("posted this round") == 1  # the presenter
    assert not any(f"{h:02d}:" in members for h in range(24))  # never a time of day


def test_a_visit_writes_the_day_once(client, action_set, learner, open_round):
    client.force_login(learner)
    client.get(action_set.get_absolute_url())
    assert Membership.objects.get(user=learner).last_visit_on == timezone.now().date()
    with CaptureQueriesContext(connection) as ctx:
        client.get(action_set.get_absolute_url())
    assert not [q for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("UPDATE")]


def test_the_member_card_shows_the_introduction_and_presence(client, action_set, learner, learner2, open_round):
    services.introduce(author=learner, action_set=action_set, body="I lead a **timetabling** team.")
    client.force_login(learner2)
    page = client.get(reverse("actionsets:member", args=[action_set.slug, learner.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<strong>timetabling</strong>" in html and "Hasn’t posted this round yet" in html
    assert "Last visit" in html and "Not yet" in html


def test_a_former_member_has_no_card(client, action_set, learner, removed_member):
    client.force_login(learner)
    assert client.get(reverse("actionsets:member", args=[action_set.slug, removed_member.pk])).status_code == 404


# --- Faces ----------------------------------------------------------------------------------------


def _jpeg_with_gps() -> SimpleUploadedFile:
    image = Image.new("RGB", (400, 300), (30, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPS
    buffer = BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile("holiday.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_a_picture_is_cropped_square_and_re_encoded_without_exif(learner):
    upload = _jpeg_with_gps()
    assert b"SecretCam" in upload.read()
    upload.seek(0)
    account_services.set_profile_picture(user=learner, upload=upload)
    stored = bytes(ProfilePicture.objects.get(user=learner).image)
    assert b"SecretCam" not in stored and b"Exif" not in stored
    with Image.open(BytesIO(stored)) as image:
        assert image.format == "WEBP" and image.size == (256, 256)
        assert not image.getexif()


@pytest.mark.parametrize("name, content, message", [
    ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "image we can read"),
    ("notes.txt", b"just text", "image we can read"),
    ("fake.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "image we can read|damaged"),
    ("scan.tiff", image_bytes("TIFF"), "PNG, JPEG, WebP or GIF"),
])
def test_what_is_not_a_usable_picture_is_refused(learner, name, content, message):
    with pytest.raises(ValidationError, match=message):
        account_services.set_profile_picture(user=learner, upload=SimpleUploadedFile(name, content))
    assert not ProfilePicture.objects.exists()


def test_a_decompression_bomb_is_refused_from_its_header(learner):
    buffer = BytesIO()
    Image.new("1", (9000, 9000)).save(buffer, "PNG")  # 81 megapixels that compress to almost nothing
    assert len(buffer.getvalue()) < 200_000
    with pytest.raises(ValidationError, match="too large to process"):
        account_services.set_profile_picture(user=learner, upload=SimpleUploadedFile("bomb.png", buffer.getvalue()))


def test_uploading_and_removing_a_picture_from_preferences(client, learner):
    client.force_login(learner)
    response = client.post(reverse("account_picture"), {"picture": png_upload()})
    assert response.status_code == 302 and response["Location"].endswith("#picture")
    learner.refresh_from_db()
    assert learner.picture_version
    mine = client.get(reverse("account_picture_image", args=[learner.picture_version]))
    assert mine["Content-Type"] == "image/webp" and mine["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in mine["Content-Security-Policy"]
    refused = client.post(reverse("account_picture"), {"picture": SimpleUploadedFile("x.svg", b"<svg/>")})
    assert refused.status_code == 400 and "image we can read" in refused.content.decode()
    client.post(reverse("account_picture"), {"remove": "1"})
    learner.refresh_from_db()
    assert learner.picture_version == "" and not ProfilePicture.objects.exists()


def test_a_picture_is_shown_only_to_people_who_share_a_current_set(client, action_set, other_set, learner, learner2,
                                                                   outsider, removed_member, open_round):
    account_services.set_profile_picture(user=learner, upload=png_upload())
    learner.refresh_from_db()
    url = reverse("actionsets:member_picture", args=[action_set.slug, learner.pk, learner.picture_version])
    client.force_login(learner2)
    assert client.get(url).status_code == 200
    assert f'src="{url}"' in client.get(action_set.get_absolute_url()).content.decode()
    for stranger in (outsider, removed_member):
        client.force_login(stranger)
        assert client.get(url).status_code == 404
        # Nor through a set they do share with someone else.
        assert client.get(reverse("actionsets:member_picture",
                                  args=[other_set.slug, learner.pk, learner.picture_version])).status_code == 404
    client.force_login(learner2)
    old = client.get(reverse("actionsets:member_picture", args=[action_set.slug, learner.pk, "old"]))
    assert old.status_code == 302 and old["Location"] == url


def test_without_a_picture_a_member_has_initials_on_a_colour(client, action_set, learner, learner2, open_round):
    User.objects.filter(pk=learner2.pk).update(display_name="Ben van Okafor")
    client.force_login(learner)
    html = client.get(action_set.get_absolute_url()).content.decode()
    assert 'aria-hidden="true">BO</span>' in html


def test_erasing_an_account_deletes_the_picture_and_knocks(learner, airtime, learner2):
    from engagement.models import Knock
    from personal_data.services import delete_account

    account_services.set_profile_picture(user=learner2, upload=png_upload())
    Knock.objects.create(airtime=airtime, user=learner2, knocked_by=learner)
    delete_account(user=learner2)
    learner2.refresh_from_db()
    assert learner2.picture_version == "" and not ProfilePicture.objects.exists() and not Knock.objects.exists()


def test_my_data_includes_my_picture_and_settings(learner):
    from personal_data.selectors import my_data

    account_services.set_profile_picture(user=learner, upload=png_upload())
    learner.refresh_from_db()
    account = my_data(learner)["account"]
    assert account["read_receipts"] is True and account["picture"]["content_type"] == "image/webp"


def test_the_member_list_costs_the_same_with_more_members(client, action_set, learner, open_round):
    def count():
        client.get(action_set.get_absolute_url())
        with CaptureQueriesContext(connection) as ctx:
            client.get(action_set.get_absolute_url())
        return len(ctx.captured_queries)

    client.force_login(learner)
    small = count()
    for _ in range(6):
        person = MembershipFactory(action_set=action_set).user
        account_services.set_profile_picture(user=person, upload=png_upload())
    assert count() == small


@pytest.mark.parametrize("extra", [0, 6])
def test_the_member_card_costs_eight_queries(client, action_set, learner, learner2, open_round, extra,
                                             django_assert_num_queries):
    for _ in range(extra):
        MembershipFactory(action_set=action_set)
    services.introduce(author=learner, action_set=action_set, body="Hello.")
    client.force_login(learner2)
    url = reverse("actionsets:member", args=[action_set.slug, learner.pk])
    with django_assert_num_queries(8):  # 7, and the header's unread notifications
        assert client.get(url).status_code == 200
