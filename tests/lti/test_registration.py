"""LTI Dynamic Registration against the test platform, and the staff's registration form."""

import pytest
from django.urls import reverse

from lti.models import Platform, RegistrationLink

from .platform import TOOL_CONFIGURATION


@pytest.fixture
def link_url(client_for, staff):
    client = client_for(staff)
    client.post(reverse("lti:registration_link_new"))
    url = reverse("lti:register", kwargs={"key": RegistrationLink.objects.get().key})
    assert url.encode() in client.get(reverse("lti:platforms")).content
    client.logout()
    return url


def test_dynamic_registration_registers_the_tool_and_keeps_the_platform(client, link_url, test_platform):
    response = client.get(link_url, {"openid_configuration": test_platform.url + "/.well-known/openid-configuration",
                                      "registration_token": "registration-token-1"})
    assert response.status_code == 200 and b"ActionSets is registered" in response.content
    [sent] = test_platform.registrations
    assert sent["initiate_login_uri"].endswith("/lti/login/") and sent["jwks_uri"].endswith("/lti/jwks.json")
    assert sent["redirect_uris"] == [sent[TOOL_CONFIGURATION]["target_link_uri"]]
    assert sent[TOOL_CONFIGURATION]["messages"][0]["type"] == "LtiDeepLinkingRequest"
    platform = Platform.objects.get()
    assert (platform.issuer, platform.client_id, platform.deployment_ids) == (
        test_platform.issuer, "dynamic-client-1", ["dynamic-deployment-1"])
    assert platform.key_set_url == test_platform.url + "/jwks" and not platform.allow_new_accounts
    again = client.get(link_url, {"openid_configuration": test_platform.url + "/.well-known/openid-configuration",
                                  "registration_token": "registration-token-1"})
    assert again.status_code == 404  # the link works once
    assert len(test_platform.registrations) == 1


def test_a_launch_works_right_after_dynamic_registration(client, link_url, test_platform, learner):
    client.get(link_url, {"openid_configuration": test_platform.url + "/.well-known/openid-configuration",
                          "registration_token": "registration-token-1"})
    response = client.get("/lti/login/", {"iss": test_platform.issuer, "login_hint": "h", "client_id": "dynamic-client-1"},
                          secure=True)
    assert response.status_code == 302 and response["Location"].startswith(test_platform.url + "/auth?")


def test_a_configuration_from_another_origin_than_its_issuer_is_refused(client, link_url, test_platform):
    test_platform.issuer = "https://moodle.example.edu"
    response = client.get(link_url, {"openid_configuration": test_platform.url + "/.well-known/openid-configuration"})
    assert response.status_code == 400 and not Platform.objects.exists()
    assert RegistrationLink.objects.get().used_at is None


def test_a_refused_registration_token_registers_nothing(client, link_url, test_platform):
    response = client.get(link_url, {"openid_configuration": test_platform.url + "/.well-known/openid-configuration",
                                      "registration_token": "wrong"})
    assert response.status_code == 400 and not Platform.objects.exists()


def test_without_a_staff_link_nobody_can_register(client, db, test_platform):
    url = reverse("lti:register", kwargs={"key": "made-up"})
    assert client.get(url, {"openid_configuration": test_platform.url + "/.well-known/openid-configuration"}).status_code == 404


def test_staff_register_a_platform_by_hand(client_for, staff):
    client = client_for(staff)
    response = client.post(reverse("lti:platform_new"), {
        "name": "Canvas", "issuer": "https://canvas.instructure.com", "client_id": "10000000000001",
        "deployment_ids": "1:abc\n2:def\n1:abc", "auth_login_url": "https://sso.canvaslms.com/api/lti/authorize_redirect",
        "auth_token_url": "https://sso.canvaslms.com/login/oauth2/token",
        "key_set_url": "https://sso.canvaslms.com/api/lti/security/jwks", "frame_origins": "https://canvas.example.edu",
        "active": "on",
    })
    platform = Platform.objects.get()
    assert response["Location"] == reverse("lti:platform", kwargs={"platform_id": platform.pk})
    assert platform.deployment_ids == ["1:abc", "2:def"] and platform.frame_origin_list == ["https://canvas.example.edu"]
    page = client.get(response["Location"]).content.decode()
    assert "1:abc\n2:def" in page and "/lti/jwks.json" in page
