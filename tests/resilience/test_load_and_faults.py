"""50 members posting at once, then the same with PostgreSQL restarted and with Redis stopped.

Invariants, whatever happened: every post the server acknowledged (302) is stored exactly once,
nothing is stored that was not posted, and each airtime's reply_count equals its real count.
"""

import json
import shutil
import subprocess
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from actionsets import services
from actionsets.models import Airtime, Reply
from bench import server
from tests.factories import ActionSetFactory, MembershipFactory, RoundFactory

from .conftest import SECONDS, Poster, full_only, run_posters, session_cookie

pytestmark = [pytest.mark.resilience, pytest.mark.integration]

POSTERS, THREADS = 50, 5


def _set_up():
    action_set = ActionSetFactory(slug="load")
    RoundFactory(action_set=action_set, number=1, opens_at=timezone.now() - timedelta(days=1))
    members = [MembershipFactory(action_set=action_set).user for _ in range(POSTERS + THREADS)]
    airtimes = [services.present_airtime(presenter=m, action_set=action_set, title=f"Thread {n}", body="Ask me.")
                for n, m in enumerate(members[:THREADS])]
    return airtimes, members[THREADS:]


def _posters(base, airtimes, people) -> list[Poster]:
    return [Poster(base, session_cookie(person), airtimes[n % THREADS].get_absolute_url(), f"poster {n}")
            for n, person in enumerate(people)]


def _record(name: str, **figures) -> None:
    """Leave the run's figures where CI keeps artefacts (test-artifacts/resilience/<name>.json)."""
    folder = Path(__file__).resolve().parents[2] / "test-artifacts" / "resilience"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.json").write_text(json.dumps(figures, indent=2, default=str) + "\n")


def _check_nothing_lost_or_half_written(posters, airtimes) -> Counter:
    connection.close()  # the test's own connection may have been cut by a restart
    outcomes = [o for p in posters for o in p.outcomes]
    acknowledged = {o.body for o in outcomes if o.status == 302}
    stored = Counter(Reply.objects.filter(airtime__in=airtimes).values_list("body", flat=True))
    assert not [b for b, n in stored.items() if n > 1], "a post was stored twice"
    assert acknowledged <= set(stored), f"{len(acknowledged - set(stored))} acknowledged posts were lost"
    assert set(stored) <= {o.body for o in outcomes}, "something was stored that nobody posted"
    for airtime in Airtime.objects.filter(pk__in=[a.pk for a in airtimes]):
        assert airtime.reply_count == airtime.replies.count(), f"{airtime}: counter {airtime.reply_count}"
        paths = list(airtime.replies.values_list("path", flat=True))
        assert len(paths) == len(set(paths)) and all(len(p) % 6 == 0 for p in paths)
    return Counter(o.status for o in outcomes)


def test_fifty_concurrent_posters_lose_nothing(gunicorn_on_postgres):
    airtimes, people = _set_up()
    with gunicorn_on_postgres() as served:
        base = served.url
        posters = _posters(base, airtimes, people)
        run_posters(posters, SECONDS)
    statuses = _check_nothing_lost_or_half_written(posters, airtimes)
    _record("concurrent-posters", seconds=SECONDS, posters=POSTERS, statuses=dict(statuses),
            posts_per_second=round(statuses[302] / SECONDS, 1))
    assert statuses[302] > POSTERS, f"too few posts went through: {statuses}"
    assert set(statuses) == {302}, f"server errors or refusals under load: {statuses}"


def _pg_ctl(action: str) -> None:
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action], check=True, timeout=120)


def _wait_for_postgres(timeout: float = 60) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"]).returncode == 0:
            return time.monotonic()
        time.sleep(0.2)
    raise AssertionError("PostgreSQL did not come back")


def test_postgres_restart_mid_run_recovers_within_ten_seconds(gunicorn_on_postgres):
    full_only()
    if not shutil.which("pg_ctlcluster"):
        pytest.skip("needs pg_ctlcluster (Debian's postgresql-common) to restart PostgreSQL")
    airtimes, people = _set_up()
    back = {}

    def restart(started):
        time.sleep(min(10, SECONDS / 4))
        _pg_ctl("restart")
        back["at"] = _wait_for_postgres() - started

    with gunicorn_on_postgres() as served:
        base = served.url
        posters = _posters(base, airtimes, people)
        run_posters(posters, max(SECONDS, 40), during=restart)
    statuses = _check_nothing_lost_or_half_written(posters, airtimes)
    late_errors = [o for p in posters for o in p.outcomes if o.status != 302 and o.at > back["at"] + 10]
    failures = sorted(o.at for p in posters for o in p.outcomes if o.status != 302)
    _record("postgres-restart", statuses=dict(statuses), postgres_back_at_s=round(back["at"], 1),
            first_error_at_s=failures[0] if failures else None, last_error_at_s=failures[-1] if failures else None)
    assert late_errors == [], f"errors more than 10 s after PostgreSQL was back: {late_errors[:5]} ({statuses})"
    assert statuses[302] > POSTERS


def test_pages_still_work_with_redis_stopped(gunicorn_on_postgres, static_root):
    full_only()
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server to run a private Redis for this test")
    airtimes, people = _set_up()
    port = server.free_port()
    # A private Redis on its own port: stopping it disturbs nobody else's.
    redis = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no"], stdout=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        url = f"redis://127.0.0.1:{port}/0"
        with gunicorn_on_postgres(REDIS_URL=url, CELERY_BROKER_URL=url) as served:
            base = served.url
            poster = _posters(base, airtimes, people[:1])[0]
            cookie = f"sessionid={poster.cookie}"
            assert server.get(base + poster.thread_path, cookie=cookie)[0] == 200
            redis.terminate()
            redis.wait(timeout=10)
            for path in ("/", airtimes[0].action_set.get_absolute_url(), poster.thread_path):
                status, _ = server.get(base + path, cookie=cookie)
                assert status == 200, f"{path} answered {status} with Redis stopped"
            run_posters([poster], 3)
    finally:
        if redis.poll() is None:
            redis.kill()
    statuses = _check_nothing_lost_or_half_written([poster], airtimes)
    assert set(statuses) == {302}, f"posting with Redis stopped: {statuses}"
