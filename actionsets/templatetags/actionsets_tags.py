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


AVATAR_COLOURS = 8  # .avatar--0 … .avatar--7 in app.css: each dark enough for white initials (AA)


@register.filter
def avatar_colour(user) -> int:
    """The default picture's colour: fixed per person, so a face stays the same colour everywhere."""
    return (getattr(user, "pk", 0) or 0) * 7 % AVATAR_COLOURS


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


@register.simple_tag(takes_context=True)
def term(context, key: str, text: str = ""):
    """A process word with its one-line definition on hover and focus (issue 13): a link to "How a
    round works" that describes itself with the definition (aria-describedby), so keyboard and
    screen-reader users get it too; without CSS or JS it is a plain link to the long explanation."""
    from django.urls import reverse
    from django.utils.html import format_html

    from ..glossary import TERMS

    label, definition, anchor = TERMS[key]
    count = context.render_context.get("term_count", 0) + 1
    context.render_context["term_count"] = count
    tip = f"term-{key}-{count}"
    return format_html(
        '<span class="term"><a class="term__word" href="{}#{}" aria-describedby="{}">{}</a>'
        '<span class="term__tip" role="tooltip" id="{}">{}</span></span>',
        reverse("how_rounds_work"), anchor, tip, text or label, tip, definition,
    )
