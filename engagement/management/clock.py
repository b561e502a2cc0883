"""Shared options for the engagement commands: `--now` and `--dry-run`."""

from datetime import UTC, datetime

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime


def add_clock_arguments(parser) -> None:
    parser.add_argument(
        "--now", metavar="ISO", help="Evaluate as if it were this time, e.g. 2026-11-24T07:30:00+13:00 (naive = UTC).",
    )
    parser.add_argument("--dry-run", action="store_true", help="Print who would get what; write and send nothing.")


def parse_now(value: str | None) -> datetime:
    if not value:
        return timezone.now()
    moment = parse_datetime(value)
    if moment is None:
        raise CommandError(f"--now {value!r} is not an ISO 8601 date and time, e.g. 2026-11-24T07:30:00Z")
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)
