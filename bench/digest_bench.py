"""Digest benchmark: seed a large programme with bulk_create, then time one full digest run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_digests \\
        .venv/bin/python bench/digest_bench.py --reset            # 5,000 users, 500 sets, 50,000 replies

The run is in-process (no broker: tasks eager) with the locmem email backend, so it measures our
code and the database, not an SMTP server. It prints the wall time of the dispatcher, of building
and recording the batches and of sending, and the SQL queries of each, per batch and in total.
`seed()` and `run()` are also used by the test suite (tiny sizes) and by the crash test.
"""

import argparse
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Evaluated at 23:30 UTC on a Tuesday: every zone below has passed the digest hours we give it.
RUN_AT = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)
ZONES = ["UTC", "Europe/London", "America/Los_Angeles", "Pacific/Auckland", "Asia/Kolkata", "America/New_York"]
BODY = (
    "I have been wondering what would change if I **stopped** chasing the team and asked them what gets in "
    "the way. What have you tried so far, and what did you notice when you tried it? " * 3
)


@dataclass
class Seeded:
    users: int
    sets: int
    airtimes: int
    replies: int
    user_ids: list[int] = field(default_factory=list, repr=False)


def seed(
    *, users: int = 5000, sets: int = 500, replies: int = 50_000, now: datetime = RUN_AT, rng_seed: int = 3,
    tag: str = "", domain: str = "bench.example.edu",
) -> Seeded:
    """A programme of `sets` sets of users/sets members (one facilitator each), a round open for five
    days, six airtimes per set and `replies` replies over the last three days; some hidden, some read.
    The cohort's slug is `tag` (default `bench-<ms>`); set slugs and addresses (`@domain`) start with it."""
    from accounts.models import User
    from actionsets.markdown import render_markdown
    from actionsets.models import ActionCommitment, ActionSet, Airtime, Cohort, Membership, ReadMarker, Reply, Round

    rng = random.Random(rng_seed)
    html = render_markdown(BODY)
    cohort = Cohort.objects.create(name="Benchmark cohort", slug=tag or f"bench-{int(time.time() * 1000)}")
    prefix = cohort.slug
    action_sets = ActionSet.objects.bulk_create([
        ActionSet(cohort=cohort, name=f"Set {n:03d}", slug=f"{prefix}-set-{n}", confidential_digests=n % 2 == 0)
        for n in range(sets)
    ])
    people = User.objects.bulk_create([
        User(email=f"{prefix}-u{n}@{domain}", display_name=f"Member {n}", password="!",
             timezone=ZONES[n % len(ZONES)], digest_hour=rng.randint(0, 4), digest_frequency="daily")
        for n in range(users)
    ], batch_size=1000)
    per_set = max(users // sets, 2)
    members: dict[int, list] = {}
    rows = []
    for index, person in enumerate(people):
        action_set = action_sets[min(index // per_set, sets - 1)]
        first = action_set.pk not in members
        members.setdefault(action_set.pk, []).append(person)
        rows.append(Membership(user=person, action_set=action_set, joined_at=now - timedelta(days=40),
                               ground_rules_accepted_at=now - timedelta(days=40),
                               role=Membership.Role.FACILITATOR if first else Membership.Role.LEARNER))
    Membership.objects.bulk_create(rows, batch_size=2000)
    rounds = Round.objects.bulk_create([
        Round(action_set=s, number=1, opens_at=now - timedelta(days=5), closes_at=now + timedelta(days=9))
        for s in action_sets
    ])
    airtimes = Airtime.objects.bulk_create([
        Airtime(action_set=s, round=r, presenter=p, title=f"Airtime of {p.display_name}", body=BODY, body_html=html,
                created_at=now - timedelta(days=4, hours=i), last_activity_at=now - timedelta(hours=1))
        for s, r in zip(action_sets, rounds, strict=True) for i, p in enumerate(members[s.pk][1:7])
    ], batch_size=2000)
    by_set: dict[int, list] = {}
    for airtime in airtimes:
        by_set.setdefault(airtime.action_set_id, []).append(airtime)
    sequence: Counter = Counter()
    reply_rows = []
    for n in range(replies):
        airtime = rng.choice(by_set[action_sets[n % sets].pk])
        author = rng.choice([p for p in members[airtime.action_set_id] if p.pk != airtime.presenter_id])
        sequence[airtime.pk] += 1
        reply_rows.append(Reply(
            airtime=airtime, author=author, kind="question", body=BODY, body_html=html,
            path=f"{sequence[airtime.pk]:06d}", depth=0, hidden=n % 97 == 0,
            created_at=now - timedelta(seconds=rng.randint(3600, 3 * 86400)),
        ))
    Reply.objects.bulk_create(reply_rows, batch_size=2000)
    for airtime in airtimes:
        airtime.reply_count = sequence[airtime.pk]
    Airtime.objects.bulk_update(airtimes, ["reply_count"], batch_size=2000)
    ReadMarker.objects.bulk_create([
        ReadMarker(user=p, airtime=a, last_read_at=now - timedelta(days=1))
        for a in airtimes for p in members[a.action_set_id] if rng.random() < 0.3
    ], batch_size=5000)
    ActionCommitment.objects.bulk_create([
        ActionCommitment(airtime=a, owner_id=a.presenter_id, text="Talk to the team about the rota")
        for a in airtimes[::3]
    ], batch_size=2000)
    return Seeded(users=len(people), sets=len(action_sets), airtimes=len(airtimes), replies=len(reply_rows),
                  user_ids=[p.pk for p in people])


@dataclass
class QueryCounter:
    count: int = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


@dataclass
class RunResult:
    due: int = 0
    sent: int = 0
    empty: int = 0
    batches: int = 0
    dispatch_queries: int = 0
    batch_queries: list[int] = field(default_factory=list)  # build + record, per batch
    send_queries: int = 0
    dispatch_seconds: float = 0.0
    batch_seconds: float = 0.0
    send_seconds: float = 0.0

    @property
    def seconds(self) -> float:
        return self.dispatch_seconds + self.batch_seconds + self.send_seconds

    @property
    def queries(self) -> int:
        return self.dispatch_queries + sum(self.batch_queries) + self.send_queries


def run(*, now: datetime = RUN_AT, users: Collection[int] | None = None) -> RunResult:
    """One digest run as beat would do it, in-process; emails sent after each batch commits.

    `users`: build and send only these people's digests (the seeded ones, when the database also
    holds other people, as the page benchmark's does); the dispatcher still evaluates everyone."""
    from django.db import connection
    from django.test.utils import override_settings

    from engagement import digests, outbox
    from engagement.models import OutboundEmail

    result = RunResult()
    counter = QueryCounter()
    with connection.execute_wrapper(counter), override_settings(OUTBOX_SEND_ON_COMMIT=False):
        started = time.perf_counter()
        ids = digests.due_user_ids(now=now)
        if users is not None:
            scope = set(users)
            ids = [pk for pk in ids if pk in scope]
        result.dispatch_seconds = time.perf_counter() - started
        result.dispatch_queries, result.due = counter.count, len(ids)
        for batch in outbox.chunks(ids, digests.BATCH_SIZE):
            before, started = counter.count, time.perf_counter()
            done = digests.record_digests(digests.build_digests(batch, now=now))
            result.batch_seconds += time.perf_counter() - started
            result.batch_queries.append(counter.count - before)
            result.sent += len(done.sent)
            result.empty += len(done.empty)
            result.batches += 1
        # Sending is measured apart: the worker does it, one claim and one update per email.
        pending = OutboundEmail.objects.filter(status="pending")
        if users is not None:
            pending = pending.filter(user_id__in=users)
        pending = list(pending.values_list("pk", flat=True))
        before, started = counter.count, time.perf_counter()
        for batch in outbox.chunks(pending, outbox.SEND_BATCH_SIZE):
            outbox.send_outbox(batch)
        result.send_seconds, result.send_queries = time.perf_counter() - started, counter.count - before
    return result


def report(seeded: Seeded | None, result: RunResult, vendor: str) -> str:
    per_batch = sorted(Counter(result.batch_queries).items())
    lines = [
        f"database: {vendor}",
        *( [f"seeded: {seeded.users} users, {seeded.sets} sets, {seeded.airtimes} airtimes, {seeded.replies} replies"]
           if seeded else []),
        f"due: {result.due} users in {result.batches} batches → {result.sent} digests, {result.empty} empty",
        f"dispatcher: {result.dispatch_seconds:.2f} s, {result.dispatch_queries} queries",
        f"build + record: {result.batch_seconds:.2f} s, queries per batch (count×batches): {per_batch}",
        f"send: {result.send_seconds:.2f} s, {result.send_queries} queries for {result.sent} emails",
        f"TOTAL: {result.seconds:.2f} s, {result.queries} queries",
    ]
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=5000)
    parser.add_argument("--sets", type=int, default=500)
    parser.add_argument("--replies", type=int, default=50_000)
    parser.add_argument("--reset", action="store_true", help="empty the database first (it must be a scratch one)")
    parser.add_argument("--no-seed", action="store_true", help="time a run over what is already there")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    os.environ["CELERY_BROKER_URL"] = ""  # in-process
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    if args.reset:
        call_command("flush", interactive=False, verbosity=0)
    seeded = None
    if not args.no_seed:
        started = time.perf_counter()
        seeded = seed(users=args.users, sets=args.sets, replies=args.replies)
        print(f"seeding took {time.perf_counter() - started:.1f} s")
    print(report(seeded, run(), connection.vendor))


if __name__ == "__main__":
    main(sys.argv[1:])
