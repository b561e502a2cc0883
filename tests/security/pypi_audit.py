"""A dependency audit from PyPI's unversioned JSON API, for where pip-audit cannot run.

pip-audit asks `https://pypi.org/pypi/<name>/<version>/json` (or OSV) for the vulnerabilities
of each pinned version. Where only `https://pypi.org/pypi/<name>/json` answers, this module
audits what that document can tell: `info.version` (the latest release), `releases` (every
version, its files and whether they are yanked) and `vulnerabilities` (the known
vulnerabilities of the LATEST release only). For each exact pin `name==X`:

- X is yanked, or not a release of the project at all  -> finding;
- X is the latest release: its `vulnerabilities` are exactly ours -> each one is a finding;
- X is older: it must be the newest non-yanked final release of its own major.minor series
  (projects ship security fixes as patch releases in a series, e.g. Django 5.2.x LTS), and no
  vulnerability of the latest release may be `fixed_in` a newer version of that series.

Limits: PyPI lists the vulnerabilities of the latest release only. For an older pin this cannot
see one that was fixed in a later series without a backport to ours (the latest release is then
not affected, so it is not listed), nor tell whether one listed for the latest release affects
our series unless its `fixed_in` names a version in it. An end-of-life series passes as long as
the pin is its last patch: keep older pins to series the project still supports. pip-audit's
per-version check has none of these gaps; it runs first, wherever its service answers.

Fetching (`fetch_all`) is separate from deciding (`audit_pin`), which is a pure function of
the JSON document. Standard library only, plus `packaging` (a dependency of pytest and
pip-audit).
"""

import json
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor, wait

from packaging.requirements import Requirement
from packaging.version import InvalidVersion, Version

PYPI_JSON = "https://pypi.org/pypi/{name}/json"
TIMEOUT = 10  # seconds, per request
DEADLINE = 15  # seconds, for all of them


def parse_pin(requirement: str) -> tuple[str, Version]:
    """`"Django==5.2.19"` -> `("Django", Version("5.2.19"))`; anything but one exact pin raises."""
    parsed = Requirement(requirement)
    specifiers = list(parsed.specifier)
    if len(specifiers) != 1 or specifiers[0].operator not in ("==", "===") or "*" in specifiers[0].version:
        raise ValueError(f"not an exact pin: {requirement!r}")
    return parsed.name, Version(specifiers[0].version)


def _series(version: Version) -> tuple[int, int]:
    release = version.release + (0,)
    return release[0], release[1]


def _releases(document: dict) -> dict[Version, list[dict]]:
    releases = {}
    for key, files in (document.get("releases") or {}).items():
        try:
            releases[Version(key)] = files or []
        except InvalidVersion:  # pre-PEP 440 version strings of ancient releases
            continue
    return releases


def _yanked(files: list[dict]) -> bool:
    return bool(files) and all(file.get("yanked") for file in files)


def _describe(vulnerability: dict) -> str:
    aliases = ", ".join(vulnerability.get("aliases") or []) or "no aliases"
    fixed = ", ".join(vulnerability.get("fixed_in") or []) or "no fixed release"
    return f"{vulnerability.get('id', '?')} ({aliases}); fixed in: {fixed}"


def audit_pin(name: str, pinned: Version, document: dict) -> list[str]:
    """The findings for `name==pinned` given PyPI's unversioned JSON document; [] means clean."""
    label = f"{name}=={pinned}"
    releases = _releases(document)
    if pinned not in releases:
        return [f"{label}: not a release of {name} on PyPI"]
    findings = []
    files = releases[pinned]
    if _yanked(files):
        reason = next((file.get("yanked_reason") for file in files if file.get("yanked_reason")), None)
        findings.append(f"{label}: this release is yanked ({reason or 'no reason given'})")
    latest = Version(document["info"]["version"])
    vulnerabilities = [v for v in document.get("vulnerabilities") or [] if not v.get("withdrawn")]
    if pinned == latest:
        findings += [f"{label}: known vulnerability {_describe(v)}" for v in vulnerabilities]
        return findings

    series = _series(pinned)
    label_series = "{}.{}".format(*series)
    candidates = [version for version, version_files in releases.items()
                  if _series(version) == series and not version.is_prerelease  # also true for .devN
                  and version_files and not _yanked(version_files)]
    newest = max(candidates, default=None)
    if pinned.is_prerelease:
        findings.append(f"{label}: a pre-release that is not the latest release ({latest}); "
                        f"its vulnerabilities are unknown here — pin a final release")
    elif newest is not None and newest > pinned:
        findings.append(f"{label}: not the newest release of its {label_series} series — {name} {newest} is "
                        f"(security fixes ship as patch releases; latest overall: {latest})")
    for vulnerability in vulnerabilities:
        for fixed in vulnerability.get("fixed_in") or []:
            try:
                fixed_version = Version(fixed)
            except InvalidVersion:
                continue
            if _series(fixed_version) == series and fixed_version > pinned:
                findings.append(f"{label}: {_describe(vulnerability)} — fixed in {fixed} in our "
                                f"{label_series} series, newer than the pin")
    return findings


def fetch(name: str, timeout: float = TIMEOUT) -> dict:
    """PyPI's unversioned JSON document for `name`; raises OSError/ValueError when unavailable."""
    url = PYPI_JSON.format(name=urllib.parse.quote(name))
    request = urllib.request.Request(url, headers={"Accept": "application/json",
                                                   "User-Agent": "actionsets-dependency-audit"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.load(response)


def fetch_all(names: list[str], timeout: float = TIMEOUT, deadline: float = DEADLINE) -> dict[str, dict | Exception]:
    """Fetch every document concurrently, all within `deadline`; a failed fetch maps to its exception."""
    def one(name):
        try:
            return fetch(name, timeout)
        except (OSError, ValueError) as error:  # URLError/HTTPError/timeouts are OSErrors; bad JSON is ValueError
            return error

    pool = ThreadPoolExecutor(max_workers=min(32, len(names) or 1))  # one request per pin at once
    futures = {name: pool.submit(one, name) for name in names}
    done, _ = wait(futures.values(), timeout=deadline)
    pool.shutdown(wait=False, cancel_futures=True)  # stragglers end by their own socket timeout
    return {name: future.result() if future in done else TimeoutError(f"no answer within {deadline} s")
            for name, future in futures.items()}


def audit(requirements: list[str], timeout: float = TIMEOUT) -> tuple[list[str], list[str]]:
    """Audit exact pins over the network: (findings, pins that could not be audited, with why)."""
    pins = [parse_pin(requirement) for requirement in requirements]
    documents = fetch_all([name for name, _ in pins], timeout)
    findings, unaudited = [], []
    for name, pinned in pins:
        document = documents[name]
        if isinstance(document, Exception):
            unaudited.append(f"{name}=={pinned}: {type(document).__name__}: {document}")
        else:
            findings += audit_pin(name, pinned, document)
    return findings, unaudited
