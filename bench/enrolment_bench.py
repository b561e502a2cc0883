"""Benchmark: enrol 5,000 people from one CSV file — preview and commit time and query counts.

Run against PostgreSQL (a database of its own; it is migrated first):

    createdb -h 127.0.0.1 -U postgres actionsets_bench   # once
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/actionsets_bench \
        .venv/bin/python bench/enrolment_bench.py --rows 5000

The file mixes what a real intake has: mostly new learners over 25 sets, a facilitator or two
per set, some people who already have an account, some already enrolled, a few bad rows.
Results are printed and saved to bench/results/enrolment-<rows>-<vendor>.json.
`prepare()` and `measure()` are also used by the page benchmark (bench/jobs.py).
"""

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Intake:
    """What `prepare` made: a cohort with its sets and some people, and the file to enrol."""

    cohort: object  # actionsets.models.Cohort
    staff: object  # the accounts.models.User who uploads and commits
    data: bytes
    rows: int


def _csv(rows: int, address, sets: list[str], existing: list[str], enrolled: list[tuple[str, str]]) -> bytes:
    lines = ["email,display_name,set,role,timezone"]
    for n in range(2 * len(sets)):
        lines.append(f"{address(f'fac{n}')},Facilitator {n},{sets[n % len(sets)]},facilitator,Europe/London")
    lines += [f"{email},Existing {i},{sets[i % len(sets)]},learner," for i, email in enumerate(existing)]
    lines += [f"{email},Enrolled,{set_name},learner," for email, set_name in enrolled]
    bad = max(1, rows // 500)
    lines += [f"bad-address-{n},Bad,{sets[0]},learner," for n in range(bad)]
    n = 0
    while len(lines) - 1 < rows:
        lines.append(f"{address(f'learner{n}')},Learner Zoë {n},{sets[n % len(sets)]},learner,")
        n += 1
    return ("\n".join(lines) + "\n").encode("utf-8")


def prepare(*, rows: int = 5000, sets: int = 25, tag: str = "", domain: str = "bench.example") -> Intake:
    """A cohort of `sets` empty sets, a staff user, rows/10 people with an account and rows/20
    already enrolled, and the CSV. Cohort and set slugs and every address start with `tag`
    (default `bench-<unix time>`), so a second run in the same database does not collide."""
    from accounts.models import User
    from actionsets.models import ActionSet, Cohort, Membership

    tag = tag or f"bench-{int(time.time())}"

    def address(local: str) -> str:
        return f"{tag}-{local}@{domain}"

    cohort = Cohort.objects.create(name=f"Bench {tag}", slug=tag)
    names = [ActionSet.objects.create(cohort=cohort, name=f"Set {n:02d}", slug=f"{tag}-{n}").name for n in range(sets)]
    staff = User.objects.create_user(email=address("staff"), is_staff=True)
    existing = [User.objects.create_user(email=address(f"old{i}")).email for i in range(rows // 10)]
    enrolled = []
    for i in range(rows // 20):
        user = User.objects.create_user(email=address(f"in{i}"))
        action_set = ActionSet.objects.get(cohort=cohort, name=names[i % len(names)])
        Membership.objects.create(user=user, action_set=action_set)
        enrolled.append((user.email, action_set.name))
    return Intake(cohort=cohort, staff=staff, data=_csv(rows, address, names, existing, enrolled), rows=rows)


def measure(intake: Intake, *, reimport: bool = True) -> dict:
    """Preview, then commit (the database part timed apart from sending the invitations, which
    run in-process after the commit: tasks eager, the configured email backend); optionally
    import the same file again. Returns times in seconds and SQL query counts."""
    from django.core import mail
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from enrolment import services

    cohort, staff, data = intake.cohort, intake.staff, intake.data
    results = {"rows": intake.rows, "bytes": len(data), "vendor": connection.vendor}
    sent_before = len(getattr(mail, "outbox", []))

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
    results["invitations_sent"] = len(getattr(mail, "outbox", [])) - sent_before
    results["new_memberships"] = batch.result["new_memberships"]

    if reimport:
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            again = services.preview_enrolment(cohort=cohort, uploaded_by=staff, data=data, filename="bench.csv")
            results["reimport_preview_seconds"] = round(time.perf_counter() - started, 3)
            services.commit_enrolment(batch=again, actor=staff)
        results["reimport_new_memberships"] = again.totals["new_memberships"]
        results["reimport_queries"] = len(ctx.captured_queries)
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--sets", type=int, default=25)
    args = parser.parse_args()
    setup_django()
    save(measure(prepare(rows=args.rows, sets=args.sets)), f"enrolment-{args.rows}")


def setup_django() -> None:
    """Django on DATABASE_URL's database, migrated; email kept in memory (also bench/allocation_bench.py)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("ACTIONSETS_TESTING", "1")  # embedded secret key; nothing is served
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    import django

    django.setup()
    from django.core import mail
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    mail.outbox = []


def save(results: dict, name: str) -> None:
    """Print the results and keep them in bench/results/<name>-<vendor>.json."""
    from django.db import connection

    out = ROOT / "bench" / "results" / f"{name}-{connection.vendor}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
