"""Recording Nudge decisions and their emails exactly once (used by nudges and round emails).

A plan is computed from reads; recording it takes the batch's scope rows (sets or rounds) with
`SELECT … FOR UPDATE SKIP LOCKED`, so two workers on the same scope never both proceed, re-reads
the Nudge keys under that lock, and writes the outbox rows and Nudge rows in one transaction.
An email carrying any decision that already exists is dropped whole; the next tick re-plans
whatever is still due. The unique (user, set, kind, period) constraint is the last line.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet

from .models import Nudge, OutboundEmail
from .outbox import queue_emails


@dataclass
class PlannedEmail:
    """One email to one person about one set, carrying one or more Nudge decisions."""

    user: object
    action_set: object
    nudges: list[Nudge]
    email: OutboundEmail
    scope_id: int  # the set or round whose lock guards it
    lines: list[str] = field(default_factory=list)  # what it says, for --dry-run


def nudge_key(nudge: Nudge) -> tuple:
    return nudge.user_id, nudge.action_set_id, nudge.kind, nudge.period


def email_key(prefix: str, nudges: list[Nudge]) -> str:
    """A Message-ID key naming the exact set of decisions the email carries."""
    digest = hashlib.sha1("|".join(sorted(f"{n.kind}:{n.period}" for n in nudges)).encode()).hexdigest()[:16]
    first = nudges[0]
    return f"{prefix}.{first.user_id}.{first.action_set_id}.{digest}"


def existing_keys(nudges: list[Nudge]) -> set[tuple]:
    if not nudges:
        return set()
    return set(
        Nudge.objects.filter(
            action_set_id__in={n.action_set_id for n in nudges},
            kind__in={n.kind for n in nudges},
            period__in={n.period for n in nudges},
        ).values_list("user_id", "action_set_id", "kind", "period")
    )


def record_planned(planned: list[PlannedEmail], *, locks: QuerySet) -> list[PlannedEmail]:
    """Write what is still new of `planned`; return what was written. Four queries."""
    if not planned:
        return []
    with transaction.atomic():
        # of=self: lock only the scope rows, not the sets a filter may join (nudges lock those).
        owned = set(locks.select_for_update(skip_locked=True, of=("self",)).values_list("pk", flat=True))
        done = existing_keys([n for p in planned for n in p.nudges])
        keep = [p for p in planned if p.scope_id in owned and not any(nudge_key(n) in done for n in p.nudges)]
        for plan, email in zip(keep, queue_emails([p.email for p in keep]), strict=True):
            for nudge in plan.nudges:
                nudge.email = email
        Nudge.objects.bulk_create([n for p in keep for n in p.nudges])
    return keep


def drop_known(planned: list[PlannedEmail], known: Callable[[Nudge], bool]) -> list[PlannedEmail]:
    return [p for p in planned if not any(known(n) for n in p.nudges)]
