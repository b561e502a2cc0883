"""Small-set statistics for the dashboard (docs/set-process.md), over per-member totals only.

Inputs are one number per member (n ≤ 8 in a set), never one per post: the database has already
aggregated the posts. Each function returns None where the figure would mean nothing (fewer
than two members, nothing posted) rather than a misleading 0.
"""

import math
import statistics
from dataclasses import dataclass
from datetime import timedelta

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# docs/facilitation.md: flag G* above this; below EVEN_BELOW reads as evenly spread.
GINI_FLAG_ABOVE = 0.4
EVEN_BELOW = 0.2


def gini(values: list[float]) -> float | None:
    """G = Σᵢ Σⱼ |xᵢ − xⱼ| ÷ (2 n² x̄)."""
    n, total = len(values), sum(values)
    if n < 2 or total <= 0:
        return None
    mean = total / n
    return sum(abs(a - b) for a in values for b in values) / (2 * n * n * mean)


def gini_normalised(values: list[float]) -> float | None:
    """G* = G · n/(n−1): in a set of n the largest possible G is (n−1)/n, so G* runs 0…1."""
    g = gini(values)
    return None if g is None else g * len(values) / (len(values) - 1)


def evenness(values: list[float]) -> float | None:
    """Shannon evenness J = H ÷ ln S over all S members (silent members count: they lower J)."""
    s, total = len(values), sum(values)
    if s < 2 or total <= 0:
        return None
    h = -sum((v / total) * math.log(v / total) for v in values if v > 0)
    return h / math.log(s)


def median_duration(durations: list[timedelta]) -> timedelta | None:
    return statistics.median(durations) if durations else None


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def percent(value: float, decimals: int = 0) -> str:
    """A share (0.45) as a percentage in the active language: "45%" in English, "45 %" in Spanish
    and German, with the language's decimal separator ("12,5 %")."""
    return _("%(number)s%%") % {"number": number_format(round(value * 100, decimals), decimal_pos=decimals)}


@dataclass(frozen=True)
class Equity:
    """The equity figure with its raw counts and a plain-words reading."""

    n: int
    total: int
    top: int
    g: float | None
    g_star: float | None
    j: float | None
    # Who the figure is over (docs/facilitation.md, "Equity"): learners present for the whole scope.
    since_label: str = ""      # e.g. "round 2 opened"; empty when every learner counts
    left_out: int = 0          # learners who joined after that and are not counted

    @property
    def flagged(self) -> bool:
        return self.g_star is not None and self.g_star > GINI_FLAG_ABOVE

    @property
    def level(self) -> str:
        if self.g_star is None:
            return "unknown"
        if self.flagged:
            return "uneven"
        return "even" if self.g_star < EVEN_BELOW else "mixed"

    @property
    def reading(self) -> str:
        if self.g_star is None:
            return _("Not enough posts or members yet to say how evenly the set is taking part.")
        top = " " + ngettext(
            "The most active member wrote %(top)s of the %(total)s post (%(share)s).",
            "The most active member wrote %(top)s of the %(total)s posts (%(share)s).", self.total,
        ) % {"top": self.top, "total": self.total, "share": percent(self.top / self.total)}
        return str({
            "even": _("Evenly spread: members are contributing similar amounts."),
            "mixed": _("Somewhat uneven: some members contribute noticeably more than others."),
            "uneven": _("Uneven: a few members are carrying the conversation. Worth a look."),
        }[self.level]) + top + self.counted_over

    @property
    def counted_over(self) -> str:
        """Whom the figure counts, in plain words: a newcomer is not read as a silent member."""
        if not self.since_label:
            return ""
        values = {"n": self.n, "since": self.since_label, "left_out": self.left_out}
        if not self.left_out:
            return " " + ngettext("Counted over the %(n)s learner who was a member when %(since)s.",
                                  "Counted over the %(n)s learners who were members when %(since)s.", self.n) % values
        return " " + ngettext(
            "Counted over the %(n)s learners who were members when %(since)s; %(left_out)s who joined later is "
            "not counted.",
            "Counted over the %(n)s learners who were members when %(since)s; %(left_out)s who joined later are "
            "not counted.", self.left_out) % values


def equity(values: list[int], *, since_label: str = "", left_out: int = 0) -> Equity:
    return Equity(n=len(values), total=sum(values), top=max(values, default=0),
                  g=gini(values), g_star=gini_normalised(values), j=evenness(values),
                  since_label=since_label, left_out=left_out)
