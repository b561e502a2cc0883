"""`/healthz`: is this web process able to reach its database and its task broker?

Load balancers and `docker compose` poll it, so it is public, never cached, and bounded in
time: the broker gets one attempt with a one-second timeout. Failures are reported by
exception class only — the full error goes to the log, not to an anonymous caller, because
driver messages can carry host names, user names or URLs.

`?shallow=1` skips both checks: it measures the cost of the request stack alone and is the
ceiling the benchmark compares real pages against.
"""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 1
OK = "ok"


@require_safe
@never_cache
def healthz(request):
    if request.GET.get("shallow") == "1":
        return JsonResponse({"status": OK, "database": "skipped", "broker": "skipped"})
    report = {"database": _check("database", _ping_database), "broker": _check_broker()}
    healthy = all(value in (OK, "not configured") for value in report.values())
    report = {"status": OK if healthy else "degraded", **report}
    return JsonResponse(report, status=200 if healthy else 503)


def _check(name, probe):
    try:
        probe()
    except Exception as exc:  # any failure means "degraded", whatever raised it
        logger.warning("healthz: %s check failed", name, exc_info=True)
        return f"error: {type(exc).__name__}"
    return OK


def _check_broker():
    url = settings.CELERY_BROKER_URL
    if not url:  # the embedded default: tasks run eagerly, in-process
        return "not configured"
    return _check("broker", lambda: _ping_broker(url))


def _ping_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _ping_broker(url):
    if urlsplit(url).scheme in ("redis", "rediss", "unix"):
        _ping_redis(url)
    else:
        _ping_kombu(url)


def _ping_redis(url):
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    # One attempt, no retries: a health probe should report promptly, not wait things out.
    client = redis.Redis.from_url(
        url,
        socket_connect_timeout=BROKER_TIMEOUT_SECONDS,
        socket_timeout=BROKER_TIMEOUT_SECONDS,
        retry=Retry(NoBackoff(), 0),
    )
    try:
        client.ping()
    finally:
        client.close()


def _ping_kombu(url):
    """Any other broker Celery supports (AMQP and so on): open and close one connection."""
    from kombu import Connection

    with Connection(url, connect_timeout=BROKER_TIMEOUT_SECONDS) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_TIMEOUT_SECONDS)
