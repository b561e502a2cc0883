"""The XSS corpus through every render place, judged by an HTML5 parser: 0 findings.

The Chromium pass (dialogs) is tests/browser/test_xss_dialogs.py; the places are in render_places.py.
"""

from collections import Counter

import html5lib
import pytest

from tests.factories import UserFactory

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


def _form_data(html: str, form_id: str) -> dict:
    """Every field of an HTML form with the value a browser would submit unchanged."""
    document = html5lib.parse(html, namespaceHTMLElements=False)
    form = next(f for f in document.iter("form") if f.get("id") == form_id)
    data = {}
    for field in form.iter():
        name = field.get("name")
        if not name or field.get("disabled") is not None:
            continue
        if field.tag == "input" and field.get("type") in {"checkbox", "radio"}:
            if field.get("checked") is not None:
                data[name] = field.get("value", "on")
        elif field.tag == "input" and field.get("type") not in {"submit", "button", "image", "file"}:
            data[name] = field.get("value", "")
        elif field.tag == "textarea":
            data[name] = field.text or ""
        elif field.tag == "select":
            chosen = [o.get("value", o.text) for o in field.iter("option") if o.get("selected") is not None]
            data[name] = chosen[0] if chosen else ""
    return data


@pytest.mark.django_db
def test_ground_rules_saved_through_the_admin_form_are_sanitised(client):
    """The corpus above calls the admin's save_model; this submits the real admin form for a sample."""
    from django.urls import reverse

    from tests.places import build_world

    world = build_world()
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    url = reverse("admin:actionsets_actionset_change", args=[world.action_set.pk])
    for payload in PAYLOADS[::19]:
        data = _form_data(client.get(url).content.decode(), "actionset_form")
        data["ground_rules"] = payload
        response = client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:2000]
        world.action_set.refresh_from_db()
        assert world.action_set.ground_rules == payload.strip()
        client.force_login(world.learner2)
        rules = client.get(reverse("actionsets:rules", args=[world.action_set.slug])).content.decode()
        assert findings(rules) == [], (payload, findings(rules))
        client.force_login(staff)
