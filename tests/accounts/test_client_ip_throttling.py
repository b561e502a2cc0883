"""Sign-in throttling behind a load balancer (issue 11, section 3).

Every request here reaches the app from one balancer address, as in production; what differs is
what the balancer appends to X-Forwarded-For. Failed sign-ins are counted per account and per
client address, and the client address follows TRUSTED_PROXY_COUNT / CLIENT_IP_HEADER.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django_ratelimit.core import is_ratelimited

from accounts.clientip import client_ip
from tests.factories import DEFAULT_PASSWORD, UserFactory

BALANCER = "10.0.0.2"
LOCKED = "Too many failed login attempts"


def sign_in(client, email, password, *, xff=None, remote=BALANCER):
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    response = client.post(reverse("account_login"), {"login": email, "password": password}, **extra)
    client.logout()
    return response


def locked(response) -> bool:
    return response.status_code == 200 and LOCKED in response.content.decode()


@pytest.fixture
def people(db):
    return [UserFactory(email=f"person{i}@example.edu") for i in range(8)]


def test_one_persons_bad_passwords_do_not_lock_out_others_behind_the_same_address(client, people):
    """No proxy configured: everyone shares REMOTE_ADDR. 5 bad passwords (the per-account budget)
    used to exhaust the per-address budget too, locking out the whole campus."""
    for _ in range(5):
        assert not locked(sign_in(client, people[0].email, "wrong"))
    assert locked(sign_in(client, people[0].email, DEFAULT_PASSWORD))  # that account is locked …
    response = sign_in(client, people[1].email, DEFAULT_PASSWORD)
    assert response.status_code == 302  # … its neighbour is not


def test_the_per_address_budget_still_holds_across_accounts(client, people, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "6/5m/ip,5/5m/key"}
    for person in people[:3]:
        for _ in range(2):
            sign_in(client, person.email, "wrong")
    assert locked(sign_in(client, people[3].email, DEFAULT_PASSWORD))


def test_an_account_locks_after_five_failures_from_five_addresses(client, people):
    for i in range(5):
        assert not locked(sign_in(client, people[0].email, "wrong", remote=f"192.0.2.{i + 1}"))
    assert locked(sign_in(client, people[0].email, DEFAULT_PASSWORD, remote="192.0.2.99"))
    assert sign_in(client, people[1].email, DEFAULT_PASSWORD, remote="192.0.2.99").status_code == 302


@pytest.fixture
def one_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/5m/ip,5/5m/key"}


def test_with_one_trusted_proxy_the_forwarded_client_is_throttled_not_the_balancer(client, people, one_proxy):
    for person in people[:3]:
        sign_in(client, person.email, "wrong", xff="203.0.113.7")
    assert locked(sign_in(client, people[3].email, DEFAULT_PASSWORD, xff="203.0.113.7"))
    # Another client behind the same balancer has its own budget.
    assert sign_in(client, people[3].email, DEFAULT_PASSWORD, xff="198.51.100.4").status_code == 302


def test_a_forged_left_most_forwarded_entry_is_not_trusted(client, people, one_proxy):
    """A client may write its own X-Forwarded-For; the balancer appends the real address to it.
    Changing the forged part on every attempt must not buy a fresh budget."""
    for i, person in enumerate(people[:3]):
        sign_in(client, person.email, "wrong", xff=f"1.2.3.{i}, 203.0.113.7")
    assert locked(sign_in(client, people[3].email, DEFAULT_PASSWORD, xff="9.9.9.9, 203.0.113.7"))


def test_client_ip_follows_the_trusted_proxy_count(settings):
    rf = RequestFactory()
    request = rf.get("/", REMOTE_ADDR=BALANCER, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    assert client_ip(request) == BALANCER  # default: no proxy trusted, the header is ignored
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.7"
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "1.2.3.4"
    short = rf.get("/", REMOTE_ADDR=BALANCER, HTTP_X_FORWARDED_FOR="203.0.113.7")
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 3
    assert client_ip(short) == BALANCER  # fewer entries than proxies: not a 500, the real peer


def test_a_proxy_header_of_its_own_is_read_when_configured(settings):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    request = RequestFactory().get("/", REMOTE_ADDR=BALANCER, HTTP_X_REAL_IP="203.0.113.9")
    assert client_ip(request) == "203.0.113.9"


def test_django_ratelimit_counts_by_the_same_client_address(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    rf = RequestFactory()

    def hit(xff):
        request = rf.post("/", REMOTE_ADDR=BALANCER, HTTP_X_FORWARDED_FOR=xff)
        return is_ratelimited(request, group="test:ip", key="ip", rate="1/m", method="POST", increment=True)

    assert not hit("5.5.5.5, 203.0.113.7")
    assert hit("6.6.6.6, 203.0.113.7")  # same client, forged prefix changed: still counted
    assert not hit("198.51.100.4")  # another client behind the same balancer


def _settings_with(env: dict) -> dict:
    code = ("import json; from config import settings_test as s; print(json.dumps({k: getattr(s, k) for k in "
            "['ALLAUTH_TRUSTED_PROXY_COUNT', 'ALLAUTH_TRUSTED_CLIENT_IP_HEADER', 'RATELIMIT_IP_META_KEY', "
            "'ACCOUNT_RATE_LIMITS']}))")
    root = Path(__file__).resolve().parents[2]
    clean = {k: v for k, v in os.environ.items()
             if k not in ("TRUSTED_PROXY_COUNT", "CLIENT_IP_HEADER") and not k.startswith("RATE_LIMIT_LOGIN")}
    out = subprocess.run([sys.executable, "-c", code], cwd=root, env={**clean, **env}, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_the_environment_variables_configure_allauth_and_ratelimit():
    default = _settings_with({})
    assert default["ALLAUTH_TRUSTED_PROXY_COUNT"] == 0 and default["ALLAUTH_TRUSTED_CLIENT_IP_HEADER"] is None
    assert default["RATELIMIT_IP_META_KEY"] == "accounts.clientip.client_ip"
    assert default["ACCOUNT_RATE_LIMITS"]["login_failed"] == "30/5m/ip,5/5m/key"
    behind = _settings_with({"TRUSTED_PROXY_COUNT": "1"})
    assert behind["ALLAUTH_TRUSTED_PROXY_COUNT"] == 1 and behind["ALLAUTH_TRUSTED_CLIENT_IP_HEADER"] is None
    header = _settings_with({"TRUSTED_PROXY_COUNT": "1", "CLIENT_IP_HEADER": "X-Real-IP"})
    assert header["ALLAUTH_TRUSTED_CLIENT_IP_HEADER"] == "X-Real-IP"
    # Without a trusted proxy the client writes that header itself: it is not trusted.
    assert _settings_with({"CLIENT_IP_HEADER": "X-Real-IP"})["ALLAUTH_TRUSTED_CLIENT_IP_HEADER"] is None
    tuned = _settings_with({"RATE_LIMIT_LOGIN_FAILED_IP": "100/h", "RATE_LIMIT_LOGIN_FAILED_ACCOUNT": "3/10m"})
    assert tuned["ACCOUNT_RATE_LIMITS"]["login_failed"] == "100/h/ip,3/10m/key"
