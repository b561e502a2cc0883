"""Server-rendered SVG bar charts: no JavaScript, no chart library, nothing for the CSP to allow.

Each chart is a horizontal bar chart (a label, then one bar per series) with role="img", a <title>
and a <desc> that summarises it, and comes with the same figures as rows for a table beside it
(templates/facilitation/_chart.html renders both). Colours come from CSS classes
(static/css/facilitation.css), so there are no inline styles; series also differ by their order
and every bar carries its number, so colour is never the only cue.
"""

import textwrap
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy
from django.utils.safestring import SafeString, mark_safe

from actionsets.kinds import DASHBOARD_LABELS

# No viewBox: bar lengths are percentages of the chart's width and text keeps its CSS size, so the
# chart stays legible from a phone to a wide screen. Heights are in px.
BAR_MAX_PCT = 86        # leaves room after the longest bar for its number
BAR_H = 16
LABEL_H = 20
LABEL_CHARS = 34       # a label's line: fits a 375 px phone at the label's font size
ROW_GAP = 10
LEGEND_H = 26


@dataclass
class Chart:
    key: str                                   # unique on the page: element ids derive from it
    title: str
    series: list[str]
    rows: list[tuple[str, list[float]]]
    unit: str = ""                             # an ngettext_lazy with a named "count": "%(count)s posts"
    svg: SafeString = mark_safe("")

    @property
    def empty(self) -> bool:
        return not any(v for _, values in self.rows for v in values)


def _fmt(value: float) -> str:
    """A figure in the viewer's language: "2.5" in English, "2,5" in Spanish and German."""
    return number_format(value) if isinstance(value, float) else str(value)


def _summary(chart: Chart) -> str:
    if chart.empty:
        return _("%(title)s: nothing to show yet.") % {"title": chart.title}
    top_label, top_values = max(chart.rows, key=lambda row: row[1][0])
    value = top_values[0]
    figure = (chart.unit % {"count": value}).replace(str(value), _fmt(value)) if chart.unit else _fmt(value)
    return _("%(title)s. %(rows)s rows. Highest %(series)s: %(label)s, %(figure)s. "
             "The same figures are in the table.") % {
        "title": chart.title, "rows": len(chart.rows), "series": chart.series[0].lower(), "label": top_label,
        "figure": figure}


def _legend(series: list[str]) -> SafeString:
    if len(series) < 2:
        return mark_safe("")
    items = format_html_join(
        "", '<rect class="bar bar--s{}" x="{}" y="4" width="14" height="14" rx="2"/>'
            '<text class="chart__legend" x="{}" y="16">{}</text>',
        ((i, i * 130, i * 130 + 20, name) for i, name in enumerate(series)),
    )
    return format_html('<g class="chart__legend-group">{}</g>', items)


def _rows(chart: Chart, top: int, peak: float) -> tuple[SafeString, int]:
    parts, y = [], top
    for label, values in chart.rows:
        # SVG text does not wrap: a long label (German runs a third longer) takes several lines, each
        # short enough for a phone's width, so nothing reaches past the chart's edge.
        lines = textwrap.wrap(str(label), LABEL_CHARS) or [""]
        parts.append(format_html('<text class="chart__label" x="0" y="{}">{}</text>', y + 14, format_html_join(
            "", '<tspan x="0" dy="{}">{}</tspan>', ((0 if n == 0 else LABEL_H - 4, line) for n, line in enumerate(lines)))))
        y += LABEL_H + (LABEL_H - 4) * (len(lines) - 1)
        for i, value in enumerate(values):
            pct = 0 if not peak else max(0.0, value) / peak * BAR_MAX_PCT
            # format_html escapes every argument to a string, so numbers are formatted first.
            parts.append(format_html(
                '<rect class="bar bar--s{}" x="0" y="{}" width="{}%" height="{}" rx="2"/>'
                '<text class="chart__value" x="{}%" dx="6" y="{}">{}</text>',
                i, y, f"{pct:.2f}", BAR_H - 3, f"{pct:.2f}", y + BAR_H - 4, _fmt(value)))
            y += BAR_H
        y += ROW_GAP
    return mark_safe("".join(parts)), y


def bar_chart(*, key: str, title: str, rows: list[tuple[str, list[float]]], series: list[str] | None = None,
              unit: str = "") -> Chart:
    title, series = str(title), [str(s) for s in series] if series else None
    chart = Chart(key=key, title=title, series=series or [title], rows=rows, unit=unit)
    peak = max((v for _, values in rows for v in values), default=0)
    top = LEGEND_H if len(chart.series) > 1 else 0
    body, height = _rows(chart, top, peak)
    chart.svg = format_html(
        '<svg class="chart__svg" width="100%" height="{}" role="img" aria-labelledby="{}-title {}-desc" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}{}</svg>',
        max(height, 30), chart.key, chart.key, chart.key, chart.title, chart.key, _summary(chart),
        _legend(chart.series), body,
    )
    return chart


UNIT_POSTS = ngettext_lazy("%(count)s post", "%(count)s posts", "count")
UNIT_REPLIES = ngettext_lazy("%(count)s reply", "%(count)s replies", "count")
UNIT_ANNOTATIONS = ngettext_lazy("%(count)s annotation", "%(count)s annotations", "count")


def for_dashboard(board) -> list[Chart]:
    """The dashboard's charts, each next to a table with the same figures."""
    names = [m.user.name for m in board.members]
    kinds = board.totals["kinds"]
    codes = [(c.label, [sum(m.annotations.get(c.pk, 0) for m in board.members)]) for c in board.codes]
    return [
        bar_chart(key="chart-posts", title=_("Posts per member"), unit=UNIT_POSTS,
                  rows=[(n, [m.posts]) for n, m in zip(names, board.members)]),
        bar_chart(key="chart-give", title=_("Replies given to others and received"),
                  series=[_("Given"), _("Received")], unit=UNIT_REPLIES,
                  rows=[(n, [m.given, m.received]) for n, m in zip(names, board.members)]),
        bar_chart(key="chart-kinds", title=_("Replies by kind"), unit=UNIT_REPLIES,
                  rows=[(str(label), [kinds[k]]) for k, label in DASHBOARD_LABELS.items()]),
        bar_chart(key="chart-codes", title=_("Annotations by code"), unit=UNIT_ANNOTATIONS, rows=codes),
    ]
