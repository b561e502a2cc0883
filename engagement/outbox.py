"""The email outbox: rows written with the decision to send, sent after commit, never twice.

Writing: `queue_emails` inserts OutboundEmail rows in the *caller's* transaction (the one that
also writes the DigestDelivery or Nudge rows) and asks for them to be sent on commit. A rollback
takes the decision and the email with it.

Sending: `send_outbox` claims each row in its own short transaction with
`SELECT … FOR UPDATE SKIP LOCKED WHERE status = 'pending'`, marks it sent, hands it to the mail
connection and commits. A second worker holding the same id skips the locked row, and once
committed the row is no longer pending, so no row is sent by two workers or sent again by a
retry. If the process dies before the commit, the transaction rolls back and the row is still
pending: the redelivered task or the sweep sends it. The one window that cannot be closed is
between the mail server accepting the message and our COMMIT reaching the database (SMTP and the
database cannot commit together); it is a few microseconds wide, at most one message per
crashed process, and the resend carries the same Message-ID (docs/engagement.md).
"""

import logging
import smtplib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from accounts.hooks import Event

from .models import OutboundEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
SEND_BATCH_SIZE = 50
# Rows younger than this are left to the task their own commit scheduled.
SWEEP_GRACE = timedelta(seconds=60)
SWEEP_LIMIT = 2000
# Worth another go later: the server or the network, not the message.
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError)


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, 4 min … capped at an hour."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def chunks(ids: list[int], size: int) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def queue_emails(emails: list[OutboundEmail]) -> list[OutboundEmail]:
    """Insert outbox rows in the caller's transaction; they are sent once it commits."""
    if not emails:
        return []
    if not connection.in_atomic_block:
        raise RuntimeError("queue_emails must run inside the transaction that records the decision.")
    created = OutboundEmail.objects.bulk_create(emails)
    if any(email.pk is None for email in created):  # SQLite before 3.35 returns no ids from bulk inserts
        ids_by_message = dict(
            OutboundEmail.objects.filter(message_id__in=[e.message_id for e in created]).values_list("message_id", "pk")
        )
        for email in created:
            email.pk = ids_by_message[email.message_id]
    ids = [email.pk for email in created]
    # Off only where something else drains the outbox (the benchmark times sending apart).
    if getattr(settings, "OUTBOX_SEND_ON_COMMIT", True):
        transaction.on_commit(lambda: enqueue_send(ids))
    return created


# Announced after commit with the new rows' ids; engagement's AppConfig.ready() connects the task
# that sends them. An event rather than an import: the tasks module imports everything that queues
# email (digests, nudges, …), so importing it from here would close a loop.
emails_queued = Event("emails_queued")


def enqueue_send(ids: list[int]) -> None:
    """Hand committed outbox rows to the sender, in batches (called after commit)."""
    for batch in chunks(ids, SEND_BATCH_SIZE):
        emails_queued.send(email_ids=batch)


# --- Sending --------------------------------------------------------------------------------


@dataclass
class SendReport:
    sent: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)  # already sent, gone, or being sent elsewhere
    retry: list[int] = field(default_factory=list)    # a transient error: try these again later
    failed: list[int] = field(default_factory=list)   # given up


def _message(row: OutboundEmail, mail_connection) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=row.subject, body=row.body_text, from_email=settings.DEFAULT_FROM_EMAIL, to=[row.to],
        headers={**row.headers, "Message-ID": row.message_id}, connection=mail_connection,
    )
    if row.body_html:
        message.attach_alternative(row.body_html, "text/html")
    return message


def _claim(pk: int) -> OutboundEmail | None:
    return (
        OutboundEmail.objects.select_for_update(skip_locked=True)
        .filter(pk=pk, status=OutboundEmail.Status.PENDING)
        .first()
    )


def _record_failure(pk: int, error: Exception, *, permanent: bool) -> bool:
    """Count the attempt, schedule the next one with backoff; True if we have given up."""
    attempts = (OutboundEmail.objects.filter(pk=pk).values_list("attempts", flat=True).first() or 0) + 1
    give_up = permanent or attempts >= MAX_ATTEMPTS
    OutboundEmail.objects.filter(pk=pk, status=OutboundEmail.Status.PENDING).update(
        attempts=attempts,
        last_error=f"{type(error).__name__}: {error}"[:2000],
        next_attempt_at=timezone.now() + backoff(attempts),
        status=OutboundEmail.Status.FAILED if give_up else OutboundEmail.Status.PENDING,
    )
    logger.warning("Outbox email %s attempt %s failed%s: %s", pk, attempts, " (giving up)" if give_up else "", error)
    return give_up


def _is_permanent(error: Exception) -> bool:
    """A 5xx refusal of the recipient or message: sending it again would fail again."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, (smtplib.SMTPSenderRefused, smtplib.SMTPDataError)) and error.smtp_code >= 500


def send_outbox(ids: list[int]) -> SendReport:
    """Send these outbox rows over one mail connection, each claimed and committed on its own."""
    report = SendReport()
    mail = get_connection(fail_silently=False)
    opened = False
    try:
        for position, pk in enumerate(ids):
            try:
                with transaction.atomic():
                    row = _claim(pk)
                    if row is None:
                        report.skipped.append(pk)
                        continue
                    # Marked first, committed after the hand-over: the only gap left between
                    # "accepted by the server" and "recorded as sent" is the COMMIT itself.
                    row.status, row.sent_at, row.attempts = OutboundEmail.Status.SENT, timezone.now(), row.attempts + 1
                    row.save(update_fields=["status", "sent_at", "attempts"])
                    if not opened:
                        mail.open()  # lazily: no connection at all when every row was already sent
                        opened = True
                    mail.send_messages([_message(row, mail)])
            except TRANSIENT_ERRORS as error:
                permanent = _is_permanent(error)
                gave_up = _record_failure(pk, error, permanent=permanent)
                (report.failed if gave_up else report.retry).append(pk)
                if not permanent:
                    # The connection is suspect: leave the rest of the batch for the retry.
                    report.retry.extend(ids[position + 1 :])
                    break
            except DatabaseError:
                raise  # the task fails and is retried whole; rows stay pending
            except Exception as error:  # noqa: BLE001 - one bad row must not stop the batch
                logger.exception("Outbox email %s could not be built or sent", pk)
                (report.failed if _record_failure(pk, error, permanent=False) else report.retry).append(pk)
            else:
                report.sent.append(pk)
    finally:
        if opened:
            try:
                mail.close()
            except TRANSIENT_ERRORS:  # the messages are already accepted; a failed QUIT is noise
                logger.info("Closing the mail connection failed", exc_info=True)
    return report


def pending_for_sweep(*, now: datetime | None = None) -> list[int]:
    """Rows still pending after their own task should have sent them (crash, broker loss, backoff)."""
    now = now or timezone.now()
    return list(
        OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING, next_attempt_at__lte=now - SWEEP_GRACE)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:SWEEP_LIMIT]
    )
