# ActionSets developer commands.  `make run` for a first look, `make test` for the suite.
# Every command uses the project virtualenv (.venv/bin/...) explicitly; nothing needs activating.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Touched after a successful install; pip runs again only when pyproject.toml changes.
STAMP  := $(VENV)/.installed-dev

# Only the worker and beat targets fall back to a local Redis. `make run` and `make test`
# see CELERY_BROKER_URL only if you set it yourself (unset = tasks run in-process).
CELERY_BROKER_URL ?= redis://127.0.0.1:6379/0

PYTEST_ARGS ?=
TEST_WORKERS ?= auto
BENCH_ARGS  ?=

DEMO_PASSWORD := demo-pass-123

# `make run PORT=8080`: the development server's port; links in emails follow it (SITE_URL)
# unless SITE_URL is set in the environment or in .env.
PORT ?= 8000
# `make emails NOW=2026-11-24T07:30:00Z`: the moment the email commands evaluate (empty = now).
NOW ?=

.PHONY: help venv run messages compilemessages emails test test-fast audit bench bench-pg bench-smoke resilience resilience-short bench-digests bench-enrolment bench-dashboard bench-allocation test-browser test-integration worker beat check-deploy clean distclean

help:
	@echo "make run           migrate, seed demo data, serve http://127.0.0.1:8000 (DEBUG=1, SQLite; PORT=8080)"
	@echo "make messages      refresh locale/*/LC_MESSAGES/*.po from the code (es, de; docs/translating.md)"
	@echo "make emails        send the digests, nudges and outbox emails due now (NOW=2026-11-24T07:30:00Z)"
	@echo "make test          the whole test suite, hermetic: no network (honours DATABASE_URL, REDIS_URL; PYTEST_ARGS=...)"
	@echo "make test-fast     the edit-test loop: no browser/resilience/bench tests, every core, --reuse-db"
	@echo "make audit         the pinned dependencies against PyPI today (needs the network; CI's own step)"
	@echo "make bench         the page benchmark (BENCH_ARGS=...; bench-pg on PostgreSQL; bench-smoke; docs/benchmarks.md)"
	@echo "make resilience    load and faults on PostgreSQL (restarts it; run alone); resilience-short"
	@echo "make bench-digests | bench-enrolment | bench-dashboard | bench-allocation   focused benchmarks (PostgreSQL scratch DBs)"
	@echo "make test-browser  real-Chromium tests only; make test-integration: PostgreSQL/Redis/worker tests"
	@echo "make worker        a Celery worker   (CELERY_BROKER_URL, default $(CELERY_BROKER_URL))"
	@echo "make beat          Celery beat; run exactly one"
	@echo "make check-deploy  manage.py check --deploy with production settings"
	@echo "make venv          create .venv and install the project with its dev extras"
	@echo "make clean         remove generated files (keeps .venv and db.sqlite3)"
	@echo "make distclean     clean, and remove .venv too (keeps db.sqlite3)"

venv: $(STAMP)

# Playwright comes in as a Python package only (dev extras). The browser tests drive the
# system Chromium (CHROMIUM_PATH); `playwright install` is never run.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

run: $(STAMP) compilemessages
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py seed_demo
	@echo
	@echo "Demo accounts, all with the password $(DEMO_PASSWORD):"
	@echo "  admin@example.com                     staff admin (no access to set content)"
	@echo "  fac.a@example.com, fac.b@example.com  facilitators of Set A and Set B"
	@echo "  a1@example.com ... a5@example.com     learners in Set A (a6 joined late; a7 was removed)"
	@echo "  b1@example.com ... b6@example.com     learners in Set B"
	@echo
	@if [ -z "$${SITE_URL:-}" ] && ! grep -qs '^[[:space:]]*SITE_URL=' .env; then export SITE_URL=http://127.0.0.1:$(PORT); fi; \
		echo "SITE_URL=$${SITE_URL:-(from .env)}"; \
		DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The translation catalogues (docs/translating.md): every string marked in Python, templates and
