"""An admin enrols a cohort in a real browser: upload a CSV, read the preview, commit, and the
invited learner follows the emailed link to the ground rules. Headless Chromium via Playwright."""

import re
from pathlib import Path

import pytest
from django.core import mail

from actionsets.models import Membership
from tests.factories import DEFAULT_PASSWORD, ActionSetFactory, UserFactory

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CSV = ("email;display_name;set;role\n"
       "ana.lopez@example.org;Ana López;Set A;learner\n"
       "sam.okafor@example.org;Sam Okafor;Set A;facilitator\n"
       "\n"
       "not-an-email;Bad Row;Set A;learner\n"
       "li.wei@example.org;Li Wei;Set Z;learner\n").encode("cp1252")




@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_admin_uploads_previews_and_commits_a_cohort(live_server, browser_page, tmp_path, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = live_server.url
    page = browser_page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    action_set = ActionSetFactory(slug="set-a", name="Set A", cohort__name="Leading Change 2027",
                                  cohort__slug="leading-change-2027")
    UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    csv_path = tmp_path / "intake.csv"
    csv_path.write_bytes(CSV)

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", "admin@example.org")
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/manage/")  # staff in no set land in the staff area (issue 13)
    page.get_by_role("link", name="Leading Change 2027").click()
    page.get_by_role("link", name="Enrol from a CSV file").click()
    page.set_input_files("input[name=file]", str(csv_path))
    page.get_by_label("Create sets named in the file that don't exist").check()
    page.screenshot(path=str(ARTIFACTS / "enrol-upload.png"), full_page=True)
    page.get_by_role("button", name="Check the file").click()

    page.wait_for_selector("text=Preview: nothing is saved yet")
    body = page.inner_text("main")
    assert "Windows-1252" in body and "semicolon" in body
    assert "Row 5, column A (email):" in body and "Ana López" in body
    assert Membership.objects.filter(action_set__cohort=action_set.cohort).count() == 0
    page.screenshot(path=str(ARTIFACTS / "enrol-preview.png"), full_page=True)

    page.get_by_role("button", name="Commit 3 memberships").click()
    page.wait_for_selector("text=Enrolment committed")
    page.screenshot(path=str(ARTIFACTS / "enrol-committed.png"), full_page=True)
    assert Membership.objects.filter(action_set__cohort=action_set.cohort).count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == ["ana.lopez@example.org", "li.wei@example.org",
                                                    "sam.okafor@example.org"]

    # The invited learner follows the link, chooses a password and lands on the ground rules.
    invitation = next(m for m in mail.outbox if m.to == ["ana.lopez@example.org"])
    link = re.search(r"http://\S+/accounts/invitation/\S+/", invitation.body).group(0)
    page.goto(f"{live_server.url}/accounts/logout/")
    page.locator("main form button[type=submit]").click()
    page.goto(link)
    page.fill("input[name=new_password1]", "a calm river 42")
    page.fill("input[name=new_password2]", "a calm river 42")
    page.screenshot(path=str(ARTIFACTS / "invitation-accept.png"), full_page=True)
    page.get_by_role("button", name="Set my password and join").click()
    page.wait_for_url(f"{live_server.url}/sets/set-a/rules/")
    page.screenshot(path=str(ARTIFACTS / "invitation-ground-rules.png"), full_page=True)
    assert "I accept the ground rules" in page.inner_text("main")
