"""Summarise the wrk runs against the budgets: a table for people, JSON for the record."""

import json
import statistics
from datetime import UTC, datetime
from pathlib import Path


def summarise(page, runs: list, *, path: str, queries: int | None, size: int, ceiling: dict | None,
              latency_runs: list | None = None) -> dict:
    rps = [r.rps for r in runs]
    errors = sum(r.non_2xx_3xx + r.socket_errors for r in runs)
    median = statistics.median(rps)
    ratio = median / ceiling["rps_median"] if ceiling else None
    cpu = [r.cpu_ms_per_request for r in runs if r.cpu_ms_per_request]
    cpu_ms = statistics.median(cpu) if cpu else None
    # The same budget read from CPU cost: what share of the ceiling's throughput this page would
    # reach on an idle machine. Stable where requests/s is at the mercy of the neighbours' load.
    cpu_ratio = ceiling["cpu_ms"] / cpu_ms if ceiling and ceiling.get("cpu_ms") and cpu_ms else None
    within = None if page.budget is None or ratio is None else ratio >= page.budget
    # The latency budget (pages with `p95_ms`): the median of the one-connection runs' p95.
    budget_p95 = getattr(page, "p95_ms", None)
    latency_runs = latency_runs or []
    p95s = [r.p95_ms for r in latency_runs if r.p95_ms is not None]
    p95_ms = statistics.median(p95s) if p95s else None
    p95_within = None if budget_p95 is None or p95_ms is None else p95_ms <= budget_p95
    errors += sum(r.non_2xx_3xx + r.socket_errors for r in latency_runs)
    return {
        "p95_budget_ms": budget_p95, "p95_ms": p95_ms, "p95_within": p95_within,
        "latency_runs": [r.as_dict() for r in latency_runs],
        "key": page.key, "label": page.label, "path": path, "as_user": page.as_user, "budget": page.budget,
        "rps_min": min(rps), "rps_median": median, "rps_max": max(rps),
        "p50_ms": statistics.median(r.p50_ms for r in runs), "p99_ms": statistics.median(r.p99_ms for r in runs),
        "queries": queries, "bytes": size, "errors": errors, "ratio": ratio,
        "cpu_ms": cpu_ms, "cpu_ratio": cpu_ratio,
        "cpu_within": None if page.budget is None or cpu_ratio is None else cpu_ratio >= page.budget,
        "passed": (within is not False) and (p95_within is not False) and errors == 0,
        "runs": [r.as_dict() for r in runs],
    }


def table(rows: list[dict], skipped: list[dict]) -> str:
    head = (f"{'page':<40} {'req/s min/med/max':>21} {'share':>7} {'budget':>7} {'p50 ms':>8} {'p99 ms':>8} "
            f"{'SQL':>4} {'KiB':>7} {'errors':>6} {'CPU ms':>7} {'CPU share':>9}  result")
    lines = [head, "-" * len(head)]
    for row in rows:
        share = f"{row['ratio'] * 100:.2f}%" if row["ratio"] is not None else "—"
        budget = f"{row['budget'] * 100:.1f}%" if row["budget"] is not None else "—"
        rps = f"{row['rps_min']:.0f}/{row['rps_median']:.0f}/{row['rps_max']:.0f}"
        verdict = "ok" if row["passed"] else "FAIL"
        if row["budget"] is None and row["passed"]:
            verdict = "(ceiling)" if row["key"] == "ceiling" else "ok"
        lines.append(
            f"{row['label']:<40} {rps:>21} {share:>7} {budget:>7} {row['p50_ms']:>8.1f} {row['p99_ms']:>8.1f} "
            f"{row['queries'] if row['queries'] is not None else '—':>4} {row['bytes'] / 1024:>7.1f} "
            f"{row['errors']:>6} {_num(row['cpu_ms'], '.2f'):>7} {_pct(row['cpu_ratio']):>9}  {verdict}"
        )
    for row in rows:
        if row.get("p95_budget_ms") is not None:
            p95 = _num(row.get("p95_ms"), ".1f")
            verdict = {True: "ok", False: "FAIL", None: "not measured"}[row.get("p95_within")]
            lines.append(f"{row['label'] + ', one connection':<40} p95 {p95} ms, budget {row['p95_budget_ms']:.0f} ms"
                         f"  {verdict}")
    for item in skipped:
        lines.append(f"{item['label']:<40} skipped: {item['reason']}")
    return "\n".join(lines)


