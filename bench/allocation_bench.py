"""Benchmark: allocate 5,000 learners into sets — the whole preview (read the roster, solve,
store the plan) and the commit, with query counts. Target: the preview under 30 s.

Run against PostgreSQL (a database of its own; it is migrated first):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_allocation \\
        .venv/bin/python bench/allocation_bench.py --learners 5000

The roster mixes what a real intake has: learners over a dozen time zones (most in a few),
twelve departments, eight organisations, a must-not-share pair per 50 learners and a requested
pair per 25, and a facilitator per six learners. Results are printed and saved to
bench/results/allocation-<learners>-<vendor>.json.
"""

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ZONES = ["Europe/London"] * 6 + ["Europe/Berlin"] * 4 + ["America/New_York"] * 3 + ["America/Chicago",
         "America/Los_Angeles", "Asia/Kolkata", "Asia/Singapore", "Australia/Sydney", "Africa/Lagos",
         "America/Sao_Paulo", "Asia/Tokyo", "Pacific/Auckland"]


def prepare(*, learners: int, tag: str = "", seed: int = 7):
    """A cohort with `learners` learners and learners/6 facilitators on its roster, no sets."""
    from accounts.models import User
    from actionsets.models import Cohort
    from enrolment.models import CohortPerson

    rnd = random.Random(seed)
    tag = tag or f"bench-{int(time.time())}"
    cohort = Cohort.objects.create(name=f"Allocation {tag}", slug=tag)
    staff = User.objects.create_user(email=f"{tag}-staff@bench.example", is_staff=True)
    users = User.objects.bulk_create([
        User(email=f"{tag}-{i}@bench.example", display_name=f"Learner {i}", timezone=rnd.choice(ZONES))
        for i in range(learners + learners // 6)])
    people = []
    for i, user in enumerate(users):
        learner = i < learners
        people.append(CohortPerson(
            cohort=cohort, user=user, role="learner" if learner else "facilitator",
            department=f"Department {rnd.randrange(12)}" if learner else "",
            organisation=f"Organisation {rnd.randrange(8)}" if learner else "",
            must_not_share=[users[rnd.randrange(learners)].email] if learner and i % 50 == 0 else [],
            requested=[users[(i + 1) % learners].email] if learner and i % 25 == 1 else []))
    CohortPerson.objects.bulk_create(people, batch_size=2000)
    return cohort, staff


def measure(cohort, staff, *, size: int, span_hours: float, time_limit: float, commit: bool) -> dict:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from enrolment import services

    options = services.AllocationOptions(size=size, span_hours=span_hours, time_limit=time_limit)
    results = {"vendor": connection.vendor, "size": size, "span_hours": span_hours, "time_limit": time_limit}
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        allocation = services.preview_allocation(cohort=cohort, actor=staff, options=options)
        results["preview_seconds"] = round(time.perf_counter() - started, 2)
    results["preview_queries"] = len(ctx.captured_queries)
    plan = allocation.plan
    results.update(
        learners=sum(len(s["learners"]) for s in plan["sets"]), sets=len(plan["sets"]),
        sizes=sorted({len(s["learners"]) for s in plan["sets"]}), solver=plan["solver"], costs=plan["costs"],
        score=allocation.score, unmet=len(plan["unmet"]), diagnosis=len(plan["diagnosis"]),
        under_30_seconds=results["preview_seconds"] < 30)
    if commit:
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            with transaction.atomic():  # invitations are sent after this; timed apart
                allocation = services.commit_allocation(allocation=allocation, actor=staff)
                results["commit_seconds"] = round(time.perf_counter() - started, 2)
                results["commit_queries"] = len(ctx.captured_queries)
        results["memberships"] = allocation.result["memberships"]
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=5000)
    parser.add_argument("--size", type=int, default=6)
    parser.add_argument("--span-hours", type=float, default=3)
    parser.add_argument("--time-limit", type=float, default=20)
    parser.add_argument("--no-commit", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from bench.enrolment_bench import save, setup_django

    setup_django()
    cohort, staff = prepare(learners=args.learners)
    save(measure(cohort, staff, size=args.size, span_hours=args.span_hours, time_limit=args.time_limit,
                 commit=not args.no_commit), f"allocation-{args.learners}")


if __name__ == "__main__":
    main()