# static/js, merged into locale/<lang>/LC_MESSAGES/django.po and djangojs.po. Needs GNU gettext.
LOCALES := es de
MESSAGES_IGNORE := --ignore=.venv --ignore=tests --ignore=bench --ignore=staticfiles --ignore=test-artifacts
messages: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py makemessages $(addprefix -l ,$(LOCALES)) $(MESSAGES_IGNORE) --no-obsolete
	DEBUG=1 $(BIN)/python manage.py makemessages -d djangojs $(addprefix -l ,$(LOCALES)) $(MESSAGES_IGNORE) --no-obsolete
	$(MAKE) --no-print-directory compilemessages

# The .mo files Django reads. Committed too, so a checkout runs without gettext installed;
# tests/i18n/test_catalogues.py fails when one no longer matches its .po.
# Without GNU gettext (msgfmt) the committed .mo files are used as they are.
compilemessages: $(STAMP)
	@if command -v msgfmt >/dev/null 2>&1; then \
		DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv; \
	else echo "msgfmt (GNU gettext) not found: using the committed .mo files"; fi

# What the beat would send at NOW, printed to the terminal (the console email backend) unless
# EMAIL_BACKEND says otherwise: digests, then nudges and round emails, then the outbox sweep.
emails: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py send_digests $(if $(NOW),--now '$(NOW)')
	DEBUG=1 $(BIN)/python manage.py send_nudges $(if $(NOW),--now '$(NOW)')
	DEBUG=1 $(BIN)/python manage.py send_outbox

# Hermetic: tests/network_guard.py refuses every connection beyond loopback, so an upstream
# release or an outage can never turn the suite red. Checks that need today's internet are in `audit`.
# The whole suite: what CI runs (a fresh test database every time: no --reuse-db), on every core
# (pytest-xdist). `--dist load` hands tests out in collection order, and pytest-django collects the
# transactional tests (live servers, real Celery workers) last, so on every worker they still run
# after the ordinary ones: a transactional test's flush empties the rows data migrations made (the
# default coding scheme), which later ordinary tests expect. Each worker has its own test database
# and its own Redis database (config/settings_test.py).
# TEST_WORKERS=0 runs it in one process.
test: $(STAMP)
	$(BIN)/pytest -n $(TEST_WORKERS) --dist load $(PYTEST_ARGS)

# The edit-test loop: no browser, resilience or benchmark tests, on every core, the test
# database kept between runs (--reuse-db; add --create-db after a migration changes).
test-fast: $(STAMP)
	$(BIN)/pytest -q -n auto --reuse-db -m "not browser and not resilience and not bench" $(PYTEST_ARGS)

# The dependency audit (tests/security/audit_dependencies.py): pip-audit, then PyPI's JSON API.
# It asks about today's releases, so it may fail on a day nothing here changed: that is its job.
audit: $(STAMP)
	$(BIN)/python -m tests.security.audit_dependencies

BENCH_PG := postgres://postgres@127.0.0.1:5432

# The page benchmark (docs/benchmarks.md): seeds a large installation into DATABASE_URL's
# database (default: a scratch SQLite file), serves it with gunicorn and loads it with wrk.
bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

bench-pg: $(STAMP)
	DATABASE_URL=$${BENCH_DATABASE_URL:-$(BENCH_PG)/actionsets_bench} $(BIN)/python bench/ensure_db.py
	DATABASE_URL=$${BENCH_DATABASE_URL:-$(BENCH_PG)/actionsets_bench} $(BIN)/python bench/run.py $(BENCH_ARGS)

bench-smoke: $(STAMP)
	$(BIN)/python bench/run.py --smoke --results-dir /tmp/actionsets-bench-smoke

# Load and faults on PostgreSQL (docs/quality-gates.md). The full run restarts PostgreSQL and
# stops Redis: run it alone. The short form (10 s of 50 posters) is part of `make test`.
resilience: $(STAMP)
	RESILIENCE_FULL=1 $(BIN)/pytest -q -m resilience tests/resilience $(PYTEST_ARGS)

