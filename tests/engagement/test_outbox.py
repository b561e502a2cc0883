"""The outbox: written with the decision, sent after commit, retried with backoff, never twice."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from engagement import outbox
from engagement.emails import build_email
from engagement.models import OutboundEmail
from engagement.unsubscribe import NUDGES
from tests.factories import UserFactory

from .mailbackends import FlakyBackend

pytestmark = pytest.mark.django_db


def draft(user: User, key: str) -> OutboundEmail:
    context = {"set_name": "Leading Change", "set_url": "https://x/", "confidential": False, "round_number": 1,
               "closes": "soon", "quiet": None, "unanswered": [], "questions": [],
               "report_back": {"count": 1, "url": "https://x/c/", "texts": ["Talk to Sam"]}}
    return build_email(user=user, template="nudge", context=context, category="test", key=key,
                       unsubscribe_scope=NUDGES)


def queued(n: int, *, emails=None) -> list[int]:
    users = [UserFactory(email=(emails or {}).get(i, f"u{i}@example.edu")) for i in range(n)]
    with transaction.atomic():
        rows = outbox.queue_emails([draft(u, f"test.{u.pk}") for u in users])
    return [row.pk for row in rows]


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "tests.engagement.mailbackends.FlakyBackend"
    FlakyBackend.failures, FlakyBackend.opened = 0, 0
    return FlakyBackend


def test_emails_are_sent_only_after_the_decision_commits(db, django_capture_on_commit_callbacks, mailoutbox):
    user = UserFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic():
            outbox.queue_emails([draft(user, "after-commit")])
        assert mailoutbox == []
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 1


def test_a_rolled_back_decision_leaves_no_email(db, django_capture_on_commit_callbacks, mailoutbox):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            outbox.queue_emails([draft(user, "rolled-back")])
            raise RuntimeError("the decision failed after the email was written")
    assert OutboundEmail.objects.count() == 0 and mailoutbox == []


@pytest.mark.django_db(transaction=True)
def test_queueing_outside_the_deciding_transaction_is_refused():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        outbox.queue_emails([draft(UserFactory(), "no-transaction")])


def test_a_row_is_never_sent_twice(mailoutbox):
    [pk] = queued(1)
    first = outbox.send_outbox([pk])
    second = outbox.send_outbox([pk])  # a redelivered task, a retry, the sweep…
    assert (first.sent, second.sent, second.skipped) == ([pk], [], [pk])
    assert len(mailoutbox) == 1
    row = OutboundEmail.objects.get(pk=pk)
    assert (row.status, row.attempts) == (OutboundEmail.Status.SENT, 1)
    assert mailoutbox[0].extra_headers["Message-ID"] == row.message_id


def test_one_mail_connection_per_batch(flaky):
    ids = queued(3)
    assert outbox.send_outbox(ids).sent == ids
    assert flaky.opened == 1


def test_an_smtp_failure_keeps_the_row_and_its_successors_for_a_later_attempt(flaky, mailoutbox):
    ids = queued(3)
    flaky.failures = 1
    report = outbox.send_outbox(ids)
    assert (report.sent, report.retry) == ([], ids)
    row = OutboundEmail.objects.get(pk=ids[0])
    assert (row.status, row.attempts) == (OutboundEmail.Status.PENDING, 1)
    assert row.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert timedelta(seconds=25) < row.next_attempt_at - timezone.now() <= timedelta(seconds=30)
    assert OutboundEmail.objects.filter(pk__in=ids[1:], attempts=0, status="pending").count() == 2

    soon = timezone.now() + outbox.SWEEP_GRACE + timedelta(seconds=10)
    assert outbox.pending_for_sweep(now=soon) == ids[1:]  # the first waits out its backoff…
    later = timezone.now() + timedelta(minutes=2)
    assert sorted(outbox.pending_for_sweep(now=later)) == ids  # …then the sweep sends them all
    assert sorted(outbox.send_outbox(outbox.pending_for_sweep(now=later)).sent) == ids
    assert len(mailoutbox) == 3


def test_backoff_doubles_and_gives_up_after_max_attempts(flaky):
    [pk] = queued(1)
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3, 8, 20)] == [30, 60, 120, 3600, 3600]
    flaky.failures = outbox.MAX_ATTEMPTS
    for _ in range(outbox.MAX_ATTEMPTS):
        outbox.send_outbox([pk])
    row = OutboundEmail.objects.get(pk=pk)
    assert (row.status, row.attempts) == (OutboundEmail.Status.FAILED, outbox.MAX_ATTEMPTS)
    assert outbox.pending_for_sweep(now=timezone.now() + timedelta(days=1)) == []


def test_a_permanently_refused_address_fails_alone(settings, mailoutbox):
    settings.EMAIL_BACKEND = "tests.engagement.mailbackends.RefusingBackend"
    ids = queued(3, emails={1: "gone@example.edu"})
    report = outbox.send_outbox(ids)
    assert report.sent == [ids[0], ids[2]] and report.failed == [ids[1]]
    assert OutboundEmail.objects.get(pk=ids[1]).status == OutboundEmail.Status.FAILED
    assert len(mailoutbox) == 2


def test_the_sweep_leaves_fresh_rows_to_their_own_task(db):
    ids = queued(2)
    assert outbox.pending_for_sweep() == []
    OutboundEmail.objects.filter(pk=ids[0]).update(next_attempt_at=timezone.now() - timedelta(minutes=5))
    assert outbox.pending_for_sweep() == [ids[0]]


def test_the_sweep_task_sends_what_was_left_pending(db, django_capture_on_commit_callbacks, mailoutbox):
    from engagement import tasks

    ids = queued(2)
    OutboundEmail.objects.filter(pk__in=ids).update(next_attempt_at=timezone.now() - timedelta(minutes=5))
    assert tasks.sweep_outbox_task.delay().get() == 2
    assert len(mailoutbox) == 2
    assert tasks.sweep_outbox_task.delay().get() == 0


def test_the_send_task_retries_with_backoff_on_a_worker(flaky, mailoutbox):
    """On a worker (not eager) a transient SMTP error makes the task schedule itself again with
    the backoff countdown (always-eager runs that retry at once here)."""
    from celery.exceptions import Retry

    from engagement.tasks import send_outbox_batch_task

    ids = queued(2)
    flaky.failures = 1
    send_outbox_batch_task.push_request(is_eager=False, called_directly=False, retries=0)
    try:
        with pytest.raises(Retry) as retry:
            send_outbox_batch_task(ids)
    finally:
        send_outbox_batch_task.pop_request()
    assert retry.value.when == 30  # seconds: the first backoff step
    assert len(mailoutbox) == 2  # the retry sent both
    assert [r.attempts for r in OutboundEmail.objects.filter(pk__in=ids).order_by("pk")] == [2, 1]
