"""The benchmark harness still works: `bench/run.py --smoke` on tiny data, one 2 s run per page.

Benchmarks are not tests (the figures are in docs/benchmarks.md); this only keeps the harness
from rotting: it seeds, serves with gunicorn, loads every page with wrk, reports and writes JSON.
It always uses its own scratch SQLite file, whatever DATABASE_URL the suite runs with.
"""

import json
import os
import shutil
import subprocess
import sys
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
    assert {"ceiling", "thread-20", "thread-200", "set", "home"} <= set(pages)
    for key, row in pages.items():
        assert row["rps_median"] > 0 and row["errors"] == 0, (key, row)
        assert row["bytes"] > 0
    assert pages["thread-20"]["queries"] == 9 and pages["set"]["queries"] == 7 and pages["home"]["queries"] == 6
