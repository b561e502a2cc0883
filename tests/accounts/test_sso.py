"""OpenID Connect sign-in against a tiny local identity provider (a real HTTP server on
127.0.0.1). Nothing of ours is mocked: allauth talks HTTP to the fake provider."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from accounts.models import User
from config.sso import oidc_apps, saml_apps

CLIENT_ID = "actionsets-test"


class FakeIdP(BaseHTTPRequestHandler):
    claims: dict = {}

    def log_message(self, *args):
        pass

    def _json(self, payload):
        body = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    @property
    def base(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def do_GET(self):
        if self.path == "/.well-known/openid-configuration":
            self._json({"issuer": self.base, "authorization_endpoint": f"{self.base}/authorize",
                        "token_endpoint": f"{self.base}/token", "userinfo_endpoint": f"{self.base}/userinfo",
                        "jwks_uri": f"{self.base}/jwks", "token_endpoint_auth_methods_supported": ["client_secret_post"]})
        elif self.path == "/userinfo":
            self._json(self.claims)
        else:
            self.send_error(404)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        form = parse_qs(self.rfile.read(length).decode())
        if self.path != "/token" or form.get("code") != ["good-code"]:
            self.send_error(400)
            return
        now = int(time.time())
        id_token = jwt.encode({**self.claims, "iss": self.base, "aud": CLIENT_ID, "iat": now, "exp": now + 300},
                              "not-checked-when-fetched-over-tls", algorithm="HS256")
        self._json({"access_token": "access-token", "token_type": "Bearer", "expires_in": 300, "id_token": id_token})


@pytest.fixture
def idp(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeIdP)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    class Env:  # the same builder the settings use, fed like the environment would feed it
        def str(self, name, default=""):
            return {"OIDC_SERVER_URL": f"http://127.0.0.1:{server.server_address[1]}", "OIDC_CLIENT_ID": CLIENT_ID,
                    "OIDC_CLIENT_SECRET": "s3cret", "OIDC_NAME": "University sign-in"}.get(name, default)

    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": oidc_apps(Env())}}
    yield FakeIdP
    server.shutdown()
    server.server_close()


def _sign_in_via_idp(client, claims):
    FakeIdP.claims = claims
    start = client.post(reverse("openid_connect_login", kwargs={"provider_id": "institution"}))
    assert start.status_code == 302 and "/authorize?" in start["Location"]
    state = parse_qs(urlparse(start["Location"]).query)["state"][0]
    return client.get(reverse("openid_connect_callback", kwargs={"provider_id": "institution"}),
                      {"code": "good-code", "state": state})


def test_login_page_offers_the_institution_button(client, idp, db):
    assert b"University sign-in" in client.get("/accounts/login/").content


def test_enrolled_person_signs_in_with_oidc_and_is_linked(client, idp, learner):
    EmailAddress.objects.filter(user=learner).update(verified=False)
    response = _sign_in_via_idp(client, {"sub": "idp-123", "email": "Learner@Example.com", "email_verified": True})
    assert response.status_code == 302 and response["Location"] == "/"
    assert int(client.session["_auth_user_id"]) == learner.pk
    assert SocialAccount.objects.get(user=learner).uid == "idp-123"
    assert EmailAddress.objects.get(user=learner, email="learner@example.com").verified
    learner.refresh_from_db()
    assert learner.has_usable_password()  # their password still works


def test_second_sign_in_uses_the_linked_account(client, idp, learner):
    _sign_in_via_idp(client, {"sub": "idp-123", "email": "learner@example.com", "email_verified": True})
    client.logout()
    response = _sign_in_via_idp(client, {"sub": "idp-123", "email": "changed@example.com", "email_verified": True})
    assert response["Location"] == "/" and int(client.session["_auth_user_id"]) == learner.pk


def test_sso_never_creates_an_account(client, idp, db):
    users = User.objects.count()
    response = _sign_in_via_idp(client, {"sub": "idp-999", "email": "stranger@example.org", "email_verified": True})
    assert response.status_code == 403 and b"could not find your enrolment" in response.content
    assert User.objects.count() == users and "_auth_user_id" not in client.session


def test_unverified_email_from_the_provider_is_not_trusted(client, idp, learner):
    response = _sign_in_via_idp(client, {"sub": "idp-5", "email": "learner@example.com", "email_verified": False})
    assert response.status_code == 403 and "_auth_user_id" not in client.session


def test_deleted_account_cannot_come_back_through_sso(client, idp, learner):
    from personal_data.services import delete_account

    delete_account(user=learner)
    response = _sign_in_via_idp(client, {"sub": "idp-7", "email": "learner@example.com", "email_verified": True})
    assert response.status_code == 403


def test_saml_and_oidc_settings_from_the_environment():
    class Env:
        values = {"OIDC_PROVIDERS": '[{"provider_id": "uni-a", "name": "Uni A", "server_url": "https://a.example", '
                                    '"client_id": "x", "secret": "y"}]',
                  "SAML_ORGANIZATION_SLUG": "uni-b", "SAML_IDP_ENTITY_ID": "https://idp.b.example",
                  "SAML_IDP_METADATA_URL": "https://idp.b.example/metadata"}

        def str(self, name, default=""):
            return self.values.get(name, default)

    (oidc,) = oidc_apps(Env())
    assert oidc["provider_id"] == "uni-a" and oidc["settings"]["email_authentication"] is True
    (saml,) = saml_apps(Env())
    assert saml["client_id"] == "uni-b" and saml["settings"]["idp"]["metadata_url"].endswith("/metadata")
    assert saml["settings"]["trust_email"] is True


def test_saml_service_provider_metadata_is_served(client, settings, db):
    """SAML is configured from the environment; without a SAML IdP here, the check is that our
    service-provider metadata (what an institution registers) is generated."""

    class Env:
        values = {"SAML_ORGANIZATION_SLUG": "example-uni", "SAML_IDP_ENTITY_ID": "https://idp.example.ac.uk/idp",
                  "SAML_IDP_SSO_URL": "https://idp.example.ac.uk/sso", "SAML_IDP_X509CERT": "MIIBdummy"}

        def str(self, name, default=""):
            return self.values.get(name, default)

    settings.SOCIALACCOUNT_PROVIDERS = {"saml": {"APPS": saml_apps(Env())}}
    settings.ALLOWED_HOSTS = ["actionsets.example.ac.uk"]  # python3-saml wants a dotted host name
    response = client.get("/accounts/saml/example-uni/metadata/", HTTP_HOST="actionsets.example.ac.uk")
    assert response.status_code == 200
    assert b"EntityDescriptor" in response.content and b"/accounts/saml/example-uni/acs/" in response.content
