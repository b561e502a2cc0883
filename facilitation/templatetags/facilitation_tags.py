"""Formatting for the dashboard: every figure reads "—" when it would mean nothing."""

from datetime import timedelta

from django import template

register = template.Library()

DASH = "—"


@register.filter
def pct(value) -> str:
    return DASH if value is None else f"{value:.0%}"


@register.filter
def fixed2(value) -> str:
    return DASH if value is None else f"{value:.2f}"


@register.filter
def duration(value: timedelta | None) -> str:
    """Hours under two days, days beyond."""
    if value is None:
        return DASH
    hours = value.total_seconds() / 3600
    return f"{hours:.1f} h" if hours < 48 else f"{hours / 24:.1f} days"


@register.filter
def get(mapping, key):
    return mapping.get(key, 0) if mapping else 0


@register.filter
def days_since(board, member):
    return board.days_since(member)


@register.filter
def is_quiet(board, member) -> bool:
    return board.is_quiet(member)
