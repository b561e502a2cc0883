"""Reads shared by digests, nudges and round emails. Each is one query for a whole batch.

Visibility rules applied here, for every email: only current memberships, nothing hidden by
moderation, nothing by the recipient themselves (callers filter per recipient), and only sets the
recipient belongs to (callers pass set ids taken from the recipient's current memberships).
"""

from datetime import datetime

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, Substr

from actionsets.models import Airtime, Membership, Reply

# Post bodies are large; emails about them need titles, ids and short excerpts only.
AIRTIME_HEAVY = ("body", "body_html")
# Enough sanitised HTML to cut a 180-character excerpt from, without loading 50 kB bodies.
HEAD_CHARS = 1500


def current_memberships(**filters) -> QuerySet[Membership]:
    """Current memberships in live sets, muted ones excluded: muted means no email for that set."""
    return (
        Membership.objects.current()
        .filter(action_set__archived=False, **filters)
        .exclude(notification_level=Membership.NotificationLevel.MUTED)
    )


def in_open_round(now: datetime, prefix: str = "") -> Q:
    return Q(**{f"{prefix}round__opens_at__lte": now, f"{prefix}round__closes_at__gt": now})


def waiting_replies(*, user_ids, set_ids, now: datetime) -> list[Reply]:
    """Replies waiting for an answer from one of `user_ids`, oldest first.

    Addressed to the presenter: a top-level question on their airtime. Addressed to anyone: a
    reply to one of their replies. Waiting: the addressee has not replied to it. Only airtimes
    that can still be answered (open round, not locked) and never hidden replies.
    `reply.addressed_id` says whom each one waits for.
    """
    return list(
        Reply.objects.filter(
            in_open_round(now, "airtime__"), airtime__action_set_id__in=set_ids, airtime__locked=False, hidden=False
        )
        .exclude(kind=Reply.Kind.SUMMARY)
        .filter(
            Q(in_reply_to__isnull=True, kind=Reply.Kind.QUESTION, airtime__presenter_id__in=user_ids)
            | Q(in_reply_to__author_id__in=user_ids)
        )
        .annotate(addressed_id=Coalesce("in_reply_to__author_id", "airtime__presenter_id"))
        .exclude(author_id=F("addressed_id"))
        .exclude(Exists(Reply.objects.filter(in_reply_to=OuterRef("pk"), author_id=OuterRef("addressed_id"))))
        .select_related("author", "airtime")
        .annotate(head=Substr("body_html", 1, HEAD_CHARS))
        .defer(*(f"airtime__{name}" for name in AIRTIME_HEAVY), *AIRTIME_HEAVY)
        .order_by("created_at", "pk")
    )


def with_head(queryset: QuerySet) -> QuerySet:
    """Posts with `head`, the start of their HTML for excerpts, instead of their whole bodies."""
    return queryset.annotate(head=Substr("body_html", 1, HEAD_CHARS)).defer(*AIRTIME_HEAVY)


def airtimes(**filters) -> QuerySet[Airtime]:
    return with_head(Airtime.objects.filter(**filters).select_related("presenter"))
