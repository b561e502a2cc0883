"""Names and Role Provisioning: the course roster into the cohort through the CSV import's
preview → commit, page by page over the platform's next-page links."""

import jwt
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from actionsets.models import Membership, ModerationAction
from enrolment.models import EnrolmentBatch
from lti import keys, roster
from lti.models import Course, Identity

from tests.factories import MembershipFactory, UserFactory

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


def test_the_scheduled_sync_names_who_left_and_changed_role_but_applies_neither(
        staff, course, test_platform, action_set, learner, learner2, registration):
    Identity.objects.create(platform=registration, subject="u6", user=learner)
    Identity.objects.create(platform=registration, subject="u7", user=learner2)
    course.scheduled_sync, course.sync_by = True, staff
    course.save()
    test_platform.roster_pages = [[member(1), member(7, [TEACHING_ASSISTANT], email="learner2@example.com")]]
    assert roster.scheduled_sync() == 1
    batch = EnrolmentBatch.objects.get()
    assert batch.is_committed and not batch.plan.get("leaving") and not batch.plan.get("role_changes")
    note = next(n for n in batch.plan["notes"] if "Not applied by the scheduled sync" in n)
    assert "learner@example.com is no longer on the roster" in note
    assert "learner2@example.com is facilitator on the roster, learner in the set" in note
    assert set(Membership.objects.current().filter(action_set=action_set).values_list("user__email", "role")) == {
        ("learner@example.com", "learner"), ("learner2@example.com", "learner"), ("person1@example.org", "learner")}


def test_the_beat_schedule_is_off_by_default():
    from django.conf import settings

    assert "lti-roster-sync" not in settings.CELERY_BEAT_SCHEDULE


# Who left the course and who changed role: named in the preview, applied by the commit.

@pytest.fixture
def linked(registration, action_set):
    """Members of the course's set who came in through the platform (an identity per subject)."""

    def _link(subject, user, role=Membership.Role.LEARNER):
        Identity.objects.create(platform=registration, subject=subject, user=user)
        Membership.objects.filter(user=user, action_set=action_set).update(role=role)
        return user

    return _link


def _commit(client, batch):
    response = client.post(reverse("enrolment:batch_commit", kwargs={"batch_id": batch.pk}))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.is_committed
    return batch


def test_a_learner_dropped_from_the_course_leaves_the_set_on_commit(
        client_for, staff, course, test_platform, action_set, learner, learner2, linked):
    from enrolment.models import Invitation
    from enrolment.services import accept_invitation

    linked("u6", learner), linked("u7", learner2)
    gone = Membership.objects.get(user=learner, action_set=action_set)
    invitation = Invitation.objects.create(membership=gone, created_by=staff)
    test_platform.roster_pages = [[member(7, email="learner2@example.com"), member(1)]]
    client = client_for(staff)
    client.post(reverse("lti:course_sync", kwargs={"course_id": course.pk}))
    batch = EnrolmentBatch.objects.get()
    assert [p["email"] for p in batch.plan["leaving"]] == ["learner@example.com"]
    assert batch.plan["role_changes"] == []
    page = client.get(reverse("enrolment:batch", kwargs={"batch_id": batch.pk}))
    assert b"No longer on the course roster (1)" in page.content and b"1 leaving" in page.content
    assert Membership.objects.get(pk=gone.pk).left_at is None  # nothing until commit

    batch = _commit(client, batch)
    gone.refresh_from_db()
    assert gone.left_at == batch.committed_at
    assert batch.result["left"] == ["learner@example.com"] and batch.result["new_memberships"] == 1
    assert Membership.objects.current().filter(user=learner2, action_set=action_set).exists()
    log = ModerationAction.objects.get(action=ModerationAction.Action.REMOVE_MEMBER)
    assert (log.actor, log.action_set, log.target_id) == (staff, action_set, gone.pk)
    assert "roster" in log.reason
    with pytest.raises(ValidationError):  # their pending invitation went with the membership, as on the set's page
        accept_invitation(invitation=invitation)
    page = client.get(reverse("enrolment:batch", kwargs={"batch_id": batch.pk}))
    assert b"1</strong> membership ended" in page.content


