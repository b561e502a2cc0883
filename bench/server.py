"""Serve the seeded database as production does: gunicorn, 2 sync workers, DEBUG off, whitenoise."""

import contextlib
import os
from dataclasses import dataclass
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, *, cookie: str | None = None, timeout: float = 30) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a redirect to sign-in must show, not be followed
        return None


@dataclass(frozen=True)
class Served:
    url: str
    pid: int  # gunicorn's master

    def cpu_seconds(self) -> float | None:
        """CPU time used so far by the master and its workers (Linux /proc), for cost per request.

        On a shared machine requests/s swings with everyone else's load; the CPU a page costs
        does not, so the benchmark reports both.
        """
        try:
            children = Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text().split()
            total = 0
            for pid in [str(self.pid), *children]:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks
            return total / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            return None


@contextlib.contextmanager
def gunicorn(*, workers: int = 2, ready_path: str = "/bench/ceiling", env: dict | None = None):
    """Start gunicorn on a free loopback port; yield a `Served` (URL, pid); stop it (only it) afterwards."""
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log", delete=False)
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", str(workers),
               "--worker-class", "sync", "--bind", f"127.0.0.1:{port}", "--timeout", "60",
               "--graceful-timeout", "5"]
    process = subprocess.Popen(command, cwd=ROOT, env=env or os.environ.copy(), stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base + ready_path, process, log.name)
        yield Served(base, process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        Path(log.name).unlink(missing_ok=True)


def _wait_ready(url: str, process: subprocess.Popen, log_name: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({process.returncode}):\n{Path(log_name).read_text()[-3000:]}")
        try:
            status, _ = get(url, timeout=2)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"gunicorn did not answer {url} within {timeout:.0f} s:\n{Path(log_name).read_text()[-3000:]}")