resilience-short: $(STAMP)
	$(BIN)/pytest -q -m resilience tests/resilience $(PYTEST_ARGS)

# Focused benchmarks of single capabilities (docs/benchmarks.md); each seeds its own data into
# a scratch database, PostgreSQL by default.

bench-digests: $(STAMP)
	DATABASE_URL=$${BENCH_DATABASE_URL:-$(BENCH_PG)/bench_digests} $(BIN)/python bench/ensure_db.py
	DATABASE_URL=$${BENCH_DATABASE_URL:-$(BENCH_PG)/bench_digests} \
		$(BIN)/python bench/digest_bench.py --reset $(BENCH_ARGS)

bench-enrolment: $(STAMP)
	DATABASE_URL=$${BENCH_DATABASE_URL:-$(BENCH_PG)/bench_enrolment} $(BIN)/python bench/ensure_db.py
	DATABASE_URL=$${BENCH_DATABASE_URL:-$(BENCH_PG)/bench_enrolment} \
		$(BIN)/python bench/enrolment_bench.py --rows 5000 $(BENCH_ARGS)

bench-allocation: $(STAMP)
	DATABASE_URL=$${BENCH_DATABASE_URL:-$(BENCH_PG)/bench_allocation} $(BIN)/python bench/ensure_db.py
	DATABASE_URL=$${BENCH_DATABASE_URL:-$(BENCH_PG)/bench_allocation} \
		$(BIN)/python bench/allocation_bench.py --learners 5000 $(BENCH_ARGS)

bench-dashboard: $(STAMP)
	DATABASE_URL=$${BENCH_DATABASE_URL:-$(BENCH_PG)/bench_dashboard} $(BIN)/python bench/ensure_db.py
	DATABASE_URL=$${BENCH_DATABASE_URL:-$(BENCH_PG)/bench_dashboard} \
		$(BIN)/python bench/dashboard_bench.py --replies 2000 $(BENCH_ARGS)

# Subsets of the suite: real Chromium, and the tests that need PostgreSQL/Redis/a worker.
test-browser: $(STAMP)
	$(BIN)/pytest -q -m browser $(PYTEST_ARGS)

test-integration: $(STAMP)
	ACTIONSETS_REQUIRE_INTEGRATION=1 $(BIN)/pytest -m integration $(PYTEST_ARGS)

# Local development workers: DEBUG defaults to 1 so they start without a SECRET_KEY, like
# `make run`. For the web process to queue tasks here rather than run them in-process,
# start it with the same CELERY_BROKER_URL.
worker: $(STAMP)
	DEBUG=$${DEBUG:-1} CELERY_BROKER_URL='$(CELERY_BROKER_URL)' \
		$(BIN)/celery -A config worker --loglevel info

# Exactly one beat per deployment: a second one would enqueue every periodic task twice.
# Its schedule file lives in .venv so that it stays out of the working tree.
beat: $(STAMP)
	DEBUG=$${DEBUG:-1} CELERY_BROKER_URL='$(CELERY_BROKER_URL)' \
		$(BIN)/celery -A config beat --loglevel info --schedule $(VENV)/celerybeat-schedule

# Production settings: DEBUG off, the test flag removed, a throwaway SECRET_KEY unless you
# set one, and ALLOWED_HOSTS=example.org unless you set it. Any warning fails.
check-deploy: $(STAMP)
	env -u ACTIONSETS_TESTING DJANGO_SETTINGS_MODULE=config.settings DEBUG=0 \
		SECRET_KEY="$${SECRET_KEY:-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')}" \
		ALLOWED_HOSTS="$${ALLOWED_HOSTS:-example.org}" \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf staticfiles sent-emails test-artifacts .pytest_cache $(VENV)/celerybeat-schedule*
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) *.egg-info
