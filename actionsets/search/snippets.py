"""Highlighted snippets, safe by construction: the engines return plain text with START/STOP
markers around each match; the text is escaped first, and only then do the markers become
<mark> elements. Nothing a person wrote can become markup, whatever the engine matched."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .engines import START, STOP

FALLBACK_CHARS = 240


def highlighted(raw: str | None, fallback: str = "") -> SafeString:
    """`raw` (engine output with markers) as safe HTML; `fallback` (plain text, cut) when the engine
    found nothing to cut from (a match in the title only)."""
    if not raw or START not in raw:
        text = (fallback or raw or "").replace(START, "").replace(STOP, "")
        cut = text[:FALLBACK_CHARS] + ("…" if len(text) > FALLBACK_CHARS else "")
        return mark_safe(escape(cut))  # noqa: S308 - escaped on this line
    parts = escape(raw).replace(STOP, START).split(START)
    html = [parts[0]]
    for i, part in enumerate(parts[1:]):
        html += ["</mark>" if i % 2 else "<mark>", part]
    if len(parts) % 2 == 0:  # markers are balanced by both engines; close one left open all the same
        html.append("</mark>")
    return mark_safe("".join(html))  # noqa: S308 - built from escaped text and our own <mark> tags
