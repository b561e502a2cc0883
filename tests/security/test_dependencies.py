"""The pinned dependencies (runtime and dev) have 0 known vulnerabilities.

1. pip-audit over every pin, with its PyPI service (PIP_AUDIT_SERVICE=osv for OSV). Where it
   audits every pin, its result decides: a reported vulnerability fails, none passes.
2. Pins pip-audit could not audit — on the sandboxed build machines PyPI's per-version JSON API
   answers 404 and OSV is unreachable — go through `pypi_audit`, built on the unversioned JSON
   API: a pin that is the latest release must have no listed vulnerability; an older pin must
   be the newest patch of its major.minor series with no vulnerability of the latest release
   fixed later in that series; a yanked pin fails. See that module for what this cannot see.
3. Where neither can audit every pin, the test skips with the reason, or fails under
   ACTIONSETS_REQUIRE_INTEGRATION=1 (CI): it never passes on an incomplete audit.
"""

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.integration import _unavailable

from . import pypi_audit

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.security]


def _pins() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return project["dependencies"] + project["optional-dependencies"]["dev"]


def _pip_audit(pins: list[str], tmp_path: Path) -> tuple[list[str], list[str], str]:
    """Run pip-audit: (findings, pins it did not audit, why not)."""
    audit = shutil.which("pip-audit", path=str(Path(sys.executable).parent)) or shutil.which("pip-audit")
    if not audit:
        return [], pins, "pip-audit is not installed"
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("\n".join(pins) + "\n")
    service = os.environ.get("PIP_AUDIT_SERVICE", "pypi")
    try:
        result = subprocess.run([audit, "-r", str(requirements), "--no-deps", "--disable-pip", "--progress-spinner",
                                 "off", "-s", service, "--timeout", "10", "--format", "json"],
                                capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        return [], pins, f"pip-audit ({service}) did not finish in 30 s"
    try:
        report = json.loads(result.stdout)
    except ValueError:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        return [], pins, f"pip-audit ({service}) did not run: {last[:200]}"
    findings, audited, skipped = [], set(), []
    for dependency in report["dependencies"]:
        if "skip_reason" in dependency:
            skipped.append(dependency["skip_reason"])
        else:
            audited.add(canonicalize_name(dependency["name"]))
        for vuln in dependency.get("vulns") or []:
            findings.append(f"{dependency['name']}=={dependency['version']}: {vuln['id']} "
                            f"({', '.join(vuln.get('aliases') or [])}); fixed in: "
                            f"{', '.join(vuln.get('fix_versions') or []) or 'no fixed release'}")
    unaudited = [pin for pin in pins if canonicalize_name(Requirement(pin).name) not in audited]
    why = f"pip-audit ({service}) could not audit {len(unaudited)} pins: {(skipped or ['not in its report'])[0]}…"
    return findings, unaudited, why


def test_pinned_dependencies_have_no_known_vulnerabilities(tmp_path):
    pins = _pins()
    findings, unaudited, why = _pip_audit(pins, tmp_path)
    if findings:
        pytest.fail("pip-audit found known vulnerabilities:\n" + "\n".join(findings), pytrace=False)
    if not unaudited:
        return
    print(f"{why}; falling back to PyPI's unversioned JSON API for them")
    findings, unreachable = pypi_audit.audit(unaudited)
    if findings:
        pytest.fail("dependency audit (PyPI JSON fallback):\n" + "\n".join(findings), pytrace=False)
    if unreachable:
        _unavailable(f"{why}; PyPI's JSON API did not answer for {len(unreachable)} of them either: "
                     + "; ".join(unreachable[:3]) + ("…" if len(unreachable) > 3 else ""))
