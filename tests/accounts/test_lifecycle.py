"""Self-service account pages: email, password, sessions, my data, deleting my account."""

import json

import pytest
from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.test import Client

from accounts.models import User
from actionsets import services as set_services
from actionsets.models import Membership, ReadMarker
from enrolment import services as enrolment_services
from enrolment.models import EnrolmentBatch
from tests.factories import DEFAULT_PASSWORD


@pytest.fixture
def conversation(action_set, learner, learner2, open_round):
    airtime = set_services.present_airtime(presenter=learner, action_set=action_set, title="My timetable issue",
                                           body="We keep **missing** deadlines.")
    question = set_services.post_reply(author=learner2, airtime=airtime, body="OTHER-MEMBERS-QUESTION?")
    set_services.post_reply(author=learner, airtime=airtime, body="My own answer.", parent=question)
    set_services.record_commitment(owner=learner, airtime=airtime, text="Talk to Sam by Friday")
    return airtime


def test_preferences_link_to_every_account_page(client_for, learner):
    page = client_for(learner).get("/accounts/preferences/").content.decode()
    for url in ["/accounts/email/", "/accounts/password/change/", "/accounts/sessions/", "/accounts/my-data/",
                "/accounts/delete/"]:
        assert f'href="{url}"' in page
        assert client_for(learner).get(url).status_code == 200, url


def test_my_data_as_json_has_my_posts_and_commitments_only(client_for, learner, conversation):
    response = client_for(learner).get("/accounts/my-data/export.json")
    assert response["Content-Disposition"] == 'attachment; filename="actionsets-my-data.json"'
    data = json.loads(response.content)
    assert data["account"]["email"] == "learner@example.com"
    assert [a["title"] for a in data["airtimes"]] == ["My timetable issue"]
    assert data["airtimes"][0]["body"] == "We keep **missing** deadlines."
    assert [r["body"] for r in data["replies"]] == ["My own answer."] and data["replies"][0]["on_my_airtime"]
    assert [c["text"] for c in data["commitments"]] == ["Talk to Sam by Friday"]
    assert [m["set"] for m in data["memberships"]] == ["Set A"]
    assert "OTHER-MEMBERS-QUESTION" not in response.content.decode()


def test_my_data_as_markdown(client_for, learner, conversation):
    text = client_for(learner).get("/accounts/my-data/export.md").content.decode()
    assert "### My timetable issue" in text and "My own answer." in text and "Talk to Sam by Friday" in text
    assert "OTHER-MEMBERS-QUESTION" not in text


def test_my_data_needs_sign_in(client, db):
    assert client.get("/accounts/my-data/export.json")["Location"].startswith("/accounts/login/")


def test_delete_needs_the_right_password(client_for, learner):
    response = client_for(learner).post("/accounts/delete/", {"password": "wrong"})
    assert response.status_code == 200 and "Nothing was deleted" in response.content.decode()
    assert User.objects.get(pk=learner.pk).is_active


def test_deleting_my_account_anonymises_me_and_keeps_my_posts(client_for, learner, learner2, conversation, staff,
                                                              action_set):
    batch = enrolment_services.preview_enrolment(
        cohort=action_set.cohort, uploaded_by=staff, data=b"email,display_name,set,role\nlearner@example.com,Lee,Set A,learner\n")
    client = client_for(learner)
    response = client.post("/accounts/delete/", {"password": DEFAULT_PASSWORD})
    assert response["Location"] == "/accounts/deleted/"
    gone = User.objects.get(pk=learner.pk)
    assert gone.email == f"deleted-{learner.pk}@invalid" and gone.display_name == "Former member"
    assert not gone.is_active and not gone.has_usable_password()
    assert not EmailAddress.objects.filter(user=gone).exists()
    assert not Membership.objects.current().filter(user=gone).exists()
    assert not ReadMarker.objects.filter(user=gone).exists()
    assert "learner@example.com" not in json.dumps(EnrolmentBatch.objects.get(pk=batch.pk).plan)
    assert client.get("/").status_code == 302  # signed out
    assert not Client().login(email="learner@example.com", password=DEFAULT_PASSWORD)
    # Their posts stay in the thread, attributed to "Former member".
    thread = client_for(learner2).get(conversation.get_absolute_url()).content.decode()
    assert "We keep <strong>missing</strong> deadlines." in thread and "Former member" in thread
    assert "My own answer." in thread and "learner@example.com" not in thread


def test_change_email_is_verified_before_it_replaces_the_old_one(client_for, learner, mailoutbox):
    client = client_for(learner)
    response = client.post("/accounts/email/", {"action_add": "", "email": "new.address@example.org"})
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.email == "learner@example.com"
    assert [m.to for m in mailoutbox] == [["new.address@example.org"]]
    assert not EmailAddress.objects.get(email="new.address@example.org").verified


def test_change_password(client_for, learner):
    client = client_for(learner)
    client.post("/accounts/password/change/", {"oldpassword": DEFAULT_PASSWORD, "password1": "a new calm river 7",
                                               "password2": "a new calm river 7"})
    learner.refresh_from_db()
    assert learner.check_password("a new calm river 7")


def test_sign_out_other_sessions(learner):
    laptop, phone = Client(), Client()
    for device in (laptop, phone):
        assert device.post("/accounts/login/", {"login": "learner@example.com", "password": DEFAULT_PASSWORD}).status_code == 302
    assert UserSession.objects.filter(user=learner).count() == 2
    assert laptop.get("/accounts/sessions/").status_code == 200
    laptop.post("/accounts/sessions/")
    assert phone.get("/").status_code == 302  # signed out
    assert laptop.get("/").status_code == 200
