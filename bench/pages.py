"""What the benchmark loads, and the budget each page is held to.

Budgets are ratios to the ceiling (a trivial endpoint) measured in the same run: the machine is
shared and noisy, so absolute requests/s drift, but a page's share of what the stack can do at
best is stable. Add a page here when a capability lands; a URL that does not resolve yet is
reported as skipped, not failed. Batch jobs (the digest run, CSV enrolment) are timed once each,
with their query counts, after the loads; they have no budget.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse

from . import jobs, markdown_bench


@dataclass(frozen=True)
class BenchPage:
    key: str
    label: str
    url: Callable[[dict], str]  # world (what the seed made) -> path; may raise NoReverseMatch
    as_user: str | None  # "member", "facilitator" or None (anonymous)
    budget: float | None  # minimum requests/s as a share of the ceiling's
    note: str = ""
    # A latency budget: the p95 in ms of one connection's requests, one after another (a reader's
    # wait without a queue in front of the workers), measured by an extra wrk run per round.
    p95_ms: float | None = None

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
    BenchPage(
        "thread-drafts", "thread, 20 replies, the reader's drafts", lambda w: _thread("threaddrafts")(w)
        + (f"?reply_to={w['draft_parent']}" if w.get("draft_parent") else ""), "member", 0.025,
        note="issue 14: the reply box filled from a draft, the other drafts linked",
    ),
    BenchPage("set", "set page", lambda w: reverse("actionsets:set_home", args=[w["main_set"]]), "member", 0.06),
    BenchPage("home", "/ (my sets)", lambda w: reverse("home"), "member", 0.06),
    BenchPage("notifications", "/notifications/", lambda w: reverse("engagement:notifications"), "member", 0.06,
              note="issue 14: the newest 50 of the member's notifications; budget as for the set page"),
    BenchPage(
        "search", "search my sets, common words", lambda w: reverse("search") + "?q=deadline+team", "member", 0.03,
        note="words in about a third of all posts; ranked, snippets, one page of 20 (docs/search.md); "
        "issue 15: p95 under 50 ms, one connection",
        p95_ms=50.0,
    ),
    BenchPage(
        "dashboard", "facilitator dashboard, 2,000-reply set",
        lambda w: reverse("facilitation:dashboard", args=[w["big_set"]]), "facilitator", 0.02,
        note="arrives with the facilitation issue (4)",
    ),
]


@dataclass
class BenchJob:
    """A batch job run once after the loads, in-process (bench/jobs.py): it seeds its own data,
    times itself and counts its queries, cleans up, and returns one row per measured step."""

    key: str
    label: str
    run: Callable[[dict, Callable[[str], None]], list[dict]]  # (world, log) -> [{key, label, seconds, queries, …}]
    available: Callable[[], bool] = field(default=lambda: True)


JOBS: list[BenchJob] = [
    BenchJob("digests", "digest run", jobs.digest_run),
    BenchJob("enrolment", "CSV enrolment, preview and commit", jobs.csv_enrolment),
    BenchJob("markdown", "markdown renderer, µs per KB, old vs new", markdown_bench.renderer_job),
]
