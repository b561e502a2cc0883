"""`make audit`: the pinned dependencies (runtime and dev) have 0 known vulnerabilities.

Run as a program (`python -m tests.security.audit_dependencies`), never collected by pytest:
it asks PyPI about today's releases, and an upstream release must never turn `make test` red.
CI runs it as its own step after the tests; there, a finding fails the run (that is its job).

1. pip-audit over every pin, with its PyPI service (PIP_AUDIT_SERVICE=osv for OSV). Where it
   audits every pin, its result decides: a reported vulnerability fails, none passes.
2. Pins pip-audit could not audit — on the sandboxed build machines PyPI's per-version JSON API
   answers 404 and OSV is unreachable — go through `pypi_audit`, built on the unversioned JSON
   API: a pin that is the latest release must have no listed vulnerability; an older pin must
   be the newest patch of its major.minor series with no vulnerability of the latest release
   fixed later in that series; a yanked pin fails. See that module for what this cannot see.
3. Where neither can audit every pin, the audit fails (exit 2): it never passes on an incomplete
   audit.

Exit status: 0 clean, 1 findings (each line names the pin and the fixed or newer version),
2 could not audit every pin.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.security import pypi_audit

ROOT = Path(__file__).resolve().parents[2]
CLEAN, FINDINGS, INCOMPLETE = 0, 1, 2


def pins(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """Every runtime and dev requirement of pyproject.toml, as written."""
    project = tomllib.loads(pyproject.read_text())["project"]
    return project["dependencies"] + project["optional-dependencies"]["dev"]


def pip_audit(requirements: list[str]) -> tuple[list[str], list[str], str]:
    """Run pip-audit: (findings, requirements it did not audit, why not)."""
    audit = shutil.which("pip-audit", path=str(Path(sys.executable).parent)) or shutil.which("pip-audit")
    if not audit:
        return [], requirements, "pip-audit is not installed"
    service = os.environ.get("PIP_AUDIT_SERVICE", "pypi")
    with tempfile.TemporaryDirectory() as tmp:
        listing = Path(tmp) / "requirements.txt"
        listing.write_text("\n".join(requirements) + "\n")
        try:
            result = subprocess.run([audit, "-r", str(listing), "--no-deps", "--disable-pip", "--progress-spinner",
                                     "off", "-s", service, "--timeout", "10", "--format", "json"],
                                    capture_output=True, text=True, timeout=30)
        except subprocess.TimeoutExpired:
            return [], requirements, f"pip-audit ({service}) did not finish in 30 s"
    try:
        report = json.loads(result.stdout)
    except ValueError:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        return [], requirements, f"pip-audit ({service}) did not run: {last[:200]}"
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
    unaudited = [pin for pin in requirements if canonicalize_name(Requirement(pin).name) not in audited]
    why = f"pip-audit ({service}) could not audit {len(unaudited)} pins: {(skipped or ['not in its report'])[0]}…"
    return findings, unaudited, why


def main() -> int:
    requirements = pins()
    print(f"auditing {len(requirements)} pins of pyproject.toml")
    findings, unaudited, why = pip_audit(requirements)
    if findings:
        print("pip-audit found known vulnerabilities:\n" + "\n".join(findings), file=sys.stderr)
        return FINDINGS
    if not unaudited:
        print("pip-audit: every pin audited, no known vulnerability")
        return CLEAN
    print(f"{why}; falling back to PyPI's unversioned JSON API for them")
    findings, unreachable = pypi_audit.audit(unaudited)
    if findings:
        print("dependency audit (PyPI JSON fallback): upgrade these pins in pyproject.toml\n"
              + "\n".join(findings), file=sys.stderr)
        return FINDINGS
    if unreachable:
        print(f"{why}; PyPI's JSON API did not answer for {len(unreachable)} of them either — an incomplete "
              "audit is not a pass:\n" + "\n".join(unreachable), file=sys.stderr)
        return INCOMPLETE
    print(f"clean: {len(unaudited)} pins checked through PyPI's JSON API")
    return CLEAN


if __name__ == "__main__":
    sys.exit(main())
