"""A launch in real Chromium: the platform's page starts the login, its authorisation endpoint
posts the signed id_token back, and the launch page's script (static/js/lti.js) follows the one-time
link in the same window, because this launch is not inside a frame."""

import pytest

from accounts.services import mark_email_verified
from lti.models import Platform

from tests.lti.platform import CLIENT_ID, DEPLOYMENT_ID, INSTRUCTOR, TestPlatform


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_top_level_launch_lands_on_the_set_signed_in(live_server, new_context, settings, facilitator, action_set):
    settings.SITE_URL = live_server.url
    # "localhost" for both: one site (ports do not count), as a platform and tool on one domain would be.
    test_platform = TestPlatform(host="localhost")
    try:
        Platform.objects.create(name="Test platform", issuer=test_platform.issuer, client_id=CLIENT_ID,
                                deployment_ids=[DEPLOYMENT_ID], auth_login_url=test_platform.url + "/auth",
                                auth_token_url=test_platform.url + "/token", key_set_url=test_platform.url + "/jwks")
        mark_email_verified(user=facilitator)
        test_platform.next_launch = {"sub": "fac-1", "email": facilitator.email, "roles": [INSTRUCTOR],
                                     "custom": {"actionsets_target": "set:set-a"}}
        page = new_context().new_page()
        page.goto(f"{live_server.url}/lti/login/?iss={test_platform.issuer}&login_hint=h&client_id={CLIENT_ID}")
        page.wait_for_url(f"{live_server.url}/sets/set-a/**")
        assert "Set A" in page.content()
        assert page.locator("body").inner_text().count("Sign in") == 0
    finally:
        test_platform.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_roster_preview_names_who_left_and_changed_role_and_commit_applies_them(
        new_context, staff, action_set, learner, learner2, tmp_path):
    """The preview → commit of a roster sync in Chromium: both lists are shown
    first, the one button applies them; both pages pass axe and the Nu HTML Checker."""
    from actionsets.models import Membership
    from lti import roster
    from lti.models import Course, Identity

    from tests.browser.conftest import run_axe
    from tests.browser.test_html_validity import run_vnu

    platform = Platform.objects.create(name="Test platform", issuer="https://platform.example.org", client_id=CLIENT_ID,
                                       deployment_ids=[DEPLOYMENT_ID], auth_login_url="https://platform.example.org/a",
                                       auth_token_url="https://platform.example.org/t",
                                       key_set_url="https://platform.example.org/k")
    course = Course.objects.create(platform=platform, context_id="c1", deployment_id=DEPLOYMENT_ID, title="Course",
                                   cohort=action_set.cohort, action_set=action_set)
    Identity.objects.create(platform=platform, subject="u1", user=learner)
    Identity.objects.create(platform=platform, subject="u2", user=learner2)
    batch = roster.preview_sync(course=course, actor=staff, members=[
        {"user_id": "u2", "email": learner2.email, "name": "Second", "status": "Active", "roles": [INSTRUCTOR]}])

    page = new_context(staff, bypass_csp=True).new_page()  # axe is injected: CSP bypassed
    page.goto(f"/manage/enrolments/{batch.pk}/")
    served = page.context.request.get(f"/manage/enrolments/{batch.pk}/")  # as served, for the checker
    changes = page.get_by_role("region", name="Who left, and changed roles")
    assert "learner@example.com" in changes.inner_text() and "learner → facilitator" in changes.inner_text()
    assert run_axe(page) == []
    preview = tmp_path / "roster-preview.html"
    preview.write_text(served.text())
    page.get_by_role("button", name="1 leaving, 1 role change").click()
    page.wait_for_load_state()
    assert "1 membership ended" in page.get_by_role("region", name="Done").inner_text()
    assert run_axe(page) == []
    committed = tmp_path / "roster-committed.html"
    committed.write_text(page.context.request.get(f"/manage/enrolments/{batch.pk}/").text())
    assert not Membership.objects.current().filter(user=learner, action_set=action_set).exists()
    assert Membership.objects.current().get(user=learner2, action_set=action_set).is_facilitator
    errors = [m for m in run_vnu([preview, committed]) if m.get("type") == "error"]
    assert errors == []
