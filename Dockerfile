# One image for the web, worker and beat services of docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
# pyproject.toml declares no packages: `pip install .` installs the pinned dependencies only.
COPY pyproject.toml ./
RUN pip install .

# The whole tree, so that a new app cannot be left out (the enrolment app once was, and the
# image could not start). .dockerignore keeps a developer's .env (secrets), db.sqlite3, .venv
# and test artefacts out of the build context; tests/test_compose.py proves both halves.
COPY . .

# The translation catalogues (docs/translating.md): the .mo files rebuilt from the .po files in
# the tree, so the image never ships stale ones. GNU gettext is needed for this step only.
# DEBUG=1 only lets the settings load without a SECRET_KEY; nothing else runs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && DEBUG=1 python manage.py compilemessages \
    && apt-get purge -y --auto-remove gettext \
    && rm -rf /var/lib/apt/lists/*

# Runs as an unprivileged user. The code stays owned by root (read-only to the app);
# only STATIC_ROOT is writable, because the web service runs collectstatic on start, and
# MEDIA_ROOT, where members' files are kept (a volume in docker-compose.yml; docs/files.md).
RUN useradd --system --uid 10001 --user-group --no-create-home --shell /usr/sbin/nologin app \
    && mkdir -p /app/staticfiles /app/media \
    && chown app:app /app/staticfiles /app/media
USER app

EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
