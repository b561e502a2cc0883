"""Formatting for the dashboard: every figure reads "—" when it would mean nothing."""

from datetime import timedelta

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ..stats import percent

register = template.Library()

DASH = "—"


@register.filter
def pct(value) -> str:
    """A share as a percentage in the viewer's language: "45%" in English, "45 %" in Spanish and German."""
    return DASH if value is None else percent(value)


@register.filter
def fixed2(value) -> str:
    """Two decimals in the viewer's language: "0.42" in English, "0,42" in Spanish and German."""
    return DASH if value is None else number_format(round(value, 2), decimal_pos=2)


@register.filter
def duration(value: timedelta | None) -> str:
    """Hours under two days, days beyond."""
    if value is None:
        return DASH
    hours = value.total_seconds() / 3600
    if hours < 48:
        return _("%(hours)s h") % {"hours": number_format(round(hours, 1), decimal_pos=1)}
    return _("%(days)s days") % {"days": number_format(round(hours / 24, 1), decimal_pos=1)}


@register.filter
def get(mapping, key):
    return mapping.get(key, 0) if mapping else 0


@register.filter
def days_since(board, member):
    return board.days_since(member)


@register.filter
def is_quiet(board, member) -> bool:
    return board.is_quiet(member)
