"""Exactly once, against real PostgreSQL (and, for the crash test, a real Celery worker on Redis).

Celery alone gives at-least-once: with acks_late a task runs again after a crash, Redis redelivers
unacknowledged messages after the visibility timeout, two beats duplicate every tick. These tests
show the database turning that into one digest per person per period.
"""

import email
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections

from bench import digest_bench
from engagement import digests
from engagement.models import DigestDelivery, OutboundEmail
from tests.integration import require_postgres

ROOT = Path(__file__).resolve().parents[2]
SEPARATOR = b"\n" + b"-" * 79 + b"\n"


@pytest.mark.django_db(transaction=True)
def test_two_beat_ticks_at_once_double_nothing(mailoutbox):
    """Two dispatchers at the same instant, each running every batch in its own thread and
    connection: the batches race for the same users; SKIP LOCKED and the re-check decide."""
    require_postgres()
    seeded = digest_bench.seed(users=90, sets=9, replies=900)
    barrier = threading.Barrier(2)
    errors = []

    def tick():
        try:
            barrier.wait()
            digests.dispatch_digests(
                now=digest_bench.RUN_AT,
                enqueue=lambda ids: digests.run_digest_batch(ids, now=digest_bench.RUN_AT),
            )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert DigestDelivery.objects.count() == seeded.users
    sent = OutboundEmail.objects.filter(status="sent")
    assert sent.count() == OutboundEmail.objects.count() == DigestDelivery.objects.filter(email__isnull=False).count()
    assert Counter(m.to[0] for m in mailoutbox).most_common(1)[0][1] == 1
    assert len(mailoutbox) == sent.count() > seeded.users * 0.8


@pytest.mark.django_db(transaction=True)
def test_two_nudge_and_round_email_runs_at_once_double_nothing(circle, mailoutbox):
    from engagement import nudges, rounds
    from engagement.models import Nudge

    require_postgres()
    opened, set_ids = circle.round.opens_at, [circle.action_set.pk]

    def tick():
        rounds.run_round_email_batch(set_ids, now=opened + timedelta(hours=1))  # round-open due for all 4
        nudges.run_nudge_batch(set_ids, now=opened + timedelta(days=4))  # the 3 learners are quiet

    barrier, errors = threading.Barrier(2), []

    def racing_tick():
        try:
            barrier.wait()
            tick()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=racing_tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    tick()  # the next tick picks up whatever a run that lost a lock skipped

    assert errors == []
    kinds = Counter(Nudge.objects.values_list("kind", flat=True))
    assert kinds == {Nudge.Kind.ROUND_OPEN: 4, Nudge.Kind.QUIET_MEMBER: 3}
    assert len(mailoutbox) == OutboundEmail.objects.filter(status="sent").count() == 7
    assert Counter((m.to[0], m.subject) for m in mailoutbox).most_common(1)[0][1] == 1


# --- The crash test ---------------------------------------------------------------------------


class Worker:
    """`celery -A config worker --pool=prefork --concurrency=2` in its own process group."""

    def __init__(self, env: dict, log: Path):
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=prefork", "--concurrency=2",
             "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat",
             "-n", f"crash-{uuid.uuid4().hex[:8]}@%h"],
            cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True,
        )

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if b" ready." in self.log.read_bytes():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"worker did not start:\n{self.log.read_text()[-3000:]}")

    def kill(self, sig=signal.SIGKILL) -> None:
        """The whole process group at once: the main process and its pool children."""
        try:
            os.killpg(self.process.pid, sig)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=10)


def _worker_env(broker: str, queue: str, mail_dir: Path) -> dict:
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "crash-test-only",
        "DATABASE_URL": database_url,  # the test database this test is using
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_DEFAULT_QUEUE": queue,  # this run's own queue, whoever else uses the broker
        "REDIS_URL": "",
        "CELERY_VISIBILITY_TIMEOUT": "3",  # redeliver a dead worker's tasks within the test
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "SITE_URL": settings.SITE_URL,
    }


def _purge(broker: str, queue: str) -> None:
    import redis

    # The queue and the routing kombu keeps for it; nothing shared with other users of the broker.
    redis.Redis.from_url(broker).delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")


def _publish(broker: str, queue: str, task: str, args: list) -> None:
    from config.celery import app

    with app.connection_for_write(broker) as conn:
        app.send_task(task, args=args, connection=conn, queue=queue)


