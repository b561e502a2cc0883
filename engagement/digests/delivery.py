"""Who is due a digest, and recording a batch's digests exactly once.

The dispatcher (every 15 minutes) picks users whose local digest hour has come and who have no
DigestDelivery for the period, and hands them out in batches of ~30 ids ordered by their first
set, so a batch's people share sets and its queries fetch little. A batch builds its digests in
eleven queries, then, in one transaction, locks its users' rows (`SKIP LOCKED`: a concurrent tick
or a redelivered task working on the same people skips them), re-checks deliveries under the
lock and writes the outbox rows and the DigestDelivery rows together.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from django.db import transaction
from django.db.models import Exists, Min, OuterRef, Q
from django.utils import timezone

from accounts.models import User

from .. import activity
from ..effects import with_visit_links
from ..emails import build_email
from ..inbound.tokens import reply_address
from ..models import DigestDelivery, OutboundEmail
from ..outbox import chunks, queue_emails
from ..schedule import digest_period
from ..unsubscribe import DIGEST
from .content import Digest, build_digests

BATCH_SIZE = 30


def due_user_ids(*, now: datetime) -> list[int]:
    """Users due a digest at `now` with no delivery row for the period yet. Two queries."""
    rows = (
        User.objects.filter(is_active=True)
        .exclude(digest_frequency=User.DigestFrequency.OFF)
        .filter(Exists(activity.current_memberships(user=OuterRef("pk"))))
        .annotate(first_set=Min("memberships__action_set_id", filter=Q(memberships__left_at__isnull=True)))
        .values_list("pk", "digest_frequency", "timezone", "digest_hour", "first_set")
    )
    due = {}
    for pk, frequency, tzname, hour, first_set in rows:
        period = digest_period(frequency=frequency, tzname=tzname, hour=hour, now=now)
        if period is not None:
            due[pk] = (period, first_set or 0)
    if not due:
        return []
    delivered = set(
        DigestDelivery.objects.filter(period_start__in={p.period_start for p, _ in due.values()})
        .values_list("user_id", "frequency", "period_start")
    )
    pending = [(first_set, pk) for pk, (period, first_set) in due.items() if (pk, *period.key) not in delivered]
    return [pk for _, pk in sorted(pending)]


def dispatch_digests(*, now: datetime, enqueue: Callable[[list[int]], object]) -> int:
    ids = due_user_ids(now=now)
    for batch in chunks(ids, BATCH_SIZE):
        enqueue(batch)
    return len(ids)


@dataclass
class BatchResult:
    sent: list[Digest] = field(default_factory=list)
    empty: list[Digest] = field(default_factory=list)
    skipped: list[Digest] = field(default_factory=list)  # locked elsewhere or already delivered


def digest_email(digest: Digest) -> OutboundEmail:
    period = digest.period
    thread = digest.single_thread
    return with_visit_links(build_email(
        user=digest.user, template="digest", context={"digest": digest}, category=f"digest.{period.frequency}",
        key=f"digest.{period.frequency}.{digest.user.pk}.{period.period_start:%Y%m%dT%H%MZ}",
        unsubscribe_scope=DIGEST,
        reply_to=thread and reply_address(user_id=digest.user.pk, airtime_id=thread[0], reply_id=thread[1],
                                          closes_at=thread[2], now=timezone.now()),
    ))


def record_digests(digests: list[Digest]) -> BatchResult:
    """Write each digest's outbox row and DigestDelivery in one transaction; skip any already done.

    An empty digest gets a DigestDelivery with item_count 0 and no email: the period has been
    evaluated, so later ticks do not re-evaluate it (docs/engagement.md explains why).
    Four queries: lock users, re-check deliveries, insert emails, insert deliveries.
    """
    result = BatchResult()
    if not digests:
        return result
    emails = {d.user.pk: digest_email(d) for d in digests if not d.is_empty}  # render outside the lock
    with transaction.atomic():
        locked = set(
            User.objects.select_for_update(skip_locked=True)
            .filter(pk__in=[d.user.pk for d in digests])
            .values_list("pk", flat=True)
        )
        done = set(
            DigestDelivery.objects.filter(
                user_id__in=locked, period_start__in={d.period.period_start for d in digests}
            ).values_list("user_id", "frequency", "period_start")
        )
        fresh = []
        for digest in digests:
            key = (digest.user.pk, *digest.period.key)
            (fresh if digest.user.pk in locked and key not in done else result.skipped).append(digest)
        queued = {e.user_id: e for e in queue_emails([emails[d.user.pk] for d in fresh if d.user.pk in emails])}
        written_at = timezone.now()
        DigestDelivery.objects.bulk_create([
            DigestDelivery(
                user=d.user, frequency=d.period.frequency, period_start=d.period.period_start,
                item_count=d.item_count, email=queued.get(d.user.pk), created_at=written_at,
            )
            for d in fresh
        ])
    for digest in fresh:
        (result.empty if digest.is_empty else result.sent).append(digest)
    return result


def run_digest_batch(user_ids: list[int], *, now: datetime) -> BatchResult:
    return record_digests(build_digests(user_ids, now=now))
