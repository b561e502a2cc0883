#!/usr/bin/env python3
"""The benchmark: seed a large installation, serve it with gunicorn, load each page with wrk.

    python bench/run.py                 # full size, SQLite scratch file, 3 runs × 20 s per page
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python bench/run.py
    python bench/run.py --smoke         # tiny data, 1 run × 2 s (CI keeps the harness working)
    python bench/run.py --no-jobs       # pages only: skip the digest run and the CSV enrolment

See docs/benchmarks.md for what it measures, the budgets and the latest figures.
"""

import argparse
import os
import platform
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import wrk  # noqa: E402  (after the path fix, before Django is configured)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="tiny data, 1 run of 2 s per page")
    parser.add_argument("--runs", type=int, help="runs per page (default 3; smoke 1)")
    parser.add_argument("--seconds", type=float, help="seconds per run (default 20; smoke 2)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--reseed", action="store_true", help="rebuild the seed even if present")
    parser.add_argument("--results-dir", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--only", help="comma-separated page keys to load (the ceiling is always loaded)")
    parser.add_argument("--jobs", action=argparse.BooleanOptionalAction, default=True,
                        help="after the loads, time the digest run (5,000 users) and the CSV enrolment "
                             "(5,000 rows); smoke: tiny sizes (default: on)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a budget or error check fails")
    args = parser.parse_args(argv)
    args.runs = args.runs or (1 if args.smoke else 3)
    args.seconds = args.seconds or (2 if args.smoke else 20)
    return args


def configure_environment(args) -> None:
    """Production settings, loopback only; the same env is inherited by gunicorn."""
    env = os.environ
    scratch = Path(tempfile.gettempdir()) / "actionsets-bench"
    scratch.mkdir(exist_ok=True)
    size = "smoke" if args.smoke else "full"
    env.setdefault("DATABASE_URL", f"sqlite:///{scratch / f'{size}.sqlite3'}")
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env.pop("ACTIONSETS_TESTING", None)
    env["DEBUG"] = "0"
    env.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    env["SECURE_SSL_REDIRECT"] = "0"  # plain HTTP on loopback; everything else as deployed
    env["BENCH_CEILING"] = "1"
    env["LOG_LEVEL"] = "WARNING"
    env["CELERY_BROKER_URL"] = ""  # tasks in-process: the jobs publish nothing to a real broker
    env["STATIC_ROOT"] = tempfile.mkdtemp(prefix="actionsets-bench-static-")


def ensure_database() -> None:
    """Create the PostgreSQL database named in DATABASE_URL when it does not exist yet."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    import psycopg2

    params = connection.settings_dict
    try:
        connection.ensure_connection()
        return
    except Exception:  # noqa: BLE001 - most likely "database does not exist": try creating it
        pass
    admin = psycopg2.connect(dbname="postgres", user=params["USER"], password=params["PASSWORD"],
                             host=params["HOST"] or None, port=params["PORT"] or None)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{params["NAME"]}"')
    admin.close()


def ceiling_path() -> str:
    from django.urls import Resolver404, resolve

    if (ROOT / "config" / "health.py").exists():
        try:
            resolve("/healthz")
            return "/healthz?shallow=1"
        except Resolver404:
            pass
    return "/bench/ceiling"


def sign_in(world: dict) -> dict:
    """A session per role, made by the test client (a real session row): queries are counted with it."""
    from django.conf import settings
    from django.test import Client

    clients = {}
    for role in ("member", "facilitator"):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(world[role])
        clients[role] = client
    cookies = {role: f"{settings.SESSION_COOKIE_NAME}={c.cookies[settings.SESSION_COOKIE_NAME].value}"
               for role, c in clients.items()}
    return {"clients": clients, "cookies": cookies}


def count_queries(client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm-up: the first visit may move a read marker
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code} to the test client")
    return len(ctx.captured_queries)


def main(argv=None) -> int:
    args = parse_args(argv)
    # A terminated benchmark still stops its gunicorn (the `finally` in bench.server.gunicorn).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        wrk.wrk_path()
    except wrk.WrkMissing as missing:
        print(missing, file=sys.stderr)
        return 2
    configure_environment(args)
    import django

    django.setup()
    try:
        return Bench(args).run()
    finally:
        shutil.rmtree(os.environ["STATIC_ROOT"], ignore_errors=True)


class Bench:
    def __init__(self, args):
        self.args = args
        self.started = time.monotonic()

    def log(self, message: str) -> None:
        print(f"[{time.monotonic() - self.started:6.1f}s] {message}", flush=True)

    def run(self) -> int:
        from django.core.management import call_command
        from django.db import connection

        from bench import seed

        ensure_database()
        self.log(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
        call_command("migrate", interactive=False, verbosity=0)
        size = seed.SMOKE if self.args.smoke else seed.FULL
        try:
            world = seed.ensure(size, reseed=self.args.reseed, log=self.log)
        except seed.NotScratch as error:
            print(f"refusing to seed: {error}", file=sys.stderr)
            return 2
        self.log(f"seeded: {world['counts']}")
        call_command("collectstatic", interactive=False, verbosity=0)
        world["ceiling_path"] = ceiling_path()
        pages, skipped = self._pages(world)
        session = sign_in(world)
        measured = {p.key: self._static_facts(p, path, session) for p, path in pages}
        connection.close()  # gunicorn's workers are the ones using the database now
        self.log(f"serving with gunicorn; ceiling at {world['ceiling_path']}")
        from bench import server

        with server.gunicorn(ready_path=world["ceiling_path"]) as served:
            base = served.url
            for page, path in pages:
                status, body = server.get(base + path, cookie=session["cookies"].get(page.as_user))
                if status != 200:
                    raise RuntimeError(f"{path} answered {status} over HTTP: is the session valid?")
                measured[page.key]["bytes"] = len(body)
            runs = self._load(served, pages, session["cookies"])
        jobs = self._jobs(world)
        return self._report(world, pages, skipped, measured, runs, jobs)

    def _pages(self, world):
        from bench.pages import CEILING, PAGES

        wanted = set(self.args.only.split(",")) if self.args.only else None
        pages, skipped = [(CEILING, world["ceiling_path"])], []
        for page in PAGES:
            if wanted is not None and page.key not in wanted:
                continue
            path = page.path(world)
            if path is None:
                skipped.append({"key": page.key, "label": page.label, "reason": f"URL not there yet — {page.note}"})
            else:
                pages.append((page, path))
        return pages, skipped

    def _static_facts(self, page, path, session) -> dict:
        if page.as_user is None:
            return {"queries": None}
        return {"queries": count_queries(session["clients"][page.as_user], path)}

    def _load(self, served, pages, cookies) -> dict:
        """Interleave the runs (all pages, then again) so noise on this shared machine spreads evenly."""
        runs: dict = {p.key: [] for p, _ in pages}
        for n in range(self.args.runs):
            for page, path in pages:
                result = wrk.run(served.url + path, seconds=self.args.seconds, connections=self.args.connections,
                                 cookie=cookies.get(page.as_user), cpu_seconds=served.cpu_seconds)
                runs[page.key].append(result)
                cpu = f"{result.cpu_ms_per_request:6.2f}" if result.cpu_ms_per_request is not None else "     —"
                self.log(f"run {n + 1}/{self.args.runs} {page.key:<11} {result.rps:8.1f} req/s  "
                         f"p50 {result.p50_ms:7.1f} ms  p99 {result.p99_ms:7.1f} ms  CPU {cpu} ms/req  errors "
                         f"{result.non_2xx_3xx + result.socket_errors}")
                if page.p95_ms is not None:  # the latency budget: one connection, no queue
                    latency = wrk.run(served.url + path, seconds=self.args.seconds, connections=1,
                                      cookie=cookies.get(page.as_user))
                    runs.setdefault(f"{page.key}:latency", []).append(latency)
                    self.log(f"run {n + 1}/{self.args.runs} {page.key:<11} one connection: p50 {latency.p50_ms:7.1f} ms"
                             f"  p95 {latency.p95_ms or 0:7.1f} ms (budget {page.p95_ms:.0f} ms)  errors "
                             f"{latency.non_2xx_3xx + latency.socket_errors}")
        return runs

    def _jobs(self, world) -> list[dict]:
        """Batch jobs (bench/jobs.py), run once each in-process: each seeds its own data, reports
        the seconds and SQL queries of what it measures, and deletes its data again."""
        from bench.pages import JOBS
        from bench.seed import NotScratch

        if not self.args.jobs:
            return []
        results = []
        for job in JOBS:
            if not job.available():
                results.append({"key": job.key, "label": job.label, "skipped": "not there yet"})
                continue
            self.log(f"job {job.key}: {job.label} ({world['size']} size)")
            try:
                rows = job.run(world, self.log)
            except NotScratch as error:
                print(f"refusing to seed job {job.key}: {error}", file=sys.stderr)
                results.append({"key": job.key, "label": job.label, "skipped": "not a scratch database"})
                continue
            for row in rows:
                results.append(row)
                self.log(f"job {row['key']}: {row['seconds']:.2f} s, {row['queries']:,} queries — {row['note']}")
        return results

    def _report(self, world, pages, skipped, measured, runs, jobs) -> int:
        from django.db import connection

        from bench import report

        ceiling = report.summarise(pages[0][0], runs["ceiling"], path=pages[0][1], queries=None,
                                   size=measured["ceiling"]["bytes"], ceiling=None)
        rows = [ceiling] + [
            report.summarise(p, runs[p.key], path=path, queries=measured[p.key]["queries"],
                             size=measured[p.key]["bytes"], ceiling=ceiling, latency_runs=runs.get(f"{p.key}:latency"))
            for p, path in pages[1:]
        ]
        print()
        print(report.table(rows, skipped))
        if jobs:
            print()
            print(report.jobs_table(jobs))
        document = {"meta": self._meta(world), "pages": rows, "skipped": skipped, "jobs": jobs}
        written = report.write_json(self.args.results_dir, connection.vendor, document)
        failed = [r["key"] for r in rows if not r["passed"]]
        print(f"\n{'all budgets met, no errors' if not failed else 'NOT within budget: ' + ', '.join(failed)}")
        print(f"results: {written}")
        return 1 if failed and self.args.strict else 0

    def _meta(self, world) -> dict:
        import django
        from django.db import connection

        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        return {
            "size": world["size"], "counts": world["counts"], "runs": self.args.runs,
            "seconds_per_run": self.args.seconds, "connections": self.args.connections, "workers": 2,
            "database": connection.vendor, "database_version": _database_version(connection),
            "python": platform.python_version(), "django": django.get_version(), "cpus": os.cpu_count(),
            "load_average_after": os.getloadavg(), "git_commit": commit.stdout.strip(),
            "wall_seconds": round(time.monotonic() - self.started, 1),
        }


def _database_version(connection) -> str:
    if connection.vendor == "sqlite":
        return ".".join(map(str, connection.Database.sqlite_version_info))
    number = connection.cursor().connection.server_version  # e.g. 150020
    return f"{number // 10000}.{number % 100}"


if __name__ == "__main__":
    sys.exit(main())
