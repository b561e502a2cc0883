from datetime import datetime

from django import template

register = template.Library()


@register.filter
def iso_datetime(value) -> str:
    """A `<time datetime>` value: ISO 8601 to the second, in the current time zone.

    Django's `date:'c'` keeps microseconds ("…T10:30:00.123456+00:00"); HTML allows at most three
    fraction digits, so every such page failed the Nu HTML Checker. Seconds are plenty for a post.
    """
    if not isinstance(value, datetime):
        return value.isoformat() if hasattr(value, "isoformat") else ""
    from django.utils import timezone

    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(microsecond=0).isoformat()


@register.filter
def dictget(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def indent(depth) -> str:
    """CSS class for a reply's nesting depth (capped: deeper levels share the last indent)."""
    return f"depth-{min(int(depth or 0), 4)}"


_AGO_UNITS = ((7 * 86400, "week"), (86400, "day"), (3600, "hour"), (60, "minute"))


@register.filter
def ago(value, now=None) -> str:
    """"3 days", "1 hour": the largest whole unit since `value`.

    Django's `timesince` costs ~70 µs (calendar arithmetic, two translated units); lists call it on
    every row, and the set page spent a sixth of its time there (bench/, docs/benchmarks.md).
    """
    if not value:
        return ""
    from django.utils import timezone

    seconds = int(((now or timezone.now()) - value).total_seconds())
    for size, unit in _AGO_UNITS:
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return "moments"
