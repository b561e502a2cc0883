"""Clock arithmetic in each recipient's own time zone: digest periods and quiet hours.

Everything here is pure (no queries) so a batch can evaluate thirty people at once and tests can
move the clock with `now=`.
"""

import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.utils.functional import lazy

# Nothing is sent between 22:00 and 07:00 recipient-local time; the next hourly run sends it.
QUIET_HOURS_START = 22
QUIET_HOURS_END = 7

DAILY = "daily"
WEEKLY = "weekly"


def zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def local_instant(day: date, hour: int, tz: zoneinfo.ZoneInfo) -> datetime:
    """`hour`:00 on `day` in `tz`, as an aware UTC datetime (zoneinfo resolves DST gaps/folds)."""
    return datetime.combine(day, time(hour), tzinfo=tz).astimezone(UTC)


@dataclass(frozen=True)
class DigestPeriod:
    """One digest's slot. `period_start` (the local day or Monday start, in UTC) is the
    idempotency key with the frequency; the content window is [since, due_at)."""

    frequency: str
    period_start: datetime
    due_at: datetime
    since: datetime

    @property
    def key(self) -> tuple[str, datetime]:
        return self.frequency, self.period_start


def digest_period(*, frequency: str, tzname: str, hour: int, now: datetime) -> DigestPeriod | None:
    """The period whose digest is due at `now`, or None if this day's (week's) hour has not come.

    Only the current local day (or week) is ever due: a day missed entirely (workers down) is
    skipped rather than sent late — its posts are still unread on the site.
    """
    if frequency not in (DAILY, WEEKLY):
        return None
    tz = zone(tzname)
    day = now.astimezone(tz).date()
    step = 1
    if frequency == WEEKLY:
        day -= timedelta(days=day.weekday())  # Monday
        step = 7
    due_at = local_instant(day, hour, tz)
    if now < due_at:
        return None
    return DigestPeriod(
        frequency=frequency,
        period_start=local_instant(day, 0, tz),
        due_at=due_at,
        since=local_instant(day - timedelta(days=step), hour, tz),
    )


def _local_label(moment: datetime, tzname: str) -> str:
    from django.utils import dateformat
    from django.utils.translation import pgettext

    # Translators: a date format (https://docs.djangoproject.com/en/stable/ref/templates/builtins/#date)
    return dateformat.format(moment.astimezone(zone(tzname)), pgettext("email date format", "l j F, H:i T"))


# How an email names a moment: in the reader's own zone, e.g. "Friday 27 November, 17:00 GMT".
# Lazy: the words (day, month, the format itself) are those of the language active when the
# email is rendered, the recipient's (engagement.emails.build_email), not the sender's.
local_label = lazy(_local_label, str)


def is_quiet_hours(tzname: str, now: datetime) -> bool:
    hour = now.astimezone(zone(tzname)).hour
    return hour >= QUIET_HOURS_START or hour < QUIET_HOURS_END
