"""One-click unsubscribe: signed tokens that work without signing in, and nothing else."""

import re
from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client

from accounts.models import User
from actionsets.models import Membership
from engagement.unsubscribe import DIGEST, NUDGES, make_token, set_scope

from .conftest import NOW, SITE, to


def url(user, scope=DIGEST) -> str:
    return f"/email/unsubscribe/{make_token(user_id=user.pk, scope=scope)}/"


def fresh(user) -> User:
    return User.objects.get(pk=user.pk)


def test_get_asks_to_confirm_and_changes_nothing(client, circle):
    response = client.get(url(circle.ana))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Stop your daily digest emails to <strong>ana@example.edu</strong>?" in page
    assert '<button type="submit" class="button">Yes, unsubscribe</button>' in page
    assert 'href="/accounts/preferences/"' in page
    assert fresh(circle.ana).digest_frequency == "daily"


def test_posting_the_confirm_form_unsubscribes_without_signing_in(circle):
    client = Client(enforce_csrf_checks=True)  # as a browser with no session would
    response = client.post(url(circle.ana))
    assert response.status_code == 200
    assert "ana@example.edu will no longer get your daily digest emails." in response.content.decode()
    assert fresh(circle.ana).digest_frequency == "off"
    assert client.post(url(circle.ana)).status_code == 200  # a second click is harmless


def test_rfc_8058_one_click_post_from_the_email_header(circle, run_digests, mailoutbox):
    circle.present(circle.ben, at=NOW - timedelta(hours=20))
    run_digests(NOW)
    [email] = to(mailoutbox, circle.ana)
    link = re.fullmatch(r"<(.+)>", email.extra_headers["List-Unsubscribe"]).group(1)
    assert link.startswith(f"{SITE}/email/unsubscribe/")

    response = Client(enforce_csrf_checks=True).post(
        link.removeprefix(SITE), data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert fresh(circle.ana).digest_frequency == "off"
    assert link in email.body and f'href="{link}"' in email.alternatives[0][0]  # the footer link too


def test_nudge_and_set_scopes(circle):
    Client(enforce_csrf_checks=True).post(url(circle.ben, NUDGES))
    assert fresh(circle.ben).nudges_enabled is False
    response = Client().get(url(circle.cat, set_scope(circle.action_set.pk)))
    assert "Stop all email about Leading Change to" in response.content.decode()
    Client().post(url(circle.cat, set_scope(circle.action_set.pk)))
    membership = Membership.objects.get(user=circle.cat, action_set=circle.action_set)
    assert membership.notification_level == Membership.NotificationLevel.MUTED
    assert fresh(circle.cat).digest_frequency == "daily"  # only that set


def test_an_expired_link_says_so_and_changes_nothing(circle, monkeypatch, settings):
    import time

    real = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real() - settings.EMAIL_UNSUBSCRIBE_MAX_AGE - 60)
    old = url(circle.ana)
    monkeypatch.setattr(signing.time, "time", real)
    for method in ("get", "post"):
        response = getattr(Client(), method)(old)
        assert response.status_code == 400
        assert "This unsubscribe link has expired" in response.content.decode()
        assert "Nothing has been changed." in response.content.decode()
    assert fresh(circle.ana).digest_frequency == "daily"


@pytest.mark.parametrize("tamper", [
    lambda token: token[:-3] + ("abc" if not token.endswith("abc") else "xyz"),   # forged signature
    lambda token: signing.dumps({"u": 1, "s": "digest"}, salt="another.purpose"),  # signed for something else
    lambda token: "not-a-token",
])
def test_a_forged_or_mangled_link_is_refused(circle, tamper):
    token = tamper(make_token(user_id=circle.ana.pk, scope=DIGEST))
    response = Client().post(f"/email/unsubscribe/{token}/")
    assert response.status_code == 400
    assert "This unsubscribe link is not valid" in response.content.decode()
    assert fresh(circle.ana).digest_frequency == "daily"


