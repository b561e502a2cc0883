#!/usr/bin/env python3
"""p50/p95 of signed-in searches, in-process, on the benchmark's seeded database (issue 15's target:
p95 under 50 ms on PostgreSQL with ~60,000 replies).

    DATABASE_URL=postgres://…/actionsets_bench python bench/search_latency.py [-n 60] [--profile]

Same settings as the benchmark (DEBUG off, production storage), Django's test client signed in as
the main set's learner (`learner0`), one warm-up request per URL, then `-n` requests per URL,
interleaved. Prints, per URL: p50 and p95 wall time, the median CPU time of this process (Python's
share, steadier than wall time on a loaded machine), the SQL queries and their total time (one
request measured with a query log). `--profile`: cProfile of `-n` requests of the first URL.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]  # bench/profile.py: not stdlib's
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.run import configure_environment  # noqa: E402


def urls(world) -> list[tuple[str, str]]:
    from django.urls import reverse

    main = world["main_set"]
    return [
        ("/search/?q=deadline+team", reverse("search") + "?q=deadline+team"),
        (f"/sets/{main}/search/?q=trust", reverse("actionsets:search", args=[main]) + "?q=trust"),
        ('/search/?q="line manager"&round=2', reverse("search") + "?q=%22line+manager%22&round=2"),
        ("/search/?q=zebra (no match)", reverse("search") + "?q=zebra"),
        ("set page (for scale)", reverse("actionsets:set_home", args=[main])),
    ]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=60, help="requests per URL (default 60)")
    parser.add_argument("--profile", action="store_true", help="cProfile the first URL instead")
    args = parser.parse_args(argv)
    configure_environment(argparse.Namespace(smoke=False))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench import seed

    call_command("collectstatic", interactive=False, verbosity=0)
    world = seed.describe(seed.FULL)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(world["member"])
    pages = urls(world)
    facts = {}
    for label, path in pages:
        assert client.get(path).status_code == 200, path
        with CaptureQueriesContext(connection) as ctx:
            client.get(path)
        facts[label] = (len(ctx.captured_queries), sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.n):
            client.get(pages[0][1])
        profiler.disable()
        pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(int(os.environ.get("TOP", "70")))
        return 0
    times: dict[str, list[float]] = {label: [] for label, _ in pages}
    cpu: dict[str, list[float]] = {label: [] for label, _ in pages}
    for _ in range(args.n):
        for label, path in pages:
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(path)
            times[label].append((time.perf_counter() - started) * 1000)
            cpu[label].append((time.process_time() - cpu_started) * 1000)
            assert response.status_code == 200
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'URL (member of one set)':45} {'p50 ms':>8} {'p95 ms':>8} {'CPU ms':>8} {'queries':>8} {'SQL ms':>8}")
    for label, _ in pages:
        queries, sql_ms = facts[label]
        print(f"{label:45} {statistics.median(times[label]):8.1f} {percentile(times[label], 0.95):8.1f} "
              f"{statistics.median(cpu[label]):8.1f} {queries:8d} {sql_ms:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
