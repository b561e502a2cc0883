"""Right-to-left ready (issue 18): home and a thread rendered in a right-to-left language at phone
width, in real Chromium. Hebrew stands in as the pseudo-locale: it is added to LANGUAGES for the
test only, has no catalogue of ours (our strings stay English, Django's own are Hebrew), and makes
base.html say dir="rtl". Nothing may scroll sideways and nothing in the header may overlap.
"""

import pytest
from django.core.management import call_command

from accounts.models import User
from actionsets.models import Airtime, Membership

from .conftest import PHONE, SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every visible box in the header, and whether any two overlap or one leaves the viewport.
HEADER_LAYOUT = """() => {
  const boxes = [...document.querySelectorAll('.site-header .brand, .site-header .site-nav > a, .site-header .site-nav button')]
    .map(el => ({name: el.textContent.trim(), r: el.getBoundingClientRect()}))
    .filter(b => b.r.width > 0 && b.r.height > 0);
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i].r, b = boxes[j].r;
    if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
      overlaps.push(boxes[i].name + ' / ' + boxes[j].name);
  }
  const outside = boxes.filter(b => b.r.left < 0 || b.r.right > window.innerWidth).map(b => b.name);
  const header = document.querySelector('.site-header').getBoundingClientRect();
  const main = document.querySelector('main').getBoundingClientRect();
  return {count: boxes.length, overlaps, outside, headerOverMain: header.bottom > main.top + 1};
}"""


def test_home_and_a_thread_in_a_right_to_left_language_fit_a_phone(new_context, settings):
    settings.LANGUAGES = [*settings.LANGUAGES, ("he", "עברית")]
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    airtime = Airtime.objects.order_by("pk").first()
    member = (Membership.objects.current().filter(action_set=airtime.action_set, role=Membership.Role.LEARNER)
              .exclude(user=airtime.presenter).order_by("pk").first().user)
    User.objects.filter(pk=member.pk).update(language="he")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab = new_context(member, viewport=PHONE).new_page()
    problems = []
    for name, path in (("home", "/"), ("thread", airtime.get_absolute_url())):
        response = tab.goto(path)
        assert response.status == 200, path
        assert tab.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["he", "rtl"]
        assert tab.evaluate("getComputedStyle(document.body).direction") == "rtl"
        scroll_width = tab.evaluate("document.documentElement.scrollWidth")
        if scroll_width > PHONE["width"]:
            problems.append(f"{path} is {scroll_width}px wide at {PHONE['width']}px")
        layout = tab.evaluate(HEADER_LAYOUT)
        assert layout["count"] >= 5, layout  # the brand and the navigation were measured
        if layout["overlaps"] or layout["outside"] or layout["headerOverMain"]:
            problems.append(f"{path}: header {layout}")
        # The logical properties follow the direction: the start side is the right.
        skip = tab.evaluate("""() => { const s = getComputedStyle(document.querySelector('.skip-link'));
                                       return [s.left, s.right]; }""")
        assert skip[1].startswith("-999"), skip
        tab.screenshot(path=str(SCREENSHOTS / f"rtl-{name}-phone.png"), full_page=True)
    assert problems == [], "\n".join(problems)
