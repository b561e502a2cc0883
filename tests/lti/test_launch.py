"""LTI 1.3 launches driven by the test platform (tests/lti/platform.py) through the real views."""

import re
import time

import pytest
from django.contrib.auth import get_user_model

from accounts.services import mark_email_verified
from lti import keys
from lti.models import Identity, ToolKey

from .platform import ADMINISTRATOR, CLIENT_ID, INSTRUCTOR, LEARNER, TEACHING_ASSISTANT, TestPlatform

User = get_user_model()


def enter_url(response) -> str:
    assert response.status_code == 200, response.content[:500]
    match = re.search(rb'id="lti-enter" href="([^"]+)"', response.content)
    assert match, response.content
    return match.group(1).decode()


def signed_in_user(client):
    response = client.get("/accounts/preferences/")
    return response.wsgi_request.user if response.status_code == 200 else None


@pytest.fixture
def enrolled(learner, facilitator):
    for user in (learner, facilitator):
        mark_email_verified(user=user)
    return {"learner": learner, "facilitator": facilitator}


@pytest.mark.parametrize("roles, who, target, lands_on", [
    ([LEARNER], "learner", "set:set-a", "/sets/set-a/"),
    ([INSTRUCTOR], "facilitator", "set:set-a", "/sets/set-a/"),
    ([TEACHING_ASSISTANT], "facilitator", "cohort:whatever", "/"),
    ([LEARNER], "learner", "", "/"),
])
def test_a_valid_launch_signs_the_enrolled_person_in_and_lands_on_the_linked_set(
        client, registration, enrolled, launch, roles, who, target, lands_on):
    user = enrolled[who]
    response = launch(sub=f"sub-{who}", email=user.email, roles=roles, custom={"actionsets_target": target} if target else None)
    url = enter_url(response)
    assert signed_in_user(client) is None  # the launch page itself signs nobody in
    entered = client.get(url)
    assert entered.status_code == 302 and entered["Location"] == lands_on
    assert signed_in_user(client) == user
    assert Identity.objects.get(platform=registration, subject=f"sub-{who}").user == user


def test_the_launch_page_may_be_framed_by_the_platform_only(registration, enrolled, launch, test_platform):
    response = launch(email="learner@example.com")
    assert "X-Frame-Options" not in response
    assert f"frame-ancestors 'self' {test_platform.url}" in response["Content-Security-Policy"]


def test_login_sets_the_state_cookie_for_iframes(client, registration, start_login):
    start_login()
    cookies = [c for name, c in client.cookies.items() if name.startswith("lti1p3-state-")]
    assert cookies and cookies[0]["samesite"] == "None" and cookies[0]["secure"]


def test_a_second_launch_matches_by_issuer_and_sub_even_when_the_email_changed(client, registration, enrolled, launch):
    client.get(enter_url(launch(sub="sub-1", email="learner@example.com")))
    client.logout()
    client.get(enter_url(launch(sub="sub-1", email="a-new-address@example.org")))
    assert signed_in_user(client) == enrolled["learner"]


def test_a_launch_for_a_set_the_person_is_not_in_lands_on_my_sets(client, registration, enrolled, launch, other_set):
    response = client.get(enter_url(launch(email="learner@example.com", custom={"actionsets_target": "set:set-b"})))
    assert response["Location"] == "/"
    assert client.get("/sets/set-b/").status_code == 404  # a launch is a way in, not a permission


def test_an_unverified_or_unenrolled_email_does_not_sign_in(client, registration, learner, launch):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=learner).update(verified=False)  # enrolled, address never verified
    response = launch(email="learner@example.com")
    assert response.status_code == 403 and b"not enrolled" in response.content
    assert not Identity.objects.exists()


def test_new_accounts_only_when_the_platform_allows(client, registration, launch, db):
    assert launch(sub="new-1", email="new@example.org").status_code == 403
    registration.allow_new_accounts = True
    registration.save()
    client.get(enter_url(launch(sub="new-1", email="new@example.org", name="New Person")))
    user = signed_in_user(client)
    assert user.email == "new@example.org" and user.display_name == "New Person" and not user.has_usable_password()


def test_new_accounts_never_take_over_an_existing_address(registration, launch, learner):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=learner).update(verified=False)
    registration.allow_new_accounts = True
    registration.save()
    response = launch(sub="x", email="learner@example.com")  # exists, but not verified: not ours to hand out
    assert response.status_code == 403 and b"already an ActionSets account" in response.content


def test_administrators_become_staff_only_when_the_platform_says_so(client, registration, launch, enrolled):
    client.get(enter_url(launch(sub="a", email="learner@example.com", roles=[ADMINISTRATOR])))
    enrolled["learner"].refresh_from_db()
    assert not enrolled["learner"].is_staff
    registration.administrators_are_staff = True
    registration.save()
    client.get(enter_url(launch(sub="a", email="learner@example.com", roles=[ADMINISTRATOR])))
    enrolled["learner"].refresh_from_db()
    assert enrolled["learner"].is_staff
    assert client.get("/sets/set-b/").status_code == 404  # staff still read no set they are not in


def _refused(client, response):
    assert response.status_code == 400, response.content[:300]
    assert b"could not be opened" in response.content
    assert signed_in_user(client) is None
    assert not Identity.objects.exists()


