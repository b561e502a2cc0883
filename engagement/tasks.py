"""Celery tasks: thin, id-only, `acks_late`, idempotent.

A task may run twice (acks_late + redelivery after the broker's visibility timeout, two beats,
a retry after a crash): every one of these only reads ids, calls the plain function that owns
the logic, and relies on the database (unique decision rows, SKIP LOCKED claims) for
exactly-once. Batch tasks receive the dispatcher's `now` so a late or repeated run evaluates the
same periods as the tick that created it.
"""

from datetime import datetime

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from . import digests, knocks, notifications, nudges, outbox, rounds, watching

DB_HICCUPS = (OperationalError, InterfaceError)


def _clock(now_iso: str | None) -> datetime:
    return parse_datetime(now_iso) if now_iso else timezone.now()


# --- Digests ----------------------------------------------------------------------------------


@shared_task(acks_late=True)
def dispatch_digests_task(now_iso: str | None = None) -> int:
    now = _clock(now_iso)
    return digests.dispatch_digests(now=now, enqueue=lambda ids: send_digest_batch_task.delay(ids, now.isoformat()))


@shared_task(acks_late=True, autoretry_for=DB_HICCUPS, retry_backoff=True, max_retries=5)
def send_digest_batch_task(user_ids: list[int], now_iso: str) -> int:
    return len(digests.run_digest_batch(user_ids, now=_clock(now_iso)).sent)


# --- Nudges and rounds ------------------------------------------------------------------------


@shared_task(acks_late=True)
def dispatch_nudges_task(now_iso: str | None = None) -> int:
    now = _clock(now_iso)
    return nudges.dispatch_nudges(now=now, enqueue=lambda ids: send_nudge_batch_task.delay(ids, now.isoformat()))


@shared_task(acks_late=True, autoretry_for=DB_HICCUPS, retry_backoff=True, max_retries=5)
def send_nudge_batch_task(set_ids: list[int], now_iso: str) -> int:
    return len(nudges.run_nudge_batch(set_ids, now=_clock(now_iso)))


@shared_task(acks_late=True)
def dispatch_knocks_task(now_iso: str | None = None) -> int:
    """Knocks asked for at night go out in the member's morning (engagement/knocks.py)."""
    now = _clock(now_iso)
    ids = knocks.sets_with_pending_knocks(now)
    for batch in outbox.chunks(ids, knocks.BATCH_SIZE):
        send_knock_batch_task.delay(batch, now.isoformat())
    return len(ids)


@shared_task(acks_late=True, autoretry_for=DB_HICCUPS, retry_backoff=True, max_retries=5)
def send_knock_batch_task(set_ids: list[int], now_iso: str) -> int:
    return len(knocks.run_knock_batch(set_ids, now=_clock(now_iso)))


@shared_task(acks_late=True)
def dispatch_round_emails_task(now_iso: str | None = None) -> int:
    now = _clock(now_iso)
    return rounds.dispatch_round_emails(
        now=now, enqueue=lambda ids: send_round_email_batch_task.delay(ids, now.isoformat())
    )


@shared_task(acks_late=True, autoretry_for=DB_HICCUPS, retry_backoff=True, max_retries=5)
def send_round_email_batch_task(set_ids: list[int], now_iso: str) -> int:
    return len(rounds.run_round_email_batch(set_ids, now=_clock(now_iso)))


# --- The outbox -------------------------------------------------------------------------------


def _send(task, email_ids: list[int]) -> int:
    report = outbox.send_outbox(email_ids)
    if report.retry and not task.request.is_eager:
        # Without a broker (embedded default) there is nobody to retry later but the sweep.
        raise task.retry(
            args=(report.retry,), countdown=outbox.backoff(task.request.retries + 1).total_seconds(),
            max_retries=outbox.MAX_ATTEMPTS,
        )
    return len(report.sent)


@shared_task(bind=True, acks_late=True, autoretry_for=DB_HICCUPS, retry_backoff=True)
def send_outbox_email_task(self, email_id: int) -> int:
    return _send(self, [email_id])


@shared_task(bind=True, acks_late=True, autoretry_for=DB_HICCUPS, retry_backoff=True)
def send_outbox_batch_task(self, email_ids: list[int]) -> int:
    return _send(self, email_ids)


@shared_task(acks_late=True)
def sweep_outbox_task() -> int:
    ids = outbox.pending_for_sweep()
    outbox.enqueue_send(ids)
    return len(ids)


# --- Watching -----------------------------------------------------------------------------------


@shared_task(acks_late=True, autoretry_for=DB_HICCUPS, retry_backoff=True, max_retries=5)
def notify_watchers_task(airtime_id: int | None = None, reply_id: int | None = None) -> int:
    return watching.notify_watchers(airtime_id=airtime_id, reply_id=reply_id)


# --- Notifications (engagement/notifications.py) -------------------------------------------------


@shared_task(acks_late=True, autoretry_for=DB_HICCUPS, retry_backoff=True, max_retries=5)
def notify_mentions_task(*, airtime_id: int, reply_id: int | None, author_id: int, user_ids: list[int]) -> int:
    return notifications.on_mention(airtime_id=airtime_id, reply_id=reply_id, author_id=author_id, user_ids=user_ids)


@shared_task(acks_late=True, autoretry_for=DB_HICCUPS, retry_backoff=True, max_retries=5)
def notify_reply_task(*, reply_id: int) -> int:
    return notifications.on_reply(reply_id=reply_id)


@shared_task(acks_late=True, autoretry_for=DB_HICCUPS, retry_backoff=True, max_retries=5)
def notify_moderation_task(*, action_id: int) -> int:
    return notifications.on_moderation(action_id=action_id)


@shared_task(acks_late=True, autoretry_for=DB_HICCUPS, retry_backoff=True, max_retries=5)
def notify_members_added_task(*, membership_ids: list[int]) -> int:
    return notifications.on_members_added(membership_ids=membership_ids)


@shared_task(acks_late=True)
def release_notifications_task(now_iso: str | None = None) -> int:
    return notifications.release_waiting(now=_clock(now_iso))
