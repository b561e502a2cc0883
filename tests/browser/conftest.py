"""Real Chromium (Debian's, headless) driven by Playwright's sync API against pytest-django's live server.

One browser per test session; a fresh context (cookies, JavaScript on/off, viewport) per use.
Sessions are made in the database (`sign_in`) except where a journey signs in through the form.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.integration import chromium_path

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make around
# it are ordinary synchronous calls, so Django's async-safety guard must stand aside.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PHONE = {"width": 375, "height": 812}  # the issue-13 phone width (iPhone mini, SE 2nd/3rd gen)
DESKTOP = {"width": 1280, "height": 900}

# Collects `securitypolicyviolation` events from the first script that runs on each page.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push({directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample,
                               source: e.sourceFile, line: e.lineNumber});
});
"""


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def _close_connections_made_under_playwright():
    """ORM calls made while Playwright's loop runs get a connection of their own (another async
    context); close it after each test or PostgreSQL cannot drop the test database."""
    yield
    from django.db import connections

    connections.close_all()


@pytest.fixture
def browser_page(browser):
    """One desktop page in a fresh context of the session's browser."""
    context = browser.new_context(viewport=DESKTOP)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def new_context(browser, live_server):
    """`new_context(user=None, javascript=True, viewport=DESKTOP, bypass_csp=False)` → a BrowserContext."""
    contexts = []

    def _make(user=None, *, javascript: bool = True, viewport: dict | None = None, bypass_csp: bool = False):
        context = browser.new_context(base_url=live_server.url, java_script_enabled=javascript,
                                      viewport=viewport or DESKTOP, bypass_csp=bypass_csp)
        context.set_default_timeout(15_000)
        if user is not None:
            sign_in(context, user, live_server.url)
        contexts.append(context)
        return context

    yield _make
    for context in contexts:
        context.close()


def sign_in(context, user, base_url: str) -> None:
    """A real session row for `user`, handed to the browser as its cookie."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base_url}])


def run_axe(page) -> list[dict]:
    """axe-core's serious and critical violations on the page (the context must bypass CSP to inject it)."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"] if v["impact"] in {"serious", "critical"}
    ]
