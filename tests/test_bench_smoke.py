"""The benchmark harness still works: `bench/run.py --smoke` on tiny data, one 2 s run per page.

Benchmarks are not tests (the figures are in docs/benchmarks.md); this only keeps the harness
from rotting: it seeds, serves with gunicorn, loads every page with wrk, runs the batch jobs
(digests, CSV enrolment) at a tiny size, reports and writes JSON.
It always uses its own scratch SQLite file, whatever DATABASE_URL the suite runs with.
"""

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from tests.integration import _unavailable

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.bench]


def test_the_benchmark_runs_end_to_end_on_tiny_data(tmp_path):
    if not shutil.which("wrk"):
        _unavailable("needs wrk: apt-get install -y wrk")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'smoke.sqlite3'}"}
    for name in ("ACTIONSETS_TESTING", "DJANGO_SETTINGS_MODULE", "SECRET_KEY", "REDIS_URL", "CELERY_BROKER_URL"):
        env.pop(name, None)
    result = subprocess.run([sys.executable, "bench/run.py", "--smoke", "--results-dir", str(tmp_path)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "req/s min/med/max" in result.stdout
    [written] = tmp_path.glob("*-sqlite.json")
    document = json.loads(written.read_text())
    pages = {row["key"]: row for row in document["pages"]}
    assert {"ceiling", "thread-20", "thread-200", "thread-drafts", "set", "home"} <= set(pages)
    for key, row in pages.items():
        assert row["rps_median"] > 0 and row["errors"] == 0, (key, row)
        assert row["bytes"] > 0
    # Set page and home: 11 each since issue 13's to-do list (tests/actionsets/test_query_budgets.py).
    # A thread: 11 since issue 14 (the reader's drafts, the header's unread notifications), with drafts
    # in it or none; the set page 13 (+ who posted this round, issue 19), home 12.
    assert pages["thread-20"]["queries"] == pages["thread-drafts"]["queries"] == 11 and pages["set"]["queries"] == 13 and pages["home"]["queries"] == 12
    # Search has a latency budget too (issue 15): p95 of one connection's requests, from bench/p95.lua.
    assert pages["search"]["p95_budget_ms"] == 50.0 and pages["search"]["p95_ms"] > 0
    assert pages["search"]["latency_runs"] and re.search(r"search\s+one connection: p50 .* p95 ", result.stdout)
    # The batch jobs ran after the loads, at their tiny size, and left the pages' world as it was.
    jobs = {row["key"]: row for row in document["jobs"]}
    assert set(jobs) == {"digests", "enrolment-preview", "enrolment-commit", "markdown-realistic",
                         "markdown-pathological"}
    renderer = {key: jobs.pop(key) for key in ("markdown-realistic", "markdown-pathological")}
    for key, row in renderer.items():  # rendering needs no database: µs per KB, old vs new
        assert row["old_us_per_kb"] > row["new_us_per_kb_same_input"] > 0 and row["queries"] == 0, (key, row)
    for key, row in jobs.items():
        assert row["seconds"] > 0 and row["queries"] > 0, (key, row)
        assert row["label"] in result.stdout
    assert jobs["digests"]["users"] == 70 and jobs["digests"]["sent"] > 0 and jobs["digests"]["batches"] == 3
    assert jobs["enrolment-commit"]["new_memberships"] == jobs["enrolment-commit"]["invitations_sent"] > 0
    assert "removed the job's" in result.stdout
    with closing(sqlite3.connect(tmp_path / "smoke.sqlite3")) as db:
        users, cohorts = db.execute(
            "SELECT (SELECT count(*) FROM accounts_user), (SELECT count(*) FROM actionsets_cohort)"
        ).fetchone()
    assert (users, cohorts) == (document["meta"]["counts"]["User"], 1)


WRK_REPORT = """Running 2s test @ http://127.0.0.1:8000/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    52.84ms   20.39ms 168.40ms   71.20%
    Req/Sec    56.60     17.30   101.00     66.67%
  Latency Distribution
     50%  850.00us
     75%   60.10ms
     90%   80.20ms
     99%    1.20s
  227 requests in 2.01s, 5.67MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:    112.94
Transfer/sec:      2.82MB
"""


def test_wrk_reports_are_read_with_their_units():
    from bench.wrk import parse

    run = parse(WRK_REPORT)
    assert (run.requests, run.rps, run.p50_ms, run.p99_ms) == (227, 112.94, 0.85, 1200.0)
    assert run.p95_ms is None and parse(WRK_REPORT + "p95_us 41250\n").p95_ms == 41.25  # bench/p95.lua
    assert (run.non_2xx_3xx, run.socket_errors) == (4, 3)
    assert abs(run.seconds - 2.01) < 1e-9
