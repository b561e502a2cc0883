"""`make test` reaches nothing beyond this machine (tests/network_guard.py), and the dependency
audit, which must ask PyPI, is a separate command (`make audit`) that pytest never collects."""

import re
import socket
import urllib.request
from pathlib import Path

import pytest

from tests import network_guard
from tests.security import audit_dependencies, pypi_audit

REPO = Path(__file__).resolve().parent.parent


def test_a_connection_beyond_loopback_is_refused_before_it_leaves_the_machine():
    # 192.0.2.1 is TEST-NET-1 (RFC 5737): never routed, so an unguarded connect would time out, not pass.
    with network_guard.expecting_blocked_attempts():
        for address in (("192.0.2.1", 443), ("2001:db8::1", 443), ("pypi.org", 443)):
            with pytest.raises(network_guard.NetworkAccessBlocked):
                socket.create_connection(address, timeout=2)
        with pytest.raises(network_guard.NetworkAccessBlocked):
            socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("192.0.2.1", 53))
        assert network_guard.attempts[-4:] == ["192.0.2.1:443", "2001:db8::1:443", "pypi.org (name lookup)", "192.0.2.1:53"]


def test_an_http_client_cannot_mistake_the_refusal_for_being_offline():
    """urllib turns OSErrors into URLError, which callers often treat as "skip": the guard's is not one."""
    with network_guard.expecting_blocked_attempts(), pytest.raises(network_guard.NetworkAccessBlocked):
        urllib.request.urlopen("https://pypi.org/pypi/Django/json", timeout=2)


def test_loopback_and_unix_sockets_keep_working(tmp_path):
    for host in ("127.0.0.1", "localhost"):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
            server.bind(("127.0.0.1", 0))
            server.listen(1)
            port = server.getsockname()[1]
            socket.create_connection((host, port), timeout=2).close()
    path = str(tmp_path / "s.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(path)
        server.listen(1)
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.connect(path)


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.9.10", "::1", "[::1]", "::ffff:127.0.0.1", "localhost", b"127.0.0.1"])
def test_loopback_addresses_are_recognised(host):
    assert network_guard.is_loopback(host)


@pytest.mark.parametrize("host", ["10.0.0.1", "192.168.1.1", "8.8.8.8", "2001:db8::1", "::ffff:8.8.8.8", "pypi.org",
                                  "0.0.0.0", "localhost.evil.example"])
def test_other_addresses_are_not_loopback(host):
    assert not network_guard.is_loopback(host)


def test_the_dependency_audit_is_not_collected_by_the_suite():
    """It asks PyPI about today's releases: `make audit` and CI's own step run it, `make test` never does."""
    python_files = ("test_*.py",)  # pyproject.toml [tool.pytest.ini_options] python_files
    collected = {path for pattern in python_files for path in (REPO / "tests").rglob(pattern)}
    network_users = [path for path in collected
                     if re.search(r"\b(pypi_audit\.audit|pypi_audit\.fetch|audit_dependencies\.main|pip.audit\b)",
                                  path.read_text()) and path.name != "test_hermetic.py"]
    assert network_users == []
    makefile = (REPO / "Makefile").read_text()
    assert re.search(r"^audit: .*\n\t.*tests\.security\.audit_dependencies", makefile, re.M)
    ci = (REPO / ".ci" / "run").read_text()
    assert ci.index("make --no-print-directory test") < ci.index("make --no-print-directory audit")


def test_every_dependency_in_pyproject_is_an_exact_pin():
    """The audit decides on exact pins only; a loose requirement would pass it unseen."""
    requirements = audit_dependencies.pins()
    assert len(requirements) > 20
    for requirement in requirements:
        pypi_audit.parse_pin(requirement)
