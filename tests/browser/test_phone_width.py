"""Every facilitator page and every /manage/ page fits the window at 375 px and 1280 px: no page
scrolls sideways (document.documentElement.scrollWidth <= the viewport's width); wide tables
scroll inside their own focusable, labelled box instead (issue 13, items 11 and 12).

The data is the demo (`seed_demo`): seven members with real names, three rounds, hidden replies
and annotations, which is what made the dashboard 696 px and the staff set page 707 px wide at
375 px before. Staff sign in through the form and land in /manage/.
"""

import pytest
from django.core.management import call_command

from accounts.models import User
from actionsets.models import ActionSet, Membership

from .conftest import SCREENSHOTS, run_axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"phone": {"width": 375, "height": 800}, "desktop": {"width": 1280, "height": 900}}
PASSWORD = "demo-pass-123"


def _facilitator_pages(slug: str) -> list[str]:
    base = f"/sets/{slug}/facilitate/"
    return [base, base + "?round=1", base + "signals/", base + "moderation/", base + "moderation/log/",
            base + "rounds/", base + "process/", base + "lifecycle/"]


def _staff_pages(action_set: ActionSet, member: Membership) -> list[str]:
    cohort, slug = action_set.cohort.slug, action_set.slug
    return ["/manage/", f"/manage/cohorts/{cohort}/", "/manage/cohorts/new/", f"/manage/cohorts/{cohort}/edit/",
            f"/manage/cohorts/{cohort}/enrol/", f"/manage/cohorts/{cohort}/add/", f"/manage/sets/{slug}/",
            f"/manage/sets/{slug}/edit/", f"/manage/members/{member.pk}/move/", f"/manage/members/{member.pk}/remove/"]


def _check(tab, path: str, label: str, width: int, problems: list) -> None:
    response = tab.goto(path)
    if response.status != 200:
        problems.append(f"{path} at {label}: HTTP {response.status}")
        return
    scroll_width = tab.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width:
        problems.append(f"{path} is {scroll_width}px wide at {width}px")
    # A box that scrolls must be reachable by keyboard and named for screen readers.
    unlabelled = tab.evaluate("""() => [...document.querySelectorAll('.table-scroll, .table-wrap')]
        .filter(b => b.scrollWidth > b.clientWidth)
        .filter(b => b.tabIndex < 0 || !(b.getAttribute('aria-label') || b.getAttribute('aria-labelledby')))
        .map(b => b.className)""")
    if unlabelled:
        problems.append(f"{path} at {label}: a scrolling box without focus or label: {unlabelled}")
    violations = run_axe(tab)
    if violations:
        problems.append(f"{path} at {label}: axe {violations}")
    name = path.strip("/").replace("/", "-").replace("?", "-").replace("=", "") or "home"
    tab.screenshot(path=str(SCREENSHOTS / f"fit-{name}-{label}.png"), full_page=True)


def test_facilitator_and_staff_pages_fit_375_and_1280_px(new_context, live_server):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    action_set = ActionSet.objects.order_by("pk").first()
    facilitator = Membership.objects.filter(action_set=action_set, role=Membership.Role.FACILITATOR).first().user
    member = Membership.objects.current().filter(action_set=action_set, role=Membership.Role.LEARNER).first()
    staff = User.objects.get(email="admin@example.com")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    for label, viewport in WIDTHS.items():
        tab = new_context(facilitator, viewport=viewport, bypass_csp=True).new_page()
        for path in _facilitator_pages(action_set.slug):
            _check(tab, path, label, viewport["width"], problems)

        # Staff sign in through the form, as a person would, and land in the staff area.
        tab = new_context(viewport=viewport, bypass_csp=True).new_page()
        tab.goto("/accounts/login/")
        tab.fill("input[name=login]", staff.email)
        tab.fill("input[name=password]", PASSWORD)
        tab.click("main form button[type=submit]")
        tab.wait_for_url("**/manage/")
        assert "You are not in a set yet" not in tab.content()
        for path in _staff_pages(action_set, member):
            _check(tab, path, label, viewport["width"], problems)
    assert problems == []


def test_staff_who_are_members_see_their_sets_and_the_staff_area_link(new_context, live_server):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    action_set = ActionSet.objects.order_by("pk").first()
    both = Membership.objects.current().filter(action_set=action_set, role=Membership.Role.LEARNER).first().user
    User.objects.filter(pk=both.pk).update(is_staff=True)
    for label, viewport in WIDTHS.items():
        tab = new_context(viewport=viewport).new_page()
        sign_in(tab.context, both, live_server.url)
        tab.goto("/")
        assert tab.url.endswith("/") and not tab.url.endswith("/manage/")
        assert tab.get_by_role("link", name="Manage").is_visible() or label == "phone"
        assert tab.locator('a[href="/manage/"]').count() >= 1
        assert action_set.name in tab.content()
        assert tab.evaluate("document.documentElement.scrollWidth") <= viewport["width"], label
