"""Reads shared by digests, nudges and round emails. Each is one query for a whole batch.

Visibility rules applied here, for every email: only current memberships, nothing hidden by
moderation, nothing by the recipient themselves (callers filter per recipient), only sets the
recipient belongs to (callers pass set ids taken from the recipient's current memberships), and
ask-before-you-see (`AskFirst`): nothing the recipient may not yet see in the thread.
"""

from django.db.models import QuerySet
from django.db.models.functions import Substr

from actionsets.models import Airtime, Membership
# What waits for an answer and ask-before-you-see live with the thread's rule in actionsets, so
# home's to-do list and every email count the same replies (issue 13).
from actionsets.selectors.waiting import (  # noqa: F401 - part of this module's interface
    AIRTIME_HEAVY,
    HEAD_CHARS,
    AskFirst,
    asks_first,
    in_open_round,
    questions_that_may_be_withheld,
    waiting_replies,
)


def current_memberships(**filters) -> QuerySet[Membership]:
    """Current memberships in live sets, muted ones excluded: muted means no email for that set.
    Researchers too (issue 17): no email about a set they research, but the notice of the grant."""
    return (
        Membership.objects.current()
        .filter(action_set__archived=False, **filters)
        .exclude(notification_level=Membership.NotificationLevel.MUTED)
        .exclude(role=Membership.Role.RESEARCHER)
    )


def with_head(queryset: QuerySet) -> QuerySet:
    """Posts with `head`, the start of their HTML for excerpts, instead of their whole bodies."""
    return queryset.annotate(head=Substr("body_html", 1, HEAD_CHARS)).defer(*AIRTIME_HEAVY)


def airtimes(**filters) -> QuerySet[Airtime]:
    return with_head(Airtime.objects.filter(**filters).select_related("presenter"))
