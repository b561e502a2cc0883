"""`make test` is hermetic: the test process may not open a connection beyond this machine.

`install()` (called from tests/conftest.py before any test runs) replaces `socket.socket.connect`,
`connect_ex` and `sendto` with versions that refuse every address that is not loopback
(127.0.0.0/8, ::1, "localhost") by raising `NetworkAccessBlocked`, and `socket.getaddrinfo` with
one that refuses to look up any other name (a DNS query is network traffic too). Unix sockets and the loopback
PostgreSQL, Redis, live servers and Chromium's DevTools pipe keep working.

`NetworkAccessBlocked` is not an OSError on purpose: code that treats OSError as "offline, skip"
(urllib, requests, redis) must not quietly turn an outbound call into a skip. Each attempt is also
recorded, and the session fails at the end if any happened, in case a broad `except Exception`
swallowed it. A test that connects to "pypi.org" fails at the name lookup, before any DNS query.

Limits: this covers the pytest process. Subprocesses the suite starts (gunicorn for the
resilience and bench tests, Chromium) are ours and talk to loopback only.
"""

import ipaddress
import socket
from contextlib import contextmanager

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}

attempts: list[str] = []  # every refused address, "host:port", in order
_original = {}


class NetworkAccessBlocked(RuntimeError):
    pass


def is_loopback(host) -> bool:
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    host = str(host).strip("[]").split("%", 1)[0]  # "[::1]", "fe80::1%eth0"
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False  # a name other than localhost: resolving it would already be a network query
    mapped = getattr(address, "ipv4_mapped", None)
    return (mapped or address).is_loopback


def _check(sock, address) -> None:
    if sock.family not in (socket.AF_INET, socket.AF_INET6):
        return  # AF_UNIX (PostgreSQL's socket file), netlink, …: not the network
    host, port = address[0], address[1]
    if not is_loopback(host):
        attempts.append(f"{host}:{port}")
        raise NetworkAccessBlocked(f"the test suite is hermetic: a connection to {host}:{port} was refused "
                                   "(only loopback is allowed; network checks belong in `make audit`)")


def _guarded_getaddrinfo(host, *args, **kwargs):
    # A name lookup is itself a query to the network's resolver: only loopback names and literals
    # (which resolve without one) pass; the machine's own name resolves from /etc/hosts.
    if host is not None and not is_loopback(host) and not _is_literal(host) and host != socket.gethostname():
        attempts.append(f"{host} (name lookup)")
        raise NetworkAccessBlocked(f"the test suite is hermetic: looking up {host!r} was refused "
                                   "(only loopback is allowed; network checks belong in `make audit`)")
    return _original["getaddrinfo"](host, *args, **kwargs)


def _is_literal(host) -> bool:
    try:
        ipaddress.ip_address((host.decode() if isinstance(host, bytes) else str(host)).strip("[]").split("%", 1)[0])
    except ValueError:
        return False
    return True


def _guarded_connect(self, address):
    _check(self, address)
    return _original["connect"](self, address)


def _guarded_connect_ex(self, address):
    _check(self, address)
    return _original["connect_ex"](self, address)


def _guarded_sendto(self, data, *args):
    address = args[-1]  # sendto(data, address) or sendto(data, flags, address)
    if isinstance(address, tuple):
        _check(self, address)
    return _original["sendto"](self, data, *args)


def install() -> None:
    if _original:
        return
    for name, guarded in (("connect", _guarded_connect), ("connect_ex", _guarded_connect_ex),
                          ("sendto", _guarded_sendto)):
        _original[name] = getattr(socket.socket, name)
        setattr(socket.socket, name, guarded)
    _original["getaddrinfo"] = socket.getaddrinfo
    socket.getaddrinfo = _guarded_getaddrinfo


def uninstall() -> None:
    for name, original in _original.items():
        setattr(socket if name == "getaddrinfo" else socket.socket, name, original)
    _original.clear()


@contextmanager
def expecting_blocked_attempts():
    """For the guard's own tests: attempts made inside are expected, so they do not fail the session."""
    before = len(attempts)
    try:
        yield
    finally:
        del attempts[before:]
