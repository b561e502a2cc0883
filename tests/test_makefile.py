"""`make run PORT=…` and `make emails NOW=…` (issue 13, item 13), run for real with a stand-in Python.

The recipes are executed by make itself; only `$(BIN)/python` is replaced by a script that
prints its arguments and SITE_URL, so no server starts and nothing is installed.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


@pytest.fixture
def fake_bin(tmp_path):
    python = tmp_path / "python"
    python.write_text('#!/bin/sh\necho "python $* SITE_URL=${SITE_URL:-unset}"\n')
    python.chmod(0o755)
    return tmp_path


def make(*args, cwd=ROOT, env=None, fake_bin):
    environment = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "NOW", "PORT", "MAKEFLAGS"}}
    environment.update(env or {})
    # -o: treat the install stamp as up to date, so make never runs pip here.
    result = subprocess.run(["make", "--no-print-directory", "-f", str(ROOT / "Makefile"), "-o", ".venv/.installed-dev",
                             f"BIN={fake_bin}", *args], cwd=cwd, env=environment, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.splitlines() if line.startswith("python ")]


def test_make_run_serves_on_port_and_site_url_follows(fake_bin, tmp_path):
    calls = make("run", "PORT=8080", cwd=tmp_path, fake_bin=fake_bin)
    assert calls[-1] == "python manage.py runserver 127.0.0.1:8080 SITE_URL=http://127.0.0.1:8080"
    # The translation catalogues are compiled first when GNU gettext is there (docs/translating.md).
    if shutil.which("msgfmt"):
        assert calls.pop(0).startswith("python manage.py compilemessages")
    assert calls[0].startswith("python manage.py migrate") and calls[1].startswith("python manage.py seed_demo")


def test_make_run_defaults_to_port_8000(fake_bin, tmp_path):
    assert make("run", cwd=tmp_path, fake_bin=fake_bin)[-1] == (
        "python manage.py runserver 127.0.0.1:8000 SITE_URL=http://127.0.0.1:8000"
    )


def test_make_run_keeps_a_site_url_that_is_set(fake_bin, tmp_path):
    calls = make("run", "PORT=8080", cwd=tmp_path, env={"SITE_URL": "https://sets.example.org"}, fake_bin=fake_bin)
    assert calls[-1] == "python manage.py runserver 127.0.0.1:8080 SITE_URL=https://sets.example.org"
    (tmp_path / ".env").write_text("SITE_URL=https://from-dotenv.example.org\n")
    calls = make("run", "PORT=8080", cwd=tmp_path, fake_bin=fake_bin)
    assert calls[-1] == "python manage.py runserver 127.0.0.1:8080 SITE_URL=unset"  # settings read .env


def test_make_emails_runs_the_three_commands_at_the_given_time(fake_bin, tmp_path):
    calls = make("emails", "NOW=2026-11-24T07:30:00Z", cwd=tmp_path, fake_bin=fake_bin)
    assert [c.split(" SITE_URL=")[0] for c in calls] == [
        "python manage.py send_digests --now 2026-11-24T07:30:00Z",
        "python manage.py send_nudges --now 2026-11-24T07:30:00Z",
        "python manage.py send_outbox",
    ]
    assert [c.split(" SITE_URL=")[0] for c in make("emails", cwd=tmp_path, fake_bin=fake_bin)] == [
        "python manage.py send_digests", "python manage.py send_nudges", "python manage.py send_outbox",
    ]
