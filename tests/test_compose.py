"""docker-compose.yml, the Dockerfile and .dockerignore, checked statically (CI has no Docker engine)."""

import os
import posixpath
import re
from pathlib import Path

import pytest
import yaml
from django.apps import apps
from django.conf import settings

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


def dockerfile_instructions() -> list[str]:
    dockerfile = (REPO / "Dockerfile").read_text().replace("\\\n", " ")
    return [line.strip() for line in dockerfile.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_dockerfile_builds_a_non_root_python_311_image():
    instructions = dockerfile_instructions()

    assert instructions[0] == "FROM python:3.11-slim"
    assert any(re.match(r"RUN pip install \.(\s|$)", line) for line in instructions)
    users = [line.split()[1] for line in instructions if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")


# --- The build context: Docker's .dockerignore rules (moby/patternmatcher), applied to the tree.

class DockerIgnore:
    """`.dockerignore` as the Docker engine reads it (github.com/moby/patternmatcher, the code
    `docker build` uses): one pattern a line, `#` comments, patterns cleaned like Go's
    `filepath.Clean` and anchored at the context root (a leading `/` is dropped), `!` re-includes;
    `*` and `?` never cross `/`, `**` matches any number of directories (none included); a path is
    excluded when the last pattern matching it, or one of its parent directories, is not a `!`.
    Unlike .gitignore, `__pycache__` alone matches only at the root: `**/__pycache__` is needed."""

    def __init__(self, text: str):
        self.patterns = []  # (compiled regex, is an exception)
        for line in text.splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            exception = line.startswith("!")
            pattern = line[1:].strip() if exception else line
            pattern = posixpath.normpath(pattern)
            if len(pattern) > 1 and pattern.startswith("/"):
                pattern = pattern.lstrip("/") or "."
            self.patterns.append((re.compile(self._regex(pattern)), exception))

    @staticmethod
    def _regex(pattern: str) -> str:
        regex, i = "^", 0
        while i < len(pattern):
            char = pattern[i]
            if pattern.startswith("**", i):
                i += 2
                if pattern.startswith("/", i):
                    i += 1  # "**/" is "**"
                regex += ".*" if i >= len(pattern) else "(.*/)?"
                continue
            if char == "*":
                regex += "[^/]*"
            elif char == "?":
                regex += "[^/]"
            elif char == "\\" and i + 1 < len(pattern):
                i += 1
                regex += re.escape(pattern[i])
            elif char in ".+()|{}$":  # moby escapes these; the rest ([ ], ^, -) passes to the regex as is
                regex += "\\" + char
            else:
                regex += char
            i += 1
        return regex + "$"

    def excludes(self, path: str) -> bool:
        """Whether `path` (relative to the context root, `/`-separated) stays out of the context."""
        parents = path.split("/")[:-1]
        excluded = False
        for regex, exception in self.patterns:
            if exception != excluded:  # moby: skip what cannot change the outcome
                continue
            match = bool(regex.match(path)) or any(
                regex.match("/".join(parents[: n + 1])) for n in range(len(parents)))
            if match:
                excluded = not exception
        return excluded


@pytest.fixture(scope="module")
def dockerignore():
    path = REPO / ".dockerignore"
    assert path.exists(), ".dockerignore is missing: `COPY . .` would bake .env, db.sqlite3 and .venv into the image"
    return DockerIgnore(path.read_text())


def copied_into_image(relative: str) -> bool:
    """Whether a COPY/ADD from the build context (not from another stage) brings `relative` in."""
    for line in dockerfile_instructions():
        words = line.split()
        if words[0] not in ("COPY", "ADD") or any(w.startswith("--from") for w in words):
            continue
        sources = [w for w in words[1:-1] if not w.startswith("--")]
        for source in sources:
            source = posixpath.normpath(source.lstrip("./") or ".") if source not in (".", "./") else "."
            if source == "." or relative == source or relative.startswith(source + "/"):
                return True
    return False


def required_in_image() -> list[str]:
    """Every app of INSTALLED_APPS that lives in this repository, config/, manage.py, and the
    template, static and translation (LOCALE_PATHS) folders the settings name, relative to the repository root."""
    paths = ["manage.py", "config"]
    for config in apps.get_app_configs():
        location = Path(config.path).resolve()
        if location.is_relative_to(REPO) and REPO / ".venv" not in location.parents:
            paths.append(location.relative_to(REPO).as_posix())
    folders = [Path(d) for t in settings.TEMPLATES for d in t.get("DIRS", [])]
    folders += [Path(d if isinstance(d, str | os.PathLike) else d[1]) for d in settings.STATICFILES_DIRS]
    folders += [Path(d) for d in settings.LOCALE_PATHS]
    paths += [folder.resolve().relative_to(REPO).as_posix() for folder in folders]
    return sorted(set(paths))


def files_under(relative: str) -> list[str]:
    root = REPO / relative
    if root.is_file():
        return [relative]
    found = []
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = [d for d in subdirectories if d != "__pycache__"]
        found += [(Path(directory) / name).relative_to(REPO).as_posix() for name in files
                  if not name.endswith((".pyc", ".pyo"))]
    return found


def test_the_local_apps_config_templates_and_static_folders_are_the_ones_expected():
    """Guards the guard: the list the next test checks is read from settings, not typed twice."""
    required = required_in_image()
    assert {"accounts", "actionsets", "facilitation", "enrolment", "config", "manage.py", "templates",
            "static", "locale"} <= set(required)


def test_every_app_template_and_static_file_is_in_the_images_build_context_and_copied(dockerignore):
    missing = []
    for relative in required_in_image():
        files = files_under(relative)
        assert files, f"{relative} has no files"
        missing += [f"{path}: excluded by .dockerignore" for path in files if dockerignore.excludes(path)]
        missing += [f"{relative}: no COPY in the Dockerfile brings it in"] if not copied_into_image(relative) else []
    assert missing == []


@pytest.mark.parametrize("path", [".env", ".env.production", "db.sqlite3", "db.sqlite3-wal", ".venv/bin/python",
                                  ".git/config", "accounts/__pycache__/models.cpython-311.pyc",
                                  "test-artifacts/screenshots/home.png", "sent-emails/1.log",
                                  "bench/results/pg.json", "static/node_modules/x/index.js", "staticfiles/app.css",
                                  "config/local.pem"])
def test_secrets_databases_and_local_environments_stay_out_of_the_build_context(dockerignore, path):
    assert dockerignore.excludes(path)


def test_env_example_and_the_project_metadata_stay_in(dockerignore):
    for path in (".env.example", "pyproject.toml", "README.md", "manage.py"):
        assert not dockerignore.excludes(path), path


@pytest.mark.parametrize("patterns, path, excluded", [
    ("__pycache__", "__pycache__/x.pyc", True),
    ("__pycache__", "app/__pycache__/x.pyc", False),  # anchored at the root, unlike .gitignore
    ("**/__pycache__", "app/deep/__pycache__/x.pyc", True),
    ("**/__pycache__", "__pycache__/x.pyc", True),  # ** matches no directory too
    ("*.md", "README.md", True),
    ("*.md", "docs/a.md", False),  # * does not cross /
    ("docs/*.md", "docs/a.md", True),
    ("/db.sqlite3", "db.sqlite3", True),
    ("./config/../db.sqlite3", "db.sqlite3", True),  # cleaned like Go's filepath.Clean
    ("bench/results", "bench/results/a/b.json", True),  # a parent directory matching excludes it
    ("bench/results/", "bench/results/a.json", True),
    ("*\n!keep.md", "keep.md", False),
    ("docs\n!docs/keep.md", "docs/keep.md", False),
    ("!x\nfile?.txt", "file1.txt", True),
    ("file?.txt", "file10.txt", False),
    ("[a-c].txt", "b.txt", True),
    ("[^a-c].txt", "b.txt", False),
    ("a/**/b", "a/b", True),
    ("a/**/b", "a/x/y/b", True),
    ("**", "anything/at/all", True),
])
def test_dockerignore_patterns_follow_dockers_rules(patterns, path, excluded):
    assert DockerIgnore(patterns.replace("\\n", "\n")).excludes(path) is excluded