def _delivered(mail_dir: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """(Message-ID, To) of every complete message the backend wrote, and the ids of each file's
    last message. A message counts once the separator after it is written: a message cut off by
    SIGKILL is one the mail server never accepted."""
    messages, last_of_file = [], []
    for path in sorted(mail_dir.glob("*.log")):
        chunks = path.read_bytes().split(SEPARATOR)
        complete = [email.message_from_bytes(chunk) for chunk in chunks[:-1]]
        messages += [(m["Message-ID"], m["To"]) for m in complete]
        if complete:
            last_of_file.append(complete[-1]["Message-ID"])
    return messages, last_of_file


def _wait_for(condition, timeout: float, poll: float = 0.02) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(poll)
    return False


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
@pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")
def test_a_worker_killed_mid_run_still_delivers_every_digest_exactly_once(tmp_path):
    from tests.integration import redis_url

    require_postgres()
    broker = redis_url()
    seeded = digest_bench.seed(users=300, sets=30, replies=3000)
    due = set(digests.due_user_ids(now=digest_bench.RUN_AT))
    assert len(due) == seeded.users
    mail_dir, log = tmp_path / "mail", tmp_path / "worker.log"
    mail_dir.mkdir()
    queue = f"crash-test-{uuid.uuid4().hex[:8]}"
    env = _worker_env(broker, queue, mail_dir)
    first = Worker(env, log)
    second = None
    try:
        first.wait_ready()
        for _ in range(2):  # two beat ticks at once
            _publish(broker, queue, "engagement.tasks.dispatch_digests_task", [digest_bench.RUN_AT.isoformat()])
        sent = OutboundEmail.objects.filter(status="sent")
        assert _wait_for(lambda: sent.count() >= 40, timeout=30), log.read_text()[-3000:]
        first.kill()
        at_kill, log_at_kill = sent.count(), log.stat().st_size
        assert at_kill < len(due), "the run finished before the kill: nothing was tested"

        time.sleep(3.5)  # past the visibility timeout: the new worker restores the dead one's tasks
        second = Worker(env, log)
        second.wait_ready()
        finished = _wait_for(
            lambda: DigestDelivery.objects.count() == len(due)
            and not OutboundEmail.objects.filter(status="pending").exists(),
            timeout=40, poll=0.2,
        )
        assert finished, log.read_text()[-3000:]
    finally:
        first.kill()
        if second:
            second.kill(signal.SIGTERM)
        _purge(broker, queue)

    deliveries = DigestDelivery.objects.all()
    assert sorted(d.user_id for d in deliveries) == sorted(due)  # one decision per due user
    rows = {row.message_id: row for row in OutboundEmail.objects.select_related("user")}
    assert all(row.status == "sent" for row in rows.values())
    assert len(rows) == deliveries.filter(email__isnull=False).count() == deliveries.filter(item_count__gt=0).count()
    messages, last_of_file = _delivered(mail_dir)
    copies = Counter(message_id for message_id, _ in messages)
    assert set(copies) == set(rows)  # every outbox row reached the mail server, nothing else did
    assert all(to == rows[message_id].to for message_id, to in messages)
    per_user = Counter(rows[message_id].user_id for message_id in copies)
    assert set(per_user.values()) == {1}  # each person: exactly one digest (one Message-ID)
    resent = sorted(message_id for message_id, n in copies.items() if n > 1)
    # The one window no database can close: the mail server accepted a message and the process
    # died before COMMIT. Only a message in flight at the kill can be resent — at most one per
    # killed pool process — and it carries the same Message-ID, which receivers deduplicate.
    assert len(resent) <= 2 and all(copies[m] == 2 and m in last_of_file for m in resent), resent
    received = [re.findall(rb"\[([0-9a-f-]{36})\] received", part) for part in _split(log, log_at_kill)]
    redelivered = set(received[0]) & set(received[1])
    assert redelivered, "no task of the killed worker was redelivered"
    print(f"\ncrash test: {len(due)} due, {len(rows)} digests, {at_kill} sent before SIGKILL, "
          f"{len(messages)} messages written, {len(resent)} resent in-flight, {len(redelivered)} tasks redelivered")


def _split(log: Path, at: int) -> tuple[bytes, bytes]:
    data = log.read_bytes()
    return data[:at], data[at:]
