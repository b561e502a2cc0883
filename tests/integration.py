"""Guards for tests that need real infrastructure (PostgreSQL, Redis, a Celery worker, Chromium).

Locally such a test skips with a reason when the piece is missing. In CI
(ACTIONSETS_REQUIRE_INTEGRATION=1) it fails instead: a green CI must mean the real thing ran.
"""

import os
import shutil

import pytest
from django.db import connection

REQUIRED = os.environ.get("ACTIONSETS_REQUIRE_INTEGRATION") == "1"


def _unavailable(reason: str):
    if REQUIRED:
        pytest.fail(f"{reason} (required because ACTIONSETS_REQUIRE_INTEGRATION=1)", pytrace=False)
    pytest.skip(reason)


def require_postgres() -> None:
    if connection.vendor != "postgresql":
        _unavailable("needs PostgreSQL: set DATABASE_URL=postgres://…")


def redis_url() -> str:
    url = os.environ.get("REDIS_URL") or os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/15"
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception as error:  # noqa: BLE001 - any failure means "not available"
        _unavailable(f"needs Redis at {url}: {error}")
    return url


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        _unavailable("needs Chromium: apt-get install -y chromium")
    try:
        import playwright  # noqa: F401
    except ImportError:
        _unavailable("needs the playwright Python package")
    return path
