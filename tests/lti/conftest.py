import os
from urllib.parse import parse_qs, urlsplit

import pytest

from lti.models import Platform

from .platform import CLIENT_ID, DEPLOYMENT_ID, TestPlatform


@pytest.fixture
def test_platform():
    platform = TestPlatform()
    yield platform
    platform.close()


@pytest.fixture
def registration(db, test_platform):
    return Platform.objects.create(
        name="Test platform", issuer=test_platform.issuer, client_id=CLIENT_ID, deployment_ids=[DEPLOYMENT_ID],
        auth_login_url=test_platform.url + "/auth", auth_token_url=test_platform.url + "/token",
        key_set_url=test_platform.url + "/jwks",
    )


@pytest.fixture
def start_login(client, test_platform):
    """The platform starts a login; returns (state, nonce) from our redirect to its auth endpoint."""

    def _start(**params):
        query = {"iss": test_platform.issuer, "login_hint": "hint-1", "client_id": CLIENT_ID,
                 "target_link_uri": "http://127.0.0.1:8000/lti/launch/", **params}
        response = client.get("/lti/login/", query, secure=True)
        assert response.status_code == 302, response.content
        sent = parse_qs(urlsplit(response["Location"]).query)
        assert response["Location"].startswith(test_platform.url + "/auth?")
        return sent["state"][0], sent["nonce"][0]

    return _start


@pytest.fixture
def launch(client, test_platform, start_login):
    """A whole launch: login initiation, then the platform's form post of a signed id_token."""

    def _launch(*, token=None, **claims):
        state, nonce = start_login()
        id_token = token(nonce) if callable(token) else test_platform.id_token(nonce=nonce, **claims)
        return client.post("/lti/launch/", {"state": state, "id_token": id_token}, secure=True)

    return _launch


@pytest.fixture(autouse=True)
def _launch_state_survives_other_workers(settings):
    """A launch keeps its state and nonce in the cache between requests. Serial runs (`make test`,
    CI) use the real Redis; parallel workers (pytest -n) share one Redis database, which every other
    test's clean-up flushes, so under xdist each worker keeps LTI state in its own memory cache."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                       "LOCATION": "lti-tests"}}
