"""Load and fault tests: gunicorn (production settings) on loopback against the test database.

The short form runs in the default suite on PostgreSQL (10 s of posting). The full form —
`RESILIENCE_FULL=1`: 60 s of posting, PostgreSQL restarted mid-run, Redis stopped — disturbs the
machine's shared PostgreSQL, so it runs only from its own make target (docs/benchmarks.md).
"""

import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection
from django.test import Client

from bench import server
from tests.integration import require_postgres

ROOT = Path(__file__).resolve().parents[2]
FULL = os.environ.get("RESILIENCE_FULL") == "1"
SECONDS = float(os.environ.get("RESILIENCE_SECONDS", "60" if FULL else "10"))
SECRET = "resilience-tests-only-" + "x" * 40


def full_only():
    if not FULL:
        pytest.skip("full resilience run only (RESILIENCE_FULL=1): it disturbs the shared PostgreSQL/Redis")


@pytest.fixture(scope="session")
def static_root():
    root = tempfile.mkdtemp(prefix="resilience-static-")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "0", "SECRET_KEY": SECRET,
           "STATIC_ROOT": root, "DATABASE_URL": "sqlite:///:memory:"}
    env.pop("ACTIONSETS_TESTING", None)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    return root


def server_env(static_root: str, **extra) -> dict:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    # The same key as this process: the sessions made here must be valid there.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "0", "SECRET_KEY": settings.SECRET_KEY,
           "DATABASE_URL": url, "SECURE_SSL_REDIRECT": "0", "BENCH_CEILING": "1", "STATIC_ROOT": static_root,
           "RATE_LIMIT_POST": "1000000/m", "LOG_LEVEL": "ERROR", "REDIS_URL": "", "CELERY_BROKER_URL": "", **extra}
    env.pop("ACTIONSETS_TESTING", None)
    return env


@pytest.fixture
def gunicorn_on_postgres(transactional_db, static_root):
    require_postgres()

    def _start(**extra):
        return server.gunicorn(env=server_env(static_root, **extra))

    return _start


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@dataclass
class Outcome:
    at: float
    status: int | None  # None: no HTTP answer (connection refused, reset, timeout)
    body: str


@dataclass
class Poster:
    """One member posting replies in a loop, as fast as the server answers, until told to stop."""

    base: str
    cookie: str
    thread_path: str
    name: str
    outcomes: list[Outcome] = field(default_factory=list)

    def run(self, stop: threading.Event, started: float) -> None:
        # Cookies go in by hand: production marks them Secure, and this is plain HTTP on loopback.
        session, cookie, token = requests.Session(), None, None
        while not stop.is_set():
            body = f"{self.name} asks {uuid.uuid4().hex}?"
            try:
                if token is None:
                    page = session.get(self.base + self.thread_path, timeout=30, allow_redirects=False,
                                       headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={self.cookie}"})
                    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
                    cookie = (f"{settings.SESSION_COOKIE_NAME}={self.cookie}; "
                              f"{settings.CSRF_COOKIE_NAME}={page.cookies[settings.CSRF_COOKIE_NAME]}")
                response = session.post(self.base + self.thread_path + "reply/", timeout=30, allow_redirects=False,
                                        headers={"Cookie": cookie},
                                        data={"csrfmiddlewaretoken": token, "body": body, "kind": "question"})
                # Only a redirect to the new reply is an acknowledged post (not one to sign-in).
                posted = response.status_code == 302 and "#reply-" in response.headers.get("Location", "")
                status = 302 if posted else (response.status_code if response.status_code != 302 else 399)
                self.outcomes.append(Outcome(time.monotonic() - started, status, body))
            except (requests.RequestException, AttributeError, KeyError):
                token = None
                self.outcomes.append(Outcome(time.monotonic() - started, None, body))
                time.sleep(0.2)


def run_posters(posters: list[Poster], seconds: float, during=None) -> float:
    """Run every poster for `seconds` (calling `during(started)` from this thread); return the start time."""
    stop, started = threading.Event(), time.monotonic()
    threads = [threading.Thread(target=p.run, args=(stop, started), daemon=True) for p in posters]
    for thread in threads:
        thread.start()
    if during is not None:
        during(started)
    remaining = seconds - (time.monotonic() - started)
    if remaining > 0:
        time.sleep(remaining)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    return started
