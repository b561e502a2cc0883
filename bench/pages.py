"""What the benchmark loads, and the budget each page is held to.

Budgets are ratios to the ceiling (a trivial endpoint) measured in the same run: the machine is
shared and noisy, so absolute requests/s drift, but a page's share of what the stack can do at
best is stable. Add a page here when a capability lands (digests, dashboard, enrolment); a URL
that does not resolve yet is reported as skipped, not failed.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class BenchPage:
    key: str
    label: str
    url: Callable[[dict], str]  # world (what the seed made) -> path; may raise NoReverseMatch
    as_user: str | None  # "member", "facilitator" or None (anonymous)
    budget: float | None  # minimum requests/s as a share of the ceiling's
    note: str = ""

    def path(self, world: dict) -> str | None:
        try:
            return self.url(world)
        except NoReverseMatch:
            return None


def _thread(key: str) -> Callable[[dict], str]:
    return lambda w: reverse("actionsets:thread", kwargs={"set_slug": w["main_set"], "airtime_id": w[key]})


CEILING = BenchPage(
    "ceiling", "ceiling (trivial endpoint)", lambda w: w["ceiling_path"], None, None,
    note="/healthz?shallow=1 when config/health.py provides it, else /bench/ceiling (BENCH_CEILING=1)",
)

PAGES: list[BenchPage] = [
    BenchPage("thread-20", "thread, 20 replies", _thread("thread20"), "member", 0.025),
    BenchPage("thread-200", "thread, 200 replies", _thread("thread200"), "member", 0.005),
    BenchPage("set", "set page", lambda w: reverse("actionsets:set_home", args=[w["main_set"]]), "member", 0.06),
    BenchPage("home", "/ (my sets)", lambda w: reverse("home"), "member", 0.06),
    BenchPage(
        "dashboard", "facilitator dashboard, 2,000-reply set",
        lambda w: reverse("facilitation:dashboard", args=[w["big_set"]]), "facilitator", 0.02,
        note="arrives with the facilitation issue (4)",
    ),
]


@dataclass
class BenchJob:
    """A batch job timed once with its query count (the digest run, CSV enrolment…)."""

    key: str
    label: str
    run: Callable[[dict], object]
    available: Callable[[], bool] = field(default=lambda: True)


# Issue 3 adds the digest run for 5,000 users and issue 5 the 5,000-row CSV enrolment here.
JOBS: list[BenchJob] = []
