"""Presence writes (issue 19): the day of a member's last visit. At most one write per member per
day: a second visit on the same day writes nothing."""

from datetime import datetime

from django.utils import timezone

from ..models import Membership


def note_visit(*, membership: Membership | None, now: datetime | None = None) -> None:
    """Record today (UTC) as the member's last visit to the set, if it is not already."""
    if membership is None:
        return
    today = (now or timezone.now()).date()
    if membership.last_visit_on == today:
        return
    Membership.objects.filter(pk=membership.pk).update(last_visit_on=today)
    membership.last_visit_on = today
