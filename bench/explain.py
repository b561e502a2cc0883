#!/usr/bin/env python3
"""EXPLAIN ANALYZE every query of the benchmark's pages on the seeded database (PostgreSQL).

    DATABASE_URL=postgres://…/bench python bench/explain.py [page-key …]

Prints each query's plan and flags sequential scans on the big tables, the sign of a missing index.
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.run import configure_environment, count_queries  # noqa: E402,F401

BIG_TABLES = ("actionsets_reply", "actionsets_readmarker", "actionsets_airtime", "actionsets_membership",
              "actionsets_actioncommitment", "accounts_user", "django_session")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pages", nargs="*", help="page keys (default: all)")
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args(argv)
    configure_environment(argparse.Namespace(smoke=args.smoke))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench import seed
    from bench.pages import PAGES
    from bench.run import sign_in

    if connection.vendor != "postgresql":
        print("EXPLAIN ANALYZE here is for PostgreSQL: set DATABASE_URL", file=sys.stderr)
        return 2
    call_command("collectstatic", interactive=False, verbosity=0)
    world = seed.describe(seed.SMOKE if args.smoke else seed.FULL)
    clients = sign_in(world)["clients"]
    flagged = 0
    for page in PAGES:
        path = page.path(world)
        if path is None or (args.pages and page.key not in args.pages):
            continue
        clients[page.as_user].get(path)
        with CaptureQueriesContext(connection) as ctx:
            clients[page.as_user].get(path)
        print(f"\n=== {page.key} {path}: {len(ctx.captured_queries)} queries")
        for query in ctx.captured_queries:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN ANALYZE " + query["sql"])
                plan = "\n".join(row[0] for row in cursor.fetchall())
            seq = [t for t in BIG_TABLES if f"Seq Scan on {t}" in plan]
            flagged += bool(seq)
            timing = plan.strip().splitlines()[-1]
            print(f"\n-- {query['sql'][:160]}…\n   {timing}{'   SEQ SCAN: ' + ', '.join(seq) if seq else ''}")
            if seq or os.environ.get("EXPLAIN_ALL"):
                print(plan)
    print(f"\n{flagged} queries with sequential scans on big tables")
    return 0


if __name__ == "__main__":
    sys.exit(main())
