"""`<time datetime>` values the Nu HTML Checker accepts: ISO 8601 to the second (tests/browser/test_html_validity.py
checks every page; this pins the filter down without a JVM)."""

from datetime import UTC, date, datetime, timedelta, timezone

from django.template import Context, Template
from django.utils import timezone as django_timezone


def render(value, tz="Europe/London"):
    with django_timezone.override(tz):
        return Template('<time datetime="{{ value|iso_datetime }}">').render(Context({"value": value}))


def test_microseconds_are_dropped_and_the_offset_kept():
    value = datetime(2026, 11, 24, 10, 30, 5, 123456, tzinfo=UTC)
    assert render(value, "UTC") == '<time datetime="2026-11-24T10:30:05+00:00">'


def test_an_aware_datetime_is_shown_in_the_current_time_zone_like_date_c():
    value = datetime(2026, 7, 1, 10, 0, 0, 999999, tzinfo=UTC)
    assert render(value) == '<time datetime="2026-07-01T11:00:00+01:00">'
    assert render(datetime(2026, 7, 1, 9, 0, tzinfo=timezone(timedelta(hours=-1)))) == \
        '<time datetime="2026-07-01T11:00:00+01:00">'


def test_naive_datetimes_dates_and_empty_values():
    assert render(datetime(2026, 1, 2, 3, 4, 5, 6)) == '<time datetime="2026-01-02T03:04:05">'
    assert render(date(2026, 1, 2)) == '<time datetime="2026-01-02">'
    assert render(None) == '<time datetime="">'
