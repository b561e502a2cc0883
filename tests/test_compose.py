"""docker-compose.yml and the Dockerfile, checked statically (CI has no Docker engine)."""

import re

import pytest
import yaml

from .test_deploy import REPO, settings_env_names

APP_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def services():
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())["services"]


def environment(service):
    env = service.get("environment") or {}
    if isinstance(env, list):  # the `- NAME=value` form
        env = dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return env


def command(service):
    cmd = service.get("command", "")
    return " ".join(cmd) if isinstance(cmd, list) else cmd


def test_compose_defines_the_production_services(services):
    assert {"postgres", "redis", "web", "worker", "beat", "mailpit"} <= set(services)
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    assert "mailpit" in services["mailpit"]["image"]


def test_web_migrates_collects_static_and_serves_with_several_gunicorn_workers(services):
    cmd = command(services["web"])

    assert "manage.py migrate" in cmd
    assert "manage.py collectstatic --noinput" in cmd
    assert cmd.index("migrate") < cmd.index("gunicorn")
    assert "gunicorn config.wsgi" in cmd
    workers = re.search(r"--workers\s+(?:\$\{\w+:-)?(\d+)", cmd)
    assert workers and int(workers.group(1)) >= 2


def test_worker_and_beat_run_the_config_celery_app(services):
    assert "celery -A config worker" in command(services["worker"])
    assert "celery -A config beat" in command(services["beat"])


def test_beat_never_runs_more_than_one_replica(services):
    beat = services["beat"]

    assert beat.get("deploy", {}).get("replicas", 1) == 1
    assert beat.get("scale", 1) == 1


def test_web_worker_and_beat_share_one_environment(services):
    names = [set(environment(services[name])) for name in APP_SERVICES]

    assert names[0] == names[1] == names[2]


def test_app_environment_uses_only_names_the_settings_read(services):
    """A misspelt variable in compose would be silently ignored by the settings."""
    env = environment(services["web"])

    assert sorted(set(env) - settings_env_names()) == []
    required = {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "SECRET_KEY", "ALLOWED_HOSTS",
                "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "SITE_URL"}
    assert sorted(required - set(env)) == []


def test_app_environment_points_at_the_compose_services(services):
    env = environment(services["web"])

    assert "@postgres:5432/" in env["DATABASE_URL"]
    assert env["CELERY_BROKER_URL"].startswith("redis://redis:6379/")
    assert env["REDIS_URL"].startswith("redis://redis:6379/")
    assert env["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert env["EMAIL_HOST"] == "mailpit"
    assert str(env["EMAIL_PORT"]) == "1025"


def test_compose_runs_with_debug_off_and_demands_a_secret_key(services):
    env = environment(services["web"])

    assert str(env.get("DEBUG", "0")).lower() in ("0", "false", "off", "")
    assert env["SECRET_KEY"].startswith("${SECRET_KEY:?"), "no default SECRET_KEY may ship in compose"


def test_mailpit_web_ui_is_published_on_loopback_only(services):
    ports = [str(port) for port in services["mailpit"].get("ports", [])]

    assert ports and all(port.startswith("127.0.0.1:") for port in ports)
    assert any(port.endswith(":8025") for port in ports)


def test_dockerfile_builds_a_non_root_python_311_image_without_the_working_tree():
    dockerfile = (REPO / "Dockerfile").read_text()
    instructions = [line.strip() for line in dockerfile.splitlines() if line.strip() and not line.lstrip().startswith("#")]

    assert instructions[0] == "FROM python:3.11-slim"
    assert any(re.match(r"RUN pip install \.(\s|$)", line) for line in instructions)
    users = [line.split()[1] for line in instructions if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    # `COPY . .` would bake a developer's .env and db.sqlite3 into the image.
    assert not any(re.match(r"(COPY|ADD)\s+\.\s", line) for line in instructions)
