"""Run wrk (the HTTP load generator from Debian) and read its report."""

import re
import shutil
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

INSTALL_HINT = "the benchmark needs wrk: apt-get install -y wrk (Debian/Ubuntu) or brew install wrk (macOS)"
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
P95_SCRIPT = Path(__file__).resolve().parent / "p95.lua"  # prints the 95th percentile, which --latency does not


class WrkMissing(RuntimeError):
    pass


def wrk_path() -> str:
    path = shutil.which("wrk")
    if not path:
        raise WrkMissing(INSTALL_HINT)
    return path


@dataclass
class WrkRun:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    non_2xx_3xx: int
    socket_errors: int
    cpu_ms_per_request: float | None = None  # gunicorn's CPU time per request (see bench.server.Served)
    p95_ms: float | None = None  # from bench/p95.lua

    def as_dict(self) -> dict:
        return asdict(self)


def _ms(value: str, unit: str) -> float:
    return float(value) * _UNITS[unit]


def parse(output: str) -> WrkRun:
    latency = {p: _ms(v, u) for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)}
    total = re.search(r"^\s+(\d+) requests in ([\d.]+)(us|ms|s|m)", output, re.M)
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    if not (total and rps and latency):
        raise RuntimeError(f"could not read wrk's report:\n{output}")
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    non_ok = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    p95 = re.search(r"^p95_us (\d+)\s*$", output, re.M)
    return WrkRun(
        requests=int(total.group(1)), seconds=_ms(total.group(2), total.group(3)) / 1000,
        rps=float(rps.group(1)), p50_ms=latency.get("50", 0.0), p99_ms=latency.get("99", 0.0),
        non_2xx_3xx=int(non_ok.group(1)) if non_ok else 0,
        socket_errors=sum(int(n) for n in errors.groups()) if errors else 0,
        p95_ms=int(p95.group(1)) / 1000 if p95 else None,
    )


def run(url: str, *, seconds: float, connections: int, cookie: str | None, cpu_seconds=None) -> WrkRun:
    command = [wrk_path(), "--latency", f"-t{min(2, connections)}", f"-c{connections}",
               f"-d{max(1, round(seconds))}s", "--timeout", "10s", "-s", str(P95_SCRIPT)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    cpu_before = cpu_seconds() if cpu_seconds else None
    result = subprocess.run([*command, url], capture_output=True, text=True, timeout=seconds + 60, check=True)
    cpu_after = cpu_seconds() if cpu_seconds else None
    report = parse(result.stdout)
    if cpu_before is not None and cpu_after is not None and report.requests:
        report.cpu_ms_per_request = (cpu_after - cpu_before) * 1000 / report.requests
    return report