def test_a_learner_promoted_to_teaching_assistant_facilitates_and_an_instructor_made_learner_does_not(
        client_for, staff, course, test_platform, action_set, learner, facilitator, linked):
    linked("u6", learner), linked("u8", facilitator, Membership.Role.FACILITATOR)
    test_platform.roster_pages = [[member(6, [TEACHING_ASSISTANT], email="learner@example.com"),
                                   member(8, [LEARNER], email="fac@example.com")]]
    batch = roster.preview_sync(course=course, actor=staff)
    assert [(p["email"], p["before"], p["role"]) for p in batch.plan["role_changes"]] == [
        ("fac@example.com", "facilitator", "learner"), ("learner@example.com", "learner", "facilitator")]
    assert batch.plan["leaving"] == []
    notes = {row["email"]: row["notes"] for row in batch.plan["rows"]}
    assert "Role changed on the platform: becomes facilitator on commit." in notes["learner@example.com"]
    assert not any("role is not changed" in note for note in notes["learner@example.com"])

    batch = _commit(client_for(staff), batch)
    promoted = Membership.objects.get(user=learner, action_set=action_set, left_at=None)
    demoted = Membership.objects.get(user=facilitator, action_set=action_set, left_at=None)
    assert promoted.is_facilitator and promoted.facilitating_since == batch.committed_at  # announced from now
    assert not demoted.is_facilitator and demoted.facilitator_since is None
    assert sorted(batch.result["role_changed"]) == ["fac@example.com", "learner@example.com"]
    logged = dict(ModerationAction.objects.filter(target_type="membership").values_list("target_id", "action"))
    assert logged == {promoted.pk: ModerationAction.Action.ASSIGN_FACILITATOR,
                      demoted.pk: ModerationAction.Action.CHANGE_ROLE}


def test_an_instructor_made_learner_who_is_a_learner_in_another_set_stays_facilitator(
        client_for, staff, course, test_platform, action_set, other_set, facilitator, linked):
    linked("u8", facilitator, Membership.Role.FACILITATOR)
    MembershipFactory(action_set=other_set, user=facilitator)
    test_platform.roster_pages = [[member(8, [LEARNER], email="fac@example.com")]]
    batch = _commit(client_for(staff), roster.preview_sync(course=course, actor=staff))
    assert batch.result["learner_elsewhere"] == ["fac@example.com"] and batch.result["role_changed"] == []
    assert Membership.objects.current().get(user=facilitator, action_set=action_set).is_facilitator
    page = client_for(staff).get(reverse("enrolment:batch", kwargs={"batch_id": batch.pk}))
    assert b"Still facilitating" in page.content


def test_running_the_sync_again_changes_nothing(client_for, staff, course, test_platform, action_set, learner,
                                                learner2, linked):
    linked("u6", learner), linked("u7", learner2)
    test_platform.roster_pages = [[member(7, [INSTRUCTOR], email="learner2@example.com"), member(1)]]
    client = client_for(staff)
    _commit(client, roster.preview_sync(course=course, actor=staff))
    before = set(Membership.objects.values_list("pk", "user_id", "role", "left_at", "facilitator_since"))
    logs = ModerationAction.objects.count()

    again = roster.preview_sync(course=course, actor=staff)
    assert again.plan["leaving"] == [] and again.plan["role_changes"] == []
    assert again.totals["new_memberships"] == 0
    page = client.get(reverse("enrolment:batch", kwargs={"batch_id": again.pk}))
    assert b"There is nothing new to commit" in page.content
    again = _commit(client, again)
    assert set(Membership.objects.values_list("pk", "user_id", "role", "left_at", "facilitator_since")) == before
    assert ModerationAction.objects.count() == logs + 1  # the batch's own line only
    assert again.result.get("left", []) == [] and again.result.get("role_changed", []) == []


def test_a_change_already_made_by_hand_is_not_made_twice(client_for, staff, course, test_platform, action_set,
                                                         learner, learner2, linked):
    from enrolment.services import assign_facilitator, remove_member

    linked("u6", learner), linked("u7", learner2)
    test_platform.roster_pages = [[member(7, [INSTRUCTOR], email="learner2@example.com")]]
    batch = roster.preview_sync(course=course, actor=staff)
    assert len(batch.plan["leaving"]) == len(batch.plan["role_changes"]) == 1
    remove_member(actor=staff, membership=Membership.objects.get(user=learner, action_set=action_set))
    assign_facilitator(actor=staff, action_set=action_set, user=learner2)
    logs = ModerationAction.objects.count()
    batch = _commit(client_for(staff), batch)
    assert batch.result["left"] == [] and batch.result["role_changed"] == []
    assert ModerationAction.objects.count() == logs + 1  # the batch's own line only


