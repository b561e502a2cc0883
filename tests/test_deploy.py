"""Production settings: `check --deploy` is clean, and the settings refuse to start unsafely.

Each check runs in a fresh interpreter, because settings are read once per process and the
test process itself runs with the test flag on.
"""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Passed through so that CI checks against its PostgreSQL and Redis; every other setting
# is left at its production default.
PASS_THROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")

# settings.py also reads BASE_DIR/.env; a developer's .env (DEBUG=1, say) must not leak in.
_IGNORE_DOT_ENV = "import environ\nenviron.Env.read_env = classmethod(lambda cls, *a, **k: None)\n"


def production_env(**overrides):
    """The environment of a production process. An override of None removes the variable."""
    env = {name: os.environ[name] for name in PASS_THROUGH if name in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="example.org",
    )
    env.update(overrides)
    return {name: value for name, value in env.items() if value is not None}


def run_python(code, env):
    return subprocess.run(
        [sys.executable, "-c", _IGNORE_DOT_ENV + code],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def run_manage(*args, env):
    argv = ["manage.py", *args]
    return run_python(f"import runpy, sys\nsys.argv = {argv!r}\nrunpy.run_path('manage.py', run_name='__main__')", env)


def settings_env_names():
    """Every environment variable config/settings.py reads."""
    source = (REPO / "config" / "settings.py").read_text()
    return set(re.findall(r"\benv(?:\.\w+)?\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']", source))


def test_production_settings_pass_check_deploy_without_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())

    assert result.returncode == 0, f"check --deploy failed:\n{result.stdout}\n{result.stderr}"
    assert "System check identified no issues" in result.stdout


def test_check_deploy_flags_a_weak_secret_key():
    """The check above is not vacuous: the same command fails on a bad production setting."""
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(SECRET_KEY="short"))

    assert result.returncode != 0
    assert "security.W009" in result.stderr


def test_settings_refuse_to_load_without_secret_key_when_debug_is_off():
    code = (
        "from django.core.exceptions import ImproperlyConfigured\n"
        "try:\n"
        "    import config.settings\n"
        "except ImproperlyConfigured as exc:\n"
        "    print(exc)\n"
        "    raise SystemExit(3)\n"
    )
    result = run_python(code, production_env(SECRET_KEY=None))

    assert result.returncode == 3, result.stderr
    assert "SECRET_KEY must be set" in result.stdout


def test_settings_also_refuse_an_empty_secret_key():
    result = run_python("import config.settings", production_env(SECRET_KEY=""))

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


def test_debug_is_off_unless_asked_for():
    result = run_python("import config.settings as s\nprint(s.DEBUG)", production_env())

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_debug_mode_starts_without_secret_key_for_local_runs():
    """`make run` relies on this: DEBUG=1 and nothing else configured."""
    result = run_python("import config.settings as s\nprint(s.DEBUG)", production_env(SECRET_KEY=None, DEBUG="1"))

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_makemigrations_runs_without_secret_key_but_serving_commands_do_not():
    """A maintainer's `manage.py makemigrations --check` needs no production secrets: it only
    writes code. Commands that serve, migrate or send keep the guard."""
    env = production_env(SECRET_KEY=None, ALLOWED_HOSTS=None)
    env.pop("ACTIONSETS_CODE_ONLY_COMMAND", None)

    result = run_manage("makemigrations", "--check", "--dry-run", env=env)
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout

    refused = run_manage("check", env=env)
    assert refused.returncode != 0
    assert "SECRET_KEY must be set" in refused.stderr


def test_every_setting_read_from_the_environment_is_documented():
    names = settings_env_names()
    env_example = (REPO / ".env.example").read_text()
    readme = (REPO / "README.md").read_text()

    assert {"DATABASE_URL", "SECRET_KEY", "DEBUG", "CELERY_BROKER_URL", "EMAIL_BACKEND"} <= names
    assert sorted(n for n in names if not re.search(rf"^#?\s*{n}=", env_example, re.M)) == []
    assert sorted(n for n in names if f"`{n}`" not in readme) == []


def test_sessions_stay_in_the_database_not_in_the_fail_soft_cache(settings):
    # A sign-out during a Redis outage must not come back from the cache when Redis returns
    # (config/settings.py, docs/benchmarks.md "Sessions"): no cache-backed session engine.
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