def test_a_token_cannot_be_pointed_at_someone_else(circle):
    """The user id is inside the signed value: changing it breaks the signature."""
    token = make_token(user_id=circle.ana.pk, scope=DIGEST)
    payload, rest = token.split(":", 1)
    other = make_token(user_id=circle.ben.pk, scope=DIGEST).split(":", 1)[0]
    assert Client().post(f"/email/unsubscribe/{other}:{rest}/").status_code == 400
    assert fresh(circle.ben).digest_frequency == "daily"


@pytest.mark.parametrize("role", ["anonymous", "learner", "outsider", "staff"])
def test_the_link_works_the_same_whoever_is_signed_in(request, client, circle, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    assert client.post(url(circle.ana)).status_code == 200
    assert fresh(circle.ana).digest_frequency == "off"


def test_a_former_member_is_told_there_is_nothing_to_change(circle):
    from actionsets import services

    services.remove_member(membership=Membership.objects.get(user=circle.cat, action_set=circle.action_set))
    response = Client().get(url(circle.cat, set_scope(circle.action_set.pk)))
    assert response.status_code == 200
    assert "There is nothing to change." in response.content.decode()
    assert "Leading Change" not in response.content.decode()


# --- Validly signed, malformed payloads (issue 11): a clear 400, never a 500 ---------------------

def _signed(payload) -> str:
    """Signed with the real signer and salt, exactly as make_token signs: only the payload is wrong."""
    from engagement.unsubscribe import SALT

    return signing.dumps(payload, salt=SALT, compress=True)


def _signed_raw(value: str) -> str:
    from engagement.unsubscribe import SALT

    return signing.TimestampSigner(salt=SALT).sign(value)


@pytest.mark.parametrize("make", [
    lambda c: _signed({"u": float("inf"), "s": "digest"}),              # OverflowError in int()
    lambda c: _signed({"u": 10**30, "s": "digest"}),                    # too big for the id column
    lambda c: _signed({"u": c.ana.pk, "s": "set:" + "9" * 30}),         # set id too big for the column
    lambda c: _signed({"u": True, "s": "digest"}),                      # a bool is not an id
    lambda c: _signed({"u": str(c.ana.pk), "s": "digest"}),             # nor is a string
    lambda c: _signed({"u": c.ana.pk + 0.5, "s": "digest"}),            # nor a float
    lambda c: _signed({"u": c.ana.pk, "s": ["digest"]}),                # scope of the wrong type
    lambda c: _signed({"u": c.ana.pk, "s": "everything"}),              # unknown scope
    lambda c: _signed({"u": c.ana.pk, "s": "set:-1"}),
    lambda c: _signed({"u": c.ana.pk, "s": "set:1.5"}),
    lambda c: _signed({"u": c.ana.pk}),                                 # missing field
    lambda c: _signed({"s": "digest"}),
    lambda c: _signed({"u": c.ana.pk, "s": "digest", "x": 1}),          # unexpected field
    lambda c: _signed([c.ana.pk, "digest"]),                            # not an object at all
    lambda c: _signed(None),
    lambda c: _signed({"u": 987654321, "s": "digest"}),                 # unknown user
    lambda c: _signed({"u": c.ana.pk, "s": "set:987654321"}),           # unknown set
    lambda c: _signed_raw("not base64 json!"),                          # signed, but not our encoding
    lambda c: _signed_raw(".AAAA"),                                     # signed, "compressed", not zlib
    lambda c: _signed_raw(".eJzzSM3JyVcozy_KSQEAGgQEXQ"),               # zlib with a bad checksum
])
def test_a_validly_signed_but_malformed_token_gets_a_clear_400(circle, make):
    token = make(circle)
    for method in ("get", "post"):
        response = getattr(Client(), method)(f"/email/unsubscribe/{token}/")
        assert response.status_code == 400
        assert "This unsubscribe link is not valid" in response.content.decode()
        assert "Nothing has been changed." in response.content.decode()
    assert fresh(circle.ana).digest_frequency == "daily" and fresh(circle.ana).nudges_enabled is True


def test_a_token_for_a_set_left_since_still_says_nothing_to_change_not_invalid(circle):
    """Refusing unknown sets must not turn a former member's old link into an error."""
    from actionsets import services

    services.remove_member(membership=Membership.objects.get(user=circle.cat, action_set=circle.action_set))
    assert Client().post(url(circle.cat, set_scope(circle.action_set.pk))).status_code == 200