def test_a_staff_member_on_the_roster_is_neither_enrolled_removed_nor_promoted(
        client_for, staff, course, test_platform, action_set, registration):
    from enrolment.services import change_roles

    other_admin = UserFactory(email="admin2@example.com", is_staff=True, is_superuser=True)
    mine = Membership.objects.create(user=staff, action_set=action_set, role=Membership.Role.LEARNER)
    Identity.objects.create(platform=registration, subject="staff-sub", user=staff)
    test_platform.roster_pages = [[member(0, [INSTRUCTOR], user_id="staff-sub", email="Staff@example.com"), member(1)]]

    own = roster.preview_sync(course=course, actor=staff)  # staff syncing: their own line is left out
    assert "Your own address is on the roster" in " ".join(own.plan["notes"])
    assert own.plan["leaving"] == [] and own.plan["role_changes"] == []

    theirs = roster.preview_sync(course=course, actor=other_admin)  # another admin previewed it …
    assert [p["email"] for p in theirs.plan["role_changes"]] == ["staff@example.com"]
    theirs.plan["rows"] = [row for row in theirs.plan["rows"] if row["email"] != "staff@example.com"]
    theirs.save(update_fields=["plan"])
    theirs = _commit(client_for(staff), theirs)  # … and staff commit it: never themselves into facilitator
    mine.refresh_from_db()
    assert mine.role == Membership.Role.LEARNER and mine.left_at is None
    assert theirs.result["role_not_changed"] == ["staff@example.com"]
    page = client_for(staff).get(reverse("enrolment:batch", kwargs={"batch_id": theirs.pk}))
    assert b"Your own role was not changed" in page.content
    with pytest.raises(ValidationError):
        change_roles(actor=staff, memberships=[mine], role=Membership.Role.FACILITATOR)


COMMIT_BUDGET = 27  # measured: the same for 1 and for 8 of each change


def _changes_of_size(size, *, course, action_set, registration, test_platform, staff):
    """`size` members who left the course, `size` promoted to teaching assistant, `size` instructors
    made learners, `size` new."""
    prefix = action_set.slug
    for n in range(size):
        for subject, role in ((f"{prefix}-gone{n}", "learner"), (f"{prefix}-ta{n}", "learner"),
                              (f"{prefix}-was{n}", "facilitator")):
            user = MembershipFactory(action_set=action_set, role=role, user__email=f"{subject}@example.org").user
            Identity.objects.create(platform=registration, subject=subject, user=user)
    test_platform.roster_pages = [
        [member(n, [TEACHING_ASSISTANT], user_id=f"{prefix}-ta{n}", email=f"{prefix}-ta{n}@example.org")
         for n in range(size)]
        + [member(n, [LEARNER], user_id=f"{prefix}-was{n}", email=f"{prefix}-was{n}@example.org") for n in range(size)]
        + [member(f"{prefix}-{n}") for n in range(size)]]
    batch = roster.preview_sync(course=course, actor=staff)
    assert len(batch.plan["leaving"]) == batch.totals["new_memberships"] == size
    assert len(batch.plan["role_changes"]) == 2 * size
    return batch


def test_the_commit_costs_the_same_queries_for_one_or_many_changes(staff, course, test_platform, action_set, other_set,
                                                                   registration, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from enrolment.services import commit_enrolment

    other_course = Course.objects.create(platform=registration, context_id="course-2", deployment_id=DEPLOYMENT_ID,
                                         memberships_url=course.memberships_url, cohort=other_set.cohort,
                                         action_set=other_set)
    counts = []
    for size, the_course, the_set in ((1, course, action_set), (8, other_course, other_set)):
        batch = _changes_of_size(size, course=the_course, action_set=the_set, registration=registration,
                                 test_platform=test_platform, staff=staff)
        with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(COMMIT_BUDGET):
            commit_enrolment(batch=batch, actor=staff)
        counts.append(len(queries))
        assert Membership.objects.current().filter(action_set=the_set, role="facilitator").count() == size
        assert Membership.objects.filter(action_set=the_set, left_at__isnull=False).count() == size
    assert counts[0] == counts[1], counts
