"""Every main page (tests/places.py) in real Chromium: axe-core finds no serious or critical
violation, the CSP reports no violation, and each page is screenshotted at phone and desktop
widths into test-artifacts/screenshots/ (CI keeps the folder as an artefact)."""

import pytest

from tests.places import MAIN_PAGES, build_world

from .conftest import CSP_LISTENER, DESKTOP, PHONE, SCREENSHOTS, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("page", MAIN_PAGES, ids=lambda p: p.key)
def test_main_page_has_no_serious_accessibility_violations(new_context, page):
    world = build_world()
    path = page.path(world)  # a URL that no longer resolves fails here
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        tab = new_context(world.user(page.as_user), viewport=viewport, bypass_csp=True).new_page()
        response = tab.goto(path)
        assert response.status == 200, f"{page.key}: {response.status}"
        tab.screenshot(path=str(SCREENSHOTS / f"{page.key}-{label}.png"), full_page=True)
        violations = run_axe(tab)
        assert violations == [], f"{page.key} at {label} width: {violations}"
        overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{page.key} scrolls sideways by {overflow}px at {label} width"


@pytest.mark.parametrize("page", MAIN_PAGES, ids=lambda p: p.key)
def test_main_page_sends_a_csp_and_violates_it_nowhere(new_context, page):
    world = build_world()
    path = page.path(world)  # a URL that no longer resolves fails here
    context = new_context(world.user(page.as_user))
    context.add_init_script(CSP_LISTENER)
    tab = context.new_page()
    errors = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    response = tab.goto(path)
    assert response.status == 200
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "object-src 'none'" in policy, policy
    tab.wait_for_load_state("networkidle")
    assert tab.evaluate("window.__cspViolations") == []
    assert errors == []


def test_the_accessibility_check_does_find_violations(new_context):
    """The harness itself: a page with an unlabelled image and input must fail it."""
    tab = new_context(bypass_csp=True).new_page()
    tab.set_content('<html lang="en"><title>t</title><main><h1>t</h1><img src="x.png"><input></main></html>')
    assert {"image-alt", "label"} <= {v["id"] for v in run_axe(tab)}
