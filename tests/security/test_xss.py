"""The XSS corpus through every render place, judged by an HTML5 parser: 0 findings.

The Chromium pass (dialogs) is tests/browser/test_xss_dialogs.py; the places are in render_places.py.
"""

from collections import Counter

import pytest

from .judge import findings
from .payloads import PAYLOADS
from .render_places import RENDER_PLACES, seed

pytestmark = [pytest.mark.security]


def test_the_corpus_is_big_enough_and_varied():
    assert len(PAYLOADS) >= 150
    assert any("noscript" in p for p in PAYLOADS) and any("formaction" in p for p in PAYLOADS)
    assert any("\u200b" in p for p in PAYLOADS) and any(p.startswith("[") for p in PAYLOADS)


def test_the_judge_catches_what_it_must():
    for bad in ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<a href=" java\tscript:x">x</a>',
                '<p style="color:red">x</p>', '<button formaction="javascript:alert(1)">x</button>',
                '<div class="prose"><span>x</span></div>', '<svg><a xlink:href="javascript:alert(1)">x</a></svg>']:
        assert findings(bad), bad
    assert findings('<p>fine <a href="https://example.org" rel="nofollow">x</a></p>') == []
    assert findings('<div class="prose"><p><span class="mention">@priya</span></p></div>') == []  # issue 14
    assert findings('<div class="prose"><span class="mention x">@priya</span></div>')


@pytest.mark.django_db
def test_no_payload_survives_any_render_place():
    # Places marked `baseline` (the admin) have script and svg of their own: judge only what the
    # payloads add to the same pages rendered with plain words.
    plain = seed(["Plain words"], slug="plain")
    baseline = {(place.key, r.label): Counter(findings(r.html))
                for place in RENDER_PLACES if place.baseline for r in place.render(plain, ["Plain words"])}
    seeded = seed(PAYLOADS)
    problems = []
    for place in RENDER_PLACES:
        for rendered in place.render(seeded, PAYLOADS):
            found = Counter(findings(rendered.html)) - baseline.get((place.key, rendered.label), Counter())
            for finding in found:
                which = f"payload {rendered.payload}: {PAYLOADS[rendered.payload]!r}" if rendered.payload is not None else ""
                problems.append(f"[{place.key}] {rendered.label}: {finding} {which}")
    assert problems == [], f"{len(problems)} findings:\n" + "\n".join(problems[:40])