def test_wrong_audience_is_refused(client, registration, enrolled, launch):
    _refused(client, launch(email="learner@example.com", aud="someone-else"))


def test_unknown_issuer_is_refused_at_login_and_at_launch(client, registration, enrolled, launch, test_platform):
    response = client.get("/lti/login/", {"iss": "https://unknown.example", "login_hint": "x", "client_id": CLIENT_ID},
                          secure=True)
    assert response.status_code == 400 and b"could not start" in response.content
    _refused(client, launch(email="learner@example.com", iss="https://unknown.example"))


def test_wrong_deployment_is_refused(client, registration, enrolled, launch):
    _refused(client, launch(email="learner@example.com",
                            **{"https://purl.imsglobal.org/spec/lti/claim/deployment_id": "deployment-9"}))


def test_expired_token_is_refused(client, registration, enrolled, launch):
    _refused(client, launch(email="learner@example.com", exp=int(time.time()) - 60, iat=int(time.time()) - 400))


def test_token_issued_in_the_future_is_refused(client, registration, enrolled, launch):
    _refused(client, launch(email="learner@example.com", iat=int(time.time()) + 3600, exp=int(time.time()) + 4000))


def test_replayed_nonce_is_refused(client, registration, enrolled, test_platform, start_login):
    state, nonce = start_login()
    token = test_platform.id_token(nonce=nonce, email="learner@example.com")
    assert client.post("/lti/launch/", {"state": state, "id_token": token}, secure=True).status_code == 200
    replay = client.post("/lti/launch/", {"state": state, "id_token": token}, secure=True)
    assert replay.status_code == 400 and b"could not be opened" in replay.content


def test_a_nonce_we_never_issued_is_refused(client, registration, enrolled, launch, test_platform):
    _refused(client, launch(token=lambda nonce: test_platform.id_token(nonce="made-up", email="learner@example.com")))


def test_tampered_signature_is_refused(client, registration, enrolled, launch, test_platform):
    def tampered(nonce):
        header, body, signature = test_platform.id_token(nonce=nonce, email="learner@example.com").split(".")
        other = test_platform.id_token(nonce=nonce, email="fac@example.com", roles=[INSTRUCTOR]).split(".")[1]
        return ".".join([header, other if other != body else body, signature])

    _refused(client, launch(token=tampered))


def test_a_token_signed_by_another_key_with_our_kid_is_refused(client, registration, enrolled, launch, test_platform):
    stranger = TestPlatform()
    try:
        _, foreign_pem, _ = stranger.keys[-1]
        _refused(client, launch(token=lambda nonce: test_platform.sign(
            test_platform.claims(nonce=nonce, email="learner@example.com"), key=foreign_pem)))
    finally:
        stranger.close()


def test_platform_key_rotation_is_followed(client, registration, enrolled, launch, test_platform):
    client.get(enter_url(launch(sub="s", email="learner@example.com")))  # JWKS fetched and cached
    test_platform.rotate_keys(keep_old=False)
    client.logout()
    client.get(enter_url(launch(sub="s", email="learner@example.com")))
    assert signed_in_user(client) == enrolled["learner"]
    assert [p for m, p, _ in test_platform.requests if p == "/jwks"] == ["/jwks", "/jwks"]


def test_the_entry_link_works_once(client, registration, enrolled, launch):
    url = enter_url(launch(email="learner@example.com"))
    assert client.get(url).status_code == 302
    client.logout()
    assert client.get(url).status_code == 410
    assert client.get("/lti/enter/forged-token/").status_code == 410
    assert signed_in_user(client) is None


def test_blocked_cookies_offer_a_new_window(client, registration, enrolled, test_platform, start_login):
    state, nonce = start_login(lti_message_hint="msg-1")
    client.cookies.clear()  # what a browser that blocks third-party cookies sends back to the frame
    token = test_platform.id_token(nonce=nonce, email="learner@example.com")
    response = client.post("/lti/launch/", {"state": state, "id_token": token}, secure=True)
    assert response.status_code == 200 and b"Open ActionSets in a new window" in response.content
    assert f"frame-ancestors 'self' {test_platform.url}" in response["Content-Security-Policy"]  # shown in its frame
    link = re.search(rb'href="([^"]+lti1p3_new_window=1[^"]*)" target="_blank"', response.content).group(1).decode()
    assert "/lti/login/?" in link and "lti_message_hint=msg-1" in link and "login_hint=hint-1" in link


def test_jwks_publishes_the_signing_key_and_keeps_the_previous_one_after_rotation(client, db):
    first = keys.signing_key()
    assert [k["kid"] for k in client.get("/lti/jwks.json").json()["keys"]] == [first.kid]
    second = keys.rotate()
    published = [k["kid"] for k in client.get("/lti/jwks.json").json()["keys"]]
    assert published == [second.kid, first.kid] and keys.signing_key() == second
    third = keys.rotate()
    assert [k["kid"] for k in client.get("/lti/jwks.json").json()["keys"]] == [third.kid, second.kid]
    assert ToolKey.objects.count() == 2


def test_rotate_keys_command(db):
    from django.core.management import call_command
    from io import StringIO

    out = StringIO()
    call_command("lti_rotate_keys", stdout=out)
    assert "New signing key" in out.getvalue() and ToolKey.objects.count() == 1
