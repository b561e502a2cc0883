"""The shipped catalogues (issue 18; docs/translating.md): every marked string translated in
Spanish and German, the placeholders kept, and the committed .mo files built from today's .po."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.LOCALE_PATHS[0])
CATALOGUES = sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))
PLACEHOLDER = re.compile(r"%(?:\([a-z_]+\))?s|<[^>]+>")


def entries(po: Path):
    """(msgid, [msgstr forms]) of every entry but the header; multi-line strings joined."""
    def text(block, key):
        match = re.search(rf"^{key} ((?:\"[^\n]*\"\n?)+)", block, re.M)
        return "".join(re.findall(r'"(.*)"', match.group(1))) if match else None
    for block in po.read_text().split("\n\n"):
        msgid = text(block, "msgid")
        if not msgid:
            continue
        forms = [text(block, rf"msgstr\[{i}\]") for i in range(3)] if "msgid_plural" in block else [text(block, "msgstr")]
        yield msgid, [f for f in forms if f is not None], "#, fuzzy" in block


def test_both_languages_ship_both_domains():
    assert {(p.parts[-3], p.stem) for p in CATALOGUES} == {
        ("es", "django"), ("es", "djangojs"), ("de", "django"), ("de", "djangojs")}


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: f"{p.parts[-3]}/{p.name}")
def test_every_string_is_translated_and_keeps_its_placeholders(po):
    found = list(entries(po))
    assert len(found) > 10
    for msgid, forms, fuzzy in found:
        assert not fuzzy, f"fuzzy: {msgid}"
        assert forms and all(forms), f"untranslated: {msgid}"
        for form in forms:
            assert sorted(PLACEHOLDER.findall(form)) == sorted(PLACEHOLDER.findall(msgid)), (msgid, form)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) is not installed")
@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: f"{p.parts[-3]}/{p.name}")
def test_the_committed_mo_is_built_from_the_po(po, tmp_path):
    built = tmp_path / "built.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(built), str(po)], check=True, timeout=30)
    assert po.with_suffix(".mo").read_bytes() == built.read_bytes(), f"run `make messages` for {po}"