def jobs_table(jobs: list[dict]) -> str:
    """The batch jobs: one line per measured step (a job may measure several, e.g. preview, commit)."""
    head = f"{'job':<40} {'seconds':>9} {'SQL':>7}  details"
    lines = [head, "-" * 100]
    for row in jobs:
        if "skipped" in row:
            lines.append(f"{row['label']:<40} skipped: {row['skipped']}")
        else:
            lines.append(f"{row['label']:<40} {row['seconds']:>9.2f} {row['queries']:>7,}  {row.get('note', '')}")
    return "\n".join(lines)


def _num(value, spec: str) -> str:
    return format(value, spec) if value is not None else "—"


def _pct(value) -> str:
    return f"{value * 100:.2f}%" if value is not None else "—"


def write_json(directory: Path, vendor: str, document: dict) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = directory / f"{stamp}-{vendor}.json"
    path.write_text(json.dumps(document, indent=2, default=str) + "\n")
    return path


def markdown(document: dict, name: str = "") -> str:
    """A results file as the Markdown tables docs/benchmarks.md quotes: `python -m bench.report FILE`."""
    meta = document["meta"]
    out = [f"**{meta['database']} {meta['database_version']}** — `{name}` (commit {meta['git_commit']}, "
           f"{meta['runs']} runs × {meta['seconds_per_run']:g} s, {meta['connections']} connections, "
           f"{meta['workers']} workers, load average after {meta['load_average_after'][0]:.1f}):", "",
           "| page | req/s min / median / max | share of ceiling | budget | p50 ms | p99 ms | SQL | KiB | errors "
           "| CPU ms/req | CPU share | verdict |",
           "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for row in document["pages"]:
        ceiling = row["key"] == "ceiling"
        verdict = "ceiling" if ceiling else ("**pass**" if row["passed"] else "**miss**")
        out.append(
            f"| {row['label']} | {row['rps_min']:.0f} / {row['rps_median']:.0f} / {row['rps_max']:.0f} "
            f"| {_pct(row['ratio'])} | {'≥ ' + format(row['budget'] * 100, '.1f') + ' %' if row['budget'] else '—'} "
            f"| {row['p50_ms']:.1f} | {row['p99_ms']:.1f} | {row['queries'] if row['queries'] is not None else '—'} "
            f"| {row['bytes'] / 1024:.1f} | {row['errors']} | {_num(row['cpu_ms'], '.2f')} | {_pct(row['cpu_ratio'])} "
            f"| {verdict} |"
        )
    latency = [r for r in document["pages"] if r.get("p95_budget_ms") is not None]
    if latency:
        out += ["", "| page, one connection | p95 ms (median of runs) | budget | verdict |", "| --- | --- | --- | --- |"]
        out += [f"| {r['label']} | {_num(r.get('p95_ms'), '.1f')} | ≤ {r['p95_budget_ms']:.0f} ms "
                f"| {'**pass**' if r.get('p95_within') else '**miss**'} |" for r in latency]
    jobs = [j for j in document.get("jobs", []) if "skipped" not in j]
    if jobs:
        out += ["", "| job | seconds | SQL | details |", "| --- | --- | --- | --- |"]
        out += [f"| {j['label']} | {j['seconds']:.2f} | {j['queries']:,} | {j.get('note', '')} |" for j in jobs]
    return "\n".join(out).replace("%", " %").replace("  %", " %")


if __name__ == "__main__":
    import sys

    for argument in sys.argv[1:]:
        print(markdown(json.loads(Path(argument).read_text()), Path(argument).name), end="\n\n")
