"""The Content-Security-Policy that would stop an injected script anyway, on every main page.

Chromium's `securitypolicyviolation` events on the same pages are in tests/browser/test_pages.py;
this fast check needs no browser: the header is there, strict, and our own markup needs no
'unsafe-inline' (no inline script, no inline handler, no style attribute).
"""

import html5lib
import pytest

from tests.places import MAIN_PAGES, build_world

pytestmark = [pytest.mark.security, pytest.mark.django_db]

REQUIRED = ["default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'",
            "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"]


def test_every_main_page_has_a_strict_csp_and_markup_that_keeps_to_it(client):
    world = build_world()
    for page in MAIN_PAGES:
        path = page.path(world)  # a URL that no longer resolves fails here
        client.logout()
        if page.as_user:
            client.force_login(world.user(page.as_user))
        response = client.get(path)
        assert response.status_code == 200, page.key
        policy = response["Content-Security-Policy"]
        for directive in REQUIRED:
            assert directive in policy, f"{page.key}: {directive} missing from {policy}"
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        document = html5lib.parse(response.content.decode(), namespaceHTMLElements=False)
        for element in document.iter():
            if not isinstance(element.tag, str):
                continue
            assert "style" not in element.attrib, f"{page.key}: inline style on <{element.tag}>"
            assert not [a for a in element.attrib if a.startswith("on")], f"{page.key}: inline handler"
            if element.tag == "script":
                assert element.get("src") and not (element.text or "").strip(), f"{page.key}: inline script"
            if element.tag == "style":
                pytest.fail(f"{page.key}: <style> element")
