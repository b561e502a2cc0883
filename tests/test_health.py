"""/healthz: database and broker health for load balancers and `docker compose`."""

import socket
import time
from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.test import RequestFactory
from django.urls import resolve

from config.health import healthz

from .integration import redis_url, require_postgres
from .test_deploy import production_env, run_python

UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1: refused at once


@pytest.fixture
def no_broker(settings):
    settings.CELERY_BROKER_URL = ""


def test_healthz_is_wired_at_its_documented_url():
    assert resolve("/healthz").func is healthz


def test_healthz_view_answers_when_called_directly(db, no_broker):
    response = healthz(RequestFactory().get("/healthz"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_healthz_is_ok_with_a_database_and_no_broker(client, db, no_broker):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "not configured"}


def test_healthz_is_degraded_with_503_when_the_broker_is_unreachable(client, db, settings):
    settings.CELERY_BROKER_URL = UNREACHABLE_BROKER

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"] == "ok"
    assert body["broker"].startswith("error: ")


def test_healthz_is_degraded_with_503_when_the_database_fails(client, db, no_broker):
    with mock.patch.object(connections["default"], "cursor", side_effect=OperationalError("server closed")):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "degraded", "database": "error: OperationalError", "broker": "not configured"}


def test_healthz_does_not_reveal_connection_details(client, db, settings):
    settings.CELERY_BROKER_URL = "redis://:s3cret-password@127.0.0.1:1/0"

    response = client.get("/healthz")

    assert response.status_code == 503
    assert b"s3cret" not in response.content
    assert b"127.0.0.1" not in response.content


def test_healthz_gives_up_on_a_silent_broker_after_about_a_second(client, db, settings):
    with socket.socket() as silent:  # accepts the TCP connection, never answers PING
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
        started = time.monotonic()

        response = client.get("/healthz")

        elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error: ")
    assert elapsed < 2.5


def test_shallow_healthz_runs_no_checks(client, db, settings, django_assert_num_queries):
    settings.CELERY_BROKER_URL = UNREACHABLE_BROKER

    with django_assert_num_queries(0):
        response = client.get("/healthz?shallow=1")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_healthz_is_never_cached(client, db, no_broker):
    response = client.get("/healthz")

    assert "no-store" in response["Cache-Control"]


def test_healthz_only_answers_get_and_head(client, db, no_broker):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_healthz_answers_plain_http_under_production_settings():
    """Load balancers probe over HTTP: /healthz must be exempt from the HTTPS redirect."""
    code = (
        "import django\n"
        "django.setup()\n"
        "from django.test import Client\n"
        "client = Client(HTTP_HOST='example.org', raise_request_exception=False)\n"
        "print(client.get('/healthz?shallow=1').status_code, client.get('/accounts/login/').status_code)\n"
    )
    result = run_python(code, production_env())

    assert result.returncode == 0, result.stderr
    healthz_status, login_status = result.stdout.split()
    assert login_status == "301", "production settings should redirect plain HTTP to HTTPS"
    assert healthz_status == "200"


@pytest.mark.integration
def test_healthz_reports_a_real_redis_broker_ok(client, db, settings):
    settings.CELERY_BROKER_URL = redis_url()

    response = client.get("/healthz")

    assert response.json()["broker"] == "ok"
    assert response.status_code == 200


@pytest.mark.integration
def test_healthz_reports_a_real_postgresql_database_ok(client, db, no_broker):
    require_postgres()

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["database"] == "ok"
