"""The decisions of the PyPI JSON fallback audit, on documents shaped like PyPI's (no network)."""

import pytest
from packaging.version import Version

from .pypi_audit import audit_pin, parse_pin

pytestmark = [pytest.mark.security]


def _file(version, yanked=False, reason=None):
    return {"filename": f"pkg-{version}-py3-none-any.whl", "yanked": yanked, "yanked_reason": reason}


def document(latest, releases, vulnerabilities=(), yanked=()):
    """A PyPI unversioned JSON document; `yanked` maps version -> yanked_reason."""
    yanked = dict(yanked)
    return {
        "info": {"name": "pkg", "version": latest},
        "releases": {version: [_file(version, version in yanked, yanked.get(version)) for _ in range(2)]
                     for version in releases},
        "vulnerabilities": list(vulnerabilities),
    }


def vuln(id_="PYSEC-2099-1", fixed_in=(), aliases=("CVE-2099-0001", "GHSA-xxxx-yyyy-zzzz"), withdrawn=None):
    return {"id": id_, "aliases": list(aliases), "fixed_in": list(fixed_in), "withdrawn": withdrawn,
            "details": "…", "link": f"https://osv.dev/vulnerability/{id_}", "source": "osv", "summary": None}


SERIES = ["5.1", "5.1.1", "5.1.2", "5.2a1", "5.2rc1", "5.2", "5.2.1", "5.2.2", "6.0", "6.0.1"]


def audit(pin, doc):
    name, version = parse_pin(pin)
    return audit_pin(name, version, doc)


def test_latest_release_without_vulnerabilities_is_clean():
    assert audit("pkg==6.0.1", document("6.0.1", SERIES)) == []


def test_latest_release_with_a_vulnerability_is_a_finding_with_id_aliases_and_fix():
    [finding] = audit("pkg==6.0.1", document("6.0.1", SERIES, [vuln(fixed_in=["6.0.2"])]))
    assert finding.startswith("pkg==6.0.1: known vulnerability PYSEC-2099-1")
    assert "CVE-2099-0001, GHSA-xxxx-yyyy-zzzz" in finding and "fixed in: 6.0.2" in finding


def test_unfixed_vulnerability_of_the_latest_release_says_so():
    [finding] = audit("pkg==6.0.1", document("6.0.1", SERIES, [vuln()]))
    assert "fixed in: no fixed release" in finding


def test_withdrawn_vulnerability_is_ignored():
    assert audit("pkg==6.0.1", document("6.0.1", SERIES, [vuln(withdrawn="2099-01-02T00:00:00Z")])) == []


def test_newest_patch_of_an_older_series_is_clean():
    assert audit("pkg==5.2.2", document("6.0.1", SERIES)) == []
    assert audit("pkg==5.1.2", document("6.0.1", SERIES)) == []


def test_older_patch_in_its_series_is_a_finding_naming_the_newer_patch():
    [finding] = audit("pkg==5.2.1", document("6.0.1", SERIES))
    assert finding.startswith("pkg==5.2.1: not the newest release of its 5.2 series — pkg 5.2.2 is")
    [finding] = audit("pkg==5.2", document("6.0.1", SERIES))
    assert "5.2.2" in finding


def test_yanked_pin_is_a_finding_with_the_reason():
    doc = document("6.0.1", SERIES, yanked={"6.0.1": "broken wheel"})
    assert audit("pkg==6.0.1", doc) == ["pkg==6.0.1: this release is yanked (broken wheel)"]
    [finding] = audit("pkg==5.2.2", document("6.0.1", SERIES, yanked={"5.2.2": None}))
    assert finding == "pkg==5.2.2: this release is yanked (no reason given)"


def test_yanked_pre_release_and_fileless_versions_do_not_count_as_newer_patches():
    doc = document("6.0.1", SERIES + ["5.2.3", "5.2.4rc1", "5.2.5.dev1", "5.2.6"], yanked={"5.2.3": "regression"})
    doc["releases"]["5.2.6"] = []  # a version with no uploaded files cannot be installed
    assert audit("pkg==5.2.2", doc) == []


def test_vulnerability_fixed_later_in_our_series_is_a_finding():
    # The pin is the newest 5.2 release on PyPI, but the latest release's advisory names a
    # 5.2 fix beyond it (announced before upload, or its release was yanked).
    doc = document("6.0.1", SERIES, [vuln("GHSA-abcd", fixed_in=["5.2.3", "6.0.2"])])
    [finding] = audit("pkg==5.2.2", doc)
    assert finding.startswith("pkg==5.2.2: GHSA-abcd") and "fixed in 5.2.3 in our 5.2 series" in finding


def test_vulnerability_fixed_only_in_other_series_or_at_or_below_the_pin_is_not_a_finding():
    doc = document("6.0.1", SERIES, [vuln(fixed_in=["5.1.2", "5.2.2", "6.0.2"])])
    assert audit("pkg==5.2.2", doc) == []


def test_older_patch_with_a_fix_in_series_gets_both_findings():
    doc = document("6.0.1", SERIES, [vuln(fixed_in=["5.2.2"])])
    findings = audit("pkg==5.2.1", doc)
    assert len(findings) == 2 and "pkg 5.2.2 is" in findings[0] and "fixed in 5.2.2" in findings[1]


def test_pre_release_pin_that_is_not_latest_is_a_finding():
    [finding] = audit("pkg==5.2rc1", document("6.0.1", SERIES))
    assert "a pre-release that is not the latest release" in finding


def test_version_that_is_not_a_release_is_a_finding():
    assert audit("pkg==5.2.9", document("6.0.1", SERIES)) == ["pkg==5.2.9: not a release of pkg on PyPI"]


def test_versions_compare_as_versions_not_strings():
    # "5.2.10" > "5.2.9", and "5.2.0" is "5.2"; extras in the pin are fine.
    releases = ["5.2", "5.2.9", "5.2.10", "6.0"]
    assert audit("pkg[extra]==5.2.10", document("6.0", releases)) == []
    assert "pkg 5.2.10 is" in audit("pkg==5.2.9", document("6.0", releases))[0]
    assert "pkg 5.2.10 is" in audit("pkg==5.2.0", document("6.0", releases))[0]


def test_only_exact_pins_are_accepted():
    assert parse_pin("Django==5.2.19") == ("Django", Version("5.2.19"))
    for loose in ("Django>=5.2", "Django==5.2.*", "Django", "Django==5.2,<6"):
        with pytest.raises(ValueError):
            parse_pin(loose)
