"""The batch jobs the page benchmark times after its loads: the digest run and a CSV enrolment.

Each job seeds what it needs into the benchmark's scratch database with the focused scripts'
own code (`bench/digest_bench.py`, `bench/enrolment_bench.py`), measures, and then deletes every
row it made, so the pages' seeded world is left as it was and the next run starts clean. Its
cohort slugs and addresses start with `bench-job-` and the addresses end with the seed's domain,
so a run interrupted mid-job leaves nothing that a later job run (which sweeps first) or
`--reseed` (which flushes) does not remove. Email goes to Django's in-memory backend and tasks
run in-process: nothing leaves the machine.

A job returns one row per measured step: key, label, seconds, queries (SQL statements), a
one-line note for the table, and facts of its own for the JSON.
"""

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.apps import apps
from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.test.utils import override_settings

from accounts.models import User
from actionsets.models import Cohort

from . import digest_bench, enrolment_bench
from .seed import BENCH_DOMAIN, analyze, check_scratch

JOB_PREFIX = "bench-job-"
DIGEST_SIZES = {
    "full": {"users": 5000, "sets": 500, "replies": 50_000},
    "smoke": {"users": 70, "sets": 7, "replies": 600},
}
ENROLMENT_SIZES = {"full": {"rows": 5000, "sets": 25}, "smoke": {"rows": 100, "sets": 4}}
CHUNK = 1000  # primary keys per IN (…) list

Log = Callable[[str], None]


def digest_run(world: dict, log: Log) -> list[dict]:
    """One digest run over 5,000 users (bench/digest_bench.py's programme, seeded beside the pages')."""
    size = DIGEST_SIZES[world["size"]]
    with _job("digests", log) as tag:
        started = time.perf_counter()
        seeded = digest_bench.seed(**size, tag=tag, domain=BENCH_DOMAIN)
        analyze()
        seed_seconds = time.perf_counter() - started
        log(f"  seeded {seeded.users:,} users, {seeded.sets:,} sets, {seeded.replies:,} replies "
            f"in {seed_seconds:.1f} s")
        result = digest_bench.run(users=seeded.user_ids)
    per_batch = sorted(Counter(result.batch_queries).items())
    shape = ", ".join(f"{queries} (×{n})" for queries, n in per_batch) or "—"
    return [{
        "key": "digests", "label": f"digest run, {seeded.users:,} users",
        "seconds": round(result.seconds, 3), "queries": result.queries,
        "users": seeded.users, "sets": seeded.sets, "replies": seeded.replies,
        "due": result.due, "sent": result.sent, "empty": result.empty, "batches": result.batches,
        "queries_per_batch": [{"queries": queries, "batches": n} for queries, n in per_batch],
        "dispatch_seconds": round(result.dispatch_seconds, 3), "dispatch_queries": result.dispatch_queries,
        "batch_seconds": round(result.batch_seconds, 3), "batch_queries": sum(result.batch_queries),
        "send_seconds": round(result.send_seconds, 3), "send_queries": result.send_queries,
        "seed_seconds": round(seed_seconds, 1),
        "note": (f"{result.sent:,} sent, {result.empty:,} empty; queries per batch: {shape}; "
                 f"sending {result.send_seconds:.2f} s, {result.send_queries:,} queries"),
    }]


