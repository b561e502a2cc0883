"""A password reset asked for an address with no account: sign-up is closed, so the email must not
send people to it (issue 11, section 3)."""

from django.urls import reverse


def test_reset_for_an_unknown_address_says_there_is_no_account_and_whom_to_ask(client, db, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    [email] = mailoutbox
    assert email.to == ["nobody@example.org"]
    assert email.subject == "[ActionSets] No ActionSets account for this address"
    assert "There is no account for that address" in email.body
    assert "contact your programme administrator" in email.body
    assert "signup" not in email.body and "sign up for an account" not in email.body
    assert reverse("account_signup") not in email.body
    assert "http" not in email.body  # no link at all: there is nowhere to go


def test_reset_for_a_known_address_still_sends_the_reset_link(client, learner, mailoutbox):
    client.post(reverse("account_reset_password"), {"email": learner.email})
    [email] = mailoutbox
    assert "/accounts/password/reset/key/" in email.body
