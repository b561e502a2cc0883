"""Every language shipped, seen (issue 18): home, a thread, the facilitator dashboard and /manage/
rendered in en-gb, es and de (the person's language preference) in real Chromium at 1280 px and
375 px. Each page says its language in `<html lang>`, scrolls sideways at neither width, cuts no
element off at the window's edge (German words are long), is axe-core clean (serious and
critical), and the server's HTML of each validates in the Nu HTML Checker. Screenshots go to
test-artifacts/screenshots/lang-<language>-<page>-<width>.png, for people to look at.
"""

import shutil

import pytest
from django.conf import settings
from django.core.management import call_command

from accounts.models import User
from actionsets.models import ActionSet, Airtime, Membership

from .conftest import ARTIFACTS, DESKTOP, PHONE, SCREENSHOTS, run_axe
from .test_html_validity import run_vnu, vnu_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HTML_DIR = ARTIFACTS / "html-languages"
# Known, reported: a dashboard chart's SVG label cannot wrap, so a long one (an annotation code, a
# reply kind in German) runs past a 375 px window in every language (facilitation/charts.py).
# Checked apart: the test is an expected failure while it lasts, and passes once it is fixed.
CHART_TEXT = ".chart__svg text"
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}

# Visible elements that reach past the window's edge, unless an ancestor scrolls or clips them
# (a table in its scrolling box) or they are hidden on purpose (skip link, visually-hidden text).
CUT_OFF = """(selector) => {
  const width = document.documentElement.clientWidth, out = [];
  const clipped = (el) => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') return true; }
    return false; };
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    if (r.width === 0 || r.height === 0 || s.visibility === 'hidden' || s.position === 'fixed') continue;
    if (el.closest('.visually-hidden, .skip-link, [hidden]') || el.matches(selector)) continue;
    if ((r.right > width + 1 || r.left < -1) && !clipped(el))
      out.push(`${el.tagName.toLowerCase()}.${(el.getAttribute('class') || '').trim().split(/\\s+/).join('.')} `
               + `"${el.textContent.trim().slice(0, 40)}" [${Math.round(r.left)}, ${Math.round(r.right)}]`);
  }
  return out.slice(0, 8);
}"""


def _pages(action_set: ActionSet, airtime: Airtime) -> dict[str, str]:
    return {"home": "/", "thread": airtime.get_absolute_url(),
            "dashboard": f"/sets/{action_set.slug}/facilitate/", "manage": "/manage/"}


def test_home_thread_dashboard_and_manage_in_every_language(new_context):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    airtime = Airtime.objects.order_by("pk").first()
    action_set = airtime.action_set
    facilitator = Membership.objects.current().filter(
        action_set=action_set, role=Membership.Role.FACILITATOR).order_by("pk").first().user
    staff = User.objects.get(email="admin@example.com")
    pages = _pages(action_set, airtime)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(HTML_DIR, ignore_errors=True)
    HTML_DIR.mkdir(parents=True)
    problems, saved, charts = [], [], []
    for language, _name in settings.LANGUAGES:
        User.objects.filter(pk__in=[facilitator.pk, staff.pk]).update(language=language)
        for label, viewport in WIDTHS.items():
            tabs = {"member": new_context(facilitator, viewport=viewport, bypass_csp=True).new_page(),
                    "staff": new_context(staff, viewport=viewport, bypass_csp=True).new_page()}
            for name, path in pages.items():
                tab = tabs["staff" if name == "manage" else "member"]
                response = tab.goto(path)
                where = f"{name} ({path}) in {language} at {viewport['width']} px"
                if response.status != 200:
                    problems.append(f"{where}: HTTP {response.status}")
                    continue
                if label == "desktop":
                    saved.append(HTML_DIR / f"{language}-{name}.html")
                    saved[-1].write_text(response.text(), encoding="utf-8")
                lang = tab.evaluate("document.documentElement.lang")
                if lang != language:
                    problems.append(f"{where}: <html lang={lang!r}>")
                scroll, client = tab.evaluate(
                    "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
                if scroll > client:
                    problems.append(f"{where}: scrolls sideways ({scroll} px > {client} px)")
                cut = tab.evaluate(CUT_OFF, CHART_TEXT)
                if cut:
                    problems.append(f"{where}: cut off at the edge: {cut}")
                chart_cut = tab.evaluate(f"() => ({CUT_OFF})('*:not({CHART_TEXT})')")
                if chart_cut:
                    charts.append(f"{where}: {chart_cut}")
                violations = run_axe(tab)
                if violations:
                    problems.append(f"{where}: axe {violations}")
                tab.screenshot(path=str(SCREENSHOTS / f"lang-{language}-{name}-{label}.png"), full_page=True)
    assert len(saved) == len(settings.LANGUAGES) * len(pages)
    assert problems == [], "\n".join(problems)

    vnu_command()  # fails or skips fast when Java is missing
    errors = [m for m in run_vnu(saved) if m.get("type") == "error" or m.get("subType") == "fatal"]
    assert errors == [], "\n".join(f"{m.get('url', '?').rsplit('/', 1)[-1]}:{m.get('lastLine', '?')}: "
                                   f"{m.get('message', '').strip()}" for m in errors)
    assert charts == [], "chart text cut off at the window's edge:\n" + "\n".join(charts)