def csv_enrolment(world: dict, log: Log) -> list[dict]:
    """A 5,000-row CSV enrolment, preview then commit (bench/enrolment_bench.py's file)."""
    size = ENROLMENT_SIZES[world["size"]]
    with _job("enrolment", log) as tag:
        intake = enrolment_bench.prepare(**size, tag=tag, domain=BENCH_DOMAIN)
        analyze()
        measured = enrolment_bench.measure(intake, reimport=False)
    totals, rows = measured["totals"], f"{measured['rows']:,} rows"
    return [
        {
            "key": "enrolment-preview", "label": f"CSV enrolment preview, {rows}",
            "seconds": measured["preview_seconds"], "queries": measured["preview_queries"],
            "rows": measured["rows"], "bytes": measured["bytes"], "totals": totals,
            "note": (f"{totals['new_memberships']:,} to enrol ({totals['new_users']:,} new people), "
                     f"{totals['already_enrolled']:,} already enrolled, {totals['errors']:,} with errors"),
        },
        {
            "key": "enrolment-commit", "label": f"CSV enrolment commit, {rows}",
            "seconds": measured["commit_seconds"], "queries": measured["commit_queries"],
            "rows": measured["rows"], "new_memberships": measured["new_memberships"],
            "invitations_sent": measured["invitations_sent"],
            "invitation_email_seconds": measured["invitation_email_seconds"],
            "commit_and_invitations_seconds": measured["commit_and_invitations_seconds"],
            "queries_including_invitation_emails": measured["queries_including_invitation_emails"],
            "note": (f"{measured['new_memberships']:,} memberships in one transaction; then "
                     f"{measured['invitations_sent']:,} invitations sent "
                     f"in {measured['invitation_email_seconds']:.2f} s, "
                     f"{measured['queries_including_invitation_emails'] - measured['commit_queries']:,} queries"),
        },
    ]


@contextmanager
def _job(name: str, log: Log) -> Iterator[str]:
    """Scratch database only, tasks in-process, email in memory; the job's rows deleted after."""
    check_scratch()
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        raise RuntimeError("the benchmark's jobs run their tasks in-process: unset CELERY_BROKER_URL")
    left = purge(JOB_PREFIX)
    if left:
        log(f"  removed {left:,} rows left by an interrupted job run")
    try:
        with _email_in_memory():
            yield f"{JOB_PREFIX}{name}-{int(time.time() * 1000)}"
    finally:
        started = time.perf_counter()
        removed = purge(JOB_PREFIX)
        analyze()
        log(f"  removed the job's {removed:,} rows in {time.perf_counter() - started:.1f} s")


@contextmanager
def _email_in_memory() -> Iterator[None]:
    """Django's locmem backend (messages collect in `mail.outbox`, dropped after), whatever
    EMAIL_BACKEND says; the setting and the outbox are restored after."""
    missing = object()
    saved = getattr(mail, "outbox", missing)
    mail.outbox = []
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            yield
    finally:
        if saved is missing:
            del mail.outbox
        else:
            mail.outbox = saved


def purge(prefix: str) -> int:
    """Delete the cohorts whose slug and the users whose address start with `prefix`, and every row
    that refers to them, directly or through other deleted rows. Returns how many rows went.

    Not with QuerySet.delete(): PROTECT (presenters, authors, reply parents) would refuse, and the
    collector would load every reply. Rows are found table by table, then deleted in one
    transaction; Django's foreign keys are checked at commit, so the order of the deletes is free.
    """
    referrers = defaultdict(list)  # model -> [(model, foreign key)] pointing at it
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation and (field.many_to_one or field.one_to_one):
                referrers[field.related_model._meta.concrete_model].append((model, field))
    roots = {Cohort: Cohort.objects.filter(slug__startswith=prefix),
             User: User.objects.filter(email__startswith=prefix, email__endswith=f"@{BENCH_DOMAIN}")}
    doomed = {model: set(rows.values_list("pk", flat=True)) for model, rows in roots.items()}
    frontier = [(model, pks) for model, pks in doomed.items() if pks]
    while frontier:
        target, pks = frontier.pop()
        for model, field in referrers[target]:
            found = set()
            for chunk in _chunks(pks):
                rows = model._base_manager.filter(**{f"{field.name}__pk__in": chunk})
                found.update(rows.values_list("pk", flat=True))
            new = found - doomed.setdefault(model, set())
            if new:
                doomed[model] |= new
                frontier.append((model, new))
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for model, pks in doomed.items():
            table, column = quote(model._meta.db_table), quote(model._meta.pk.column)
            for chunk in _chunks(pks):
                cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({', '.join(['%s'] * len(chunk))})", chunk)
    return sum(len(pks) for pks in doomed.values())


def _chunks(pks: set) -> list[list]:
    ordered = sorted(pks)
    return [ordered[i : i + CHUNK] for i in range(0, len(ordered), CHUNK)]
