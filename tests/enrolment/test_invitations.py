"""Invitations: signed, expiring, single-use links; accepting lands on the set's ground rules."""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from django.core import signing

from enrolment import services
from enrolment.invitations import SALT, make_token
from enrolment.models import Invitation

from .conftest import make_csv


@pytest.fixture
def invited(action_set, staff, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.enrol_person(cohort=action_set.cohort, actor=staff, email="ana@example.org", display_name="Ana",
                              set_name="Set A", role="learner")
    mailoutbox.clear()
    return Invitation.objects.select_related("membership__user").get(membership__user__email="ana@example.org")


def _link(mail) -> str:
    return re.search(r"https?://\S+(/accounts/invitation/\S+/)", mail.body).group(1)


def _old_token(key, monkeypatch, *, days):
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() - days * 86400)
    token = signing.TimestampSigner(salt=SALT).sign(key)
    monkeypatch.setattr(time, "time", real)
    return token


def test_the_emailed_link_sets_a_password_verifies_and_lands_on_ground_rules(
        client, action_set, staff, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.commit_enrolment(batch=services.preview_enrolment(
            cohort=action_set.cohort, uploaded_by=staff,
            data=make_csv([("ana@example.org", "Ana", "Set A", "learner")])), actor=staff)
    (mail,) = mailoutbox
    assert mail.subject == "You are invited to Set A (" + action_set.cohort.name + ")"
    url = _link(mail)
    page = client.get(url)
    assert page.status_code == 200 and b"Choose a password" in page.content
    response = client.post(url, {"new_password1": "a calm river 42", "new_password2": "a calm river 42"})
    assert response.status_code == 302 and response["Location"] == "/sets/set-a/rules/"
    assert client.get("/sets/set-a/rules/").status_code == 200  # signed in, and a member
    invitation = Invitation.objects.get()
    assert invitation.accepted_at is not None and invitation.membership.user.check_password("a calm river 42")
    assert EmailAddress.objects.filter(user=invitation.membership.user, email="ana@example.org", verified=True,
                                       primary=True).exists()


def test_a_link_is_single_use(client, invited):
    url = f"/accounts/invitation/{make_token(invited.key)}/"
    client.post(url, {"new_password1": "a calm river 42", "new_password2": "a calm river 42"})
    client.logout()
    again = client.get(url)
    assert b"already been used" in again.content
    assert client.post(url, {"new_password1": "another pass 99", "new_password2": "another pass 99"}).status_code == 200
    invited.membership.user.refresh_from_db()
    assert invited.membership.user.check_password("a calm river 42")


def test_weak_password_is_refused_and_nothing_is_accepted(client, invited):
    url = f"/accounts/invitation/{make_token(invited.key)}/"
    response = client.post(url, {"new_password1": "123", "new_password2": "123"})
    assert response.status_code == 200 and b"too short" in response.content
    invited.refresh_from_db()
    assert invited.accepted_at is None


def test_expired_link_says_so_and_offers_a_new_one_to_the_same_address(client, invited, monkeypatch, mailoutbox,
                                                                        django_capture_on_commit_callbacks):
    token = _old_token(invited.key, monkeypatch, days=15)
    response = client.get(f"/accounts/invitation/{token}/")
    assert response.status_code == 410 and b"has expired" in response.content
    with django_capture_on_commit_callbacks(execute=True):
        renewed = client.post(f"/accounts/invitation/{token}/renew/")
    assert b"If this invitation is still open" in renewed.content
    assert [m.to for m in mailoutbox] == [["ana@example.org"]]
    assert client.get(_link(mailoutbox[0])).status_code == 200  # the new link works
    with django_capture_on_commit_callbacks(execute=True):  # asking again at once sends nothing more
        client.post(f"/accounts/invitation/{token}/renew/")
    assert len(mailoutbox) == 1


def test_a_link_inside_its_max_age_still_works(client, invited, monkeypatch):
    assert client.get(f"/accounts/invitation/{_old_token(invited.key, monkeypatch, days=13)}/").status_code == 200


def test_renew_reveals_nothing_for_a_forged_or_used_link(client, invited, mailoutbox,
                                                         django_capture_on_commit_callbacks):
    invited.accepted_at = invited.created_at
    invited.save()
    with django_capture_on_commit_callbacks(execute=True):
        forged = client.post("/accounts/invitation/not-a-token/renew/")
        used = client.post(f"/accounts/invitation/{make_token(invited.key)}/renew/")
    assert forged.content == used.content and mailoutbox == []


def test_tampered_link_is_not_valid(client, invited):
    token = make_token(invited.key)
    assert client.get(f"/accounts/invitation/{token[:-2]}xx/").status_code == 404
    assert client.get(f"/accounts/invitation/{make_token('no-such-key')}/").status_code == 404


def test_removed_members_link_stops_working(client, invited, staff):
    services.remove_member(actor=staff, membership=invited.membership)
    assert client.get(f"/accounts/invitation/{make_token(invited.key)}/").status_code == 404


def test_existing_account_signs_in_as_usual_and_the_link_alone_never_signs_in(client, action_set, staff, outsider,
                                                                              other_set):
    services.assign_facilitator(actor=staff, action_set=action_set, user=outsider)
    invitation = Invitation.objects.get(membership__user=outsider)
    url = f"/accounts/invitation/{make_token(invitation.key)}/"
    page = client.get(url)
    assert b"Sign in to join" in page.content and "_auth_user_id" not in client.session
    client.force_login(outsider)
    assert client.post(url)["Location"] == "/sets/set-a/rules/"
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_accepting_counts_in_the_cohort_figures(client, invited, staff, action_set):
    client.post(f"/accounts/invitation/{make_token(invited.key)}/",
                {"new_password1": "a calm river 42", "new_password2": "a calm river 42"})
    client.force_login(staff)
    assert "<strong>1</strong> of 1 invitations accepted" in client.get(
        f"/manage/cohorts/{action_set.cohort.slug}/").content.decode()
