"""Names and Role Provisioning: the course roster into the cohort through the CSV import's
preview → commit, page by page over the platform's next-page links."""

import jwt
import pytest
from django.urls import reverse

from actionsets.models import Membership
from enrolment.models import EnrolmentBatch
from lti import keys, roster
from lti.models import Course, Identity

from .platform import CONTEXT_ID, DEPLOYMENT_ID, INSTRUCTOR, LEARNER, TEACHING_ASSISTANT


def member(n, roles=(LEARNER,), **extra):
    return {"user_id": f"u{n}", "name": f"Person {n}", "email": f"person{n}@example.org", "status": "Active",
            "roles": list(roles), **extra}


@pytest.fixture
def course(registration, action_set, test_platform):
    return Course.objects.create(platform=registration, context_id=CONTEXT_ID, deployment_id=DEPLOYMENT_ID,
                                 title="Leading Change 101", memberships_url=test_platform.url + "/members",
                                 cohort=action_set.cohort, action_set=action_set)


def test_the_roster_is_read_page_by_page_with_an_access_token(course, test_platform):
    test_platform.roster_pages = [[member(1), member(2)], [member(3)], [member(4, [INSTRUCTOR])]]
    members = roster.fetch_members(course)
    assert [m["user_id"] for m in members] == ["u1", "u2", "u3", "u4"]
    pages = [p for method, p, _ in test_platform.requests if p == "/members"]
    assert len(pages) == 3
    token_request = next(form for method, p, form in test_platform.requests if p == "/token")
    assert token_request["grant_type"] == "client_credentials"
    assert "contextmembership.readonly" in token_request["scope"]
    assertion = token_request["client_assertion"]
    key = keys.signing_key()
    claims = jwt.decode(assertion, key.public_key, algorithms=["RS256"], audience=test_platform.url + "/token")
    assert claims["iss"] == claims["sub"] == "actionsets-client"


def test_sync_previews_then_commits_like_a_csv_import(client_for, staff, course, test_platform, action_set, learner):
    test_platform.roster_pages = [
        [member(1), member(2, [TEACHING_ASSISTANT]), member(3, status="Inactive")],
        [member(4, email=""), member(5, ["http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor"]),
         {**member(6), "email": "learner@example.com"}],
    ]
    client = client_for(staff)
    response = client.post(reverse("lti:course_sync", kwargs={"course_id": course.pk}))
    batch = EnrolmentBatch.objects.get()
    assert response["Location"] == reverse("enrolment:batch", kwargs={"batch_id": batch.pk})
    assert batch.source == "lti" and not batch.is_committed
    outcomes = {row["email"]: (row["outcome"], row["role"]) for row in batch.plan["rows"]}
    assert outcomes == {"person1@example.org": ("new_membership", "learner"),
                        "person2@example.org": ("new_membership", "facilitator"),
                        "learner@example.com": ("already_enrolled", "learner")}
    notes = " ".join(batch.plan["notes"])
    assert "1 inactive" in notes and "1 without an email" in notes and "1 neither instructor" in notes
    page = client.get(response["Location"])
    assert b"1 inactive on the platform" in page.content
    assert not Membership.objects.filter(user__email="person1@example.org").exists()  # nothing until commit

    client.post(reverse("enrolment:batch_commit", kwargs={"batch_id": batch.pk}))
    assert Membership.objects.current().filter(action_set=action_set, user__email__in=[
        "person1@example.org", "person2@example.org"]).count() == 2

    client.post(reverse("lti:course_sync", kwargs={"course_id": course.pk}))  # the same roster again
    again = EnrolmentBatch.objects.order_by("-pk").first()
    assert again.totals.get("new_membership", 0) == 0
    assert again.plan["same_file_committed"]["batch"] == batch.pk


def test_people_who_left_the_course_are_named(staff, course, test_platform, learner, registration):
    Identity.objects.create(platform=registration, subject="gone", user=learner)
    test_platform.roster_pages = [[member(1)]]
    batch = roster.preview_sync(course=course, actor=staff)
    assert any("learner@example.com" in note and "no longer on the roster" in note for note in batch.plan["notes"])


def test_a_course_without_a_set_or_roster_url_says_so(client_for, staff, course):
    course.action_set = None
    course.save()
    client = client_for(staff)
    response = client.post(reverse("lti:course_sync", kwargs={"course_id": course.pk}), follow=True)
    assert b"Choose the set" in response.content and not EnrolmentBatch.objects.exists()


def test_the_scheduled_sync_commits_for_courses_that_turned_it_on(staff, course, test_platform, action_set, settings):
    from lti.tasks import sync_rosters_task

    test_platform.roster_pages = [[member(1)]]
    assert sync_rosters_task() == 0  # off for the course by default
    course.scheduled_sync, course.sync_by = True, staff
    course.save()
    assert sync_rosters_task() == 1
    assert Membership.objects.current().filter(action_set=action_set, user__email="person1@example.org").exists()
    assert sync_rosters_task() == 1  # idempotent: nobody twice
    assert Membership.objects.filter(user__email="person1@example.org").count() == 1


def test_the_beat_schedule_is_off_by_default():
    from django.conf import settings

    assert "lti-roster-sync" not in settings.CELERY_BEAT_SCHEDULE
