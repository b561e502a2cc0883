"""Staff allocate a cohort into sets in a real browser: choose the options, read the proposal
(score, what could not be met), move someone, commit. Headless Chromium via Playwright; the
pages are checked with axe and work without JavaScript."""

import pytest

from actionsets.models import ActionSet, Membership
from enrolment.models import Allocation, CohortPerson
from tests.browser.conftest import run_axe
from tests.factories import ActionSetFactory, UserFactory


def _roster(cohort, n=14):
    users = [UserFactory(email=f"learner{i}@example.org", display_name=f"Learner {i}",
                         timezone="Pacific/Auckland" if i == 0 else "Europe/London") for i in range(n)]
    CohortPerson.objects.bulk_create([
        CohortPerson(cohort=cohort, user=u, department=f"Department {i % 3}", organisation=f"Organisation {i % 2}",
                     must_not_share=["learner2@example.org"] if i == 1 else [])
        for i, u in enumerate(users)])
    return users


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("javascript", [True, False])
def test_staff_propose_adjust_and_commit_an_allocation(new_context, javascript):
    cohort = ActionSetFactory(cohort__name="Leading Change 2027", cohort__slug="lc-2027").cohort
    users = _roster(cohort)
    staff = UserFactory(email="admin@example.org", is_staff=True)
    page = new_context(staff, javascript=javascript, bypass_csp=javascript).new_page()

    page.goto(f"/manage/cohorts/{cohort.slug}/")
    page.get_by_role("link", name="Allocate into sets").click()
    assert "14 learners not yet in a set" in page.inner_text("main")
    if javascript:
        assert run_axe(page) == []
    page.get_by_label("Learners per set").fill("7")
    page.get_by_label("Time-zone span (hours)").fill("3")
    page.get_by_role("button", name="Propose sets").click()

    page.wait_for_selector("text=Proposed sets: nothing is saved yet")
    main = page.inner_text("main")
    assert "Score:" in main and "Time-zone span" in main
    assert "Learner 0" in main and "UTC+13" in main  # Auckland cannot share a 3-hour span: named
    if javascript:
        assert run_axe(page) == []
    allocation = Allocation.objects.get()
    first = allocation.plan["sets"][0]["learners"][0]
    page.get_by_label("Email of the person to move").fill(allocation.plan["people"][str(first)]["email"])
    page.get_by_label("To set number").fill("2")
    page.get_by_role("button", name="Move").click()
    page.wait_for_selector("text=the score is updated")
    page.get_by_role("button", name="Commit 2 sets").click()
    page.wait_for_selector("text=Allocation committed")
    names = Allocation.objects.get().result["set_names"]  # "Set N" names the cohort already uses are skipped
    assert ActionSet.objects.filter(cohort=cohort, name__in=names).count() == 2
    moved = Membership.objects.current().get(user_id=first)
    assert moved.action_set.name == names[1]
    assert Membership.objects.current().filter(user__in=users).count() == 14
