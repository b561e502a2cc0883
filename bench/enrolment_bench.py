"""Benchmark: enrol 5,000 people from one CSV file — preview and commit time and query counts.

Run against PostgreSQL (a database of its own; it is migrated first):

    createdb -h 127.0.0.1 -U postgres actionsets_bench   # once
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/actionsets_bench \
        .venv/bin/python bench/enrolment_bench.py --rows 5000

The file mixes what a real intake has: mostly new learners over 25 sets, a facilitator or two
per set, some people who already have an account, some already enrolled, a few bad rows.
Results are printed and saved to bench/results/enrolment-<rows>-<vendor>.json.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("ACTIONSETS_TESTING", "1")  # embedded secret key; nothing is served
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")


def _csv(rows: int, stamp: str, sets: list[str], existing: list[str], enrolled: list[tuple[str, str]]) -> bytes:
    lines = ["email,display_name,set,role,timezone"]
    for n in range(2 * len(sets)):
        lines.append(f"fac{n}@{stamp}.bench.example,Facilitator {n},{sets[n % len(sets)]},facilitator,Europe/London")
    lines += [f"{email},Existing {i},{sets[i % len(sets)]},learner," for i, email in enumerate(existing)]
    lines += [f"{email},Enrolled,{set_name},learner," for email, set_name in enrolled]
    bad = max(1, rows // 500)
    lines += [f"bad-address-{n},Bad,{sets[0]},learner," for n in range(bad)]
    n = 0
    while len(lines) - 1 < rows:
        lines.append(f"learner{n}@{stamp}.bench.example,Learner Zoë {n},{sets[n % len(sets)]},learner,")
        n += 1
    return ("\n".join(lines) + "\n").encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--sets", type=int, default=25)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core import mail
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from actionsets.models import ActionSet, Cohort, Membership
    from enrolment import services

    call_command("migrate", verbosity=0)
    mail.outbox = []
    stamp = str(int(time.time()))
    cohort = Cohort.objects.create(name=f"Bench {stamp}", slug=f"bench-{stamp}")
    sets = [ActionSet.objects.create(cohort=cohort, name=f"Set {n:02d}", slug=f"bench-{stamp}-{n}").name
            for n in range(args.sets)]
    staff = User.objects.create_user(email=f"staff-{stamp}@bench.example", is_staff=True)
    existing = [User.objects.create_user(email=f"old{stamp}-{i}@bench.example").email for i in range(args.rows // 10)]
    enrolled = []
    for i in range(args.rows // 20):
        user = User.objects.create_user(email=f"in{stamp}-{i}@bench.example")
        action_set = ActionSet.objects.get(cohort=cohort, name=sets[i % len(sets)])
        Membership.objects.create(user=user, action_set=action_set)
        enrolled.append((user.email, action_set.name))
    data = _csv(args.rows, stamp, sets, existing, enrolled)
    results = {"rows": args.rows, "bytes": len(data), "vendor": connection.vendor}

    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        batch = services.preview_enrolment(cohort=cohort, uploaded_by=staff, data=data, filename="bench.csv")
        results["preview_seconds"] = round(time.perf_counter() - started, 3)
    results["preview_queries"] = len(ctx.captured_queries)
    results["totals"] = batch.totals

    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        with transaction.atomic():  # hold back on_commit (emails) to time the database part alone
            batch = services.commit_enrolment(batch=batch, actor=staff)
            results["commit_seconds"] = round(time.perf_counter() - started, 3)
            results["commit_queries"] = len(ctx.captured_queries)
            emails_started = time.perf_counter()
        results["commit_and_invitations_seconds"] = round(time.perf_counter() - started, 3)
        results["invitation_email_seconds"] = round(time.perf_counter() - emails_started, 3)
    results["queries_including_invitation_emails"] = len(ctx.captured_queries)
    results["invitations_sent"] = len(mail.outbox)
    results["new_memberships"] = batch.result["new_memberships"]

    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        again = services.preview_enrolment(cohort=cohort, uploaded_by=staff, data=data, filename="bench.csv")
        results["reimport_preview_seconds"] = round(time.perf_counter() - started, 3)
        services.commit_enrolment(batch=again, actor=staff)
    results["reimport_new_memberships"] = again.totals["new_memberships"]
    results["reimport_queries"] = len(ctx.captured_queries)

    out = ROOT / "bench" / "results" / f"enrolment-{args.rows}-{connection.vendor}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
