"""The staff workflow through its pages: cohorts, sets, people, uploads. Every action is logged."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from actionsets.models import ActionSet, Cohort, Membership
from actionsets.permissions import SetAccess, can_post
from enrolment.models import EnrolmentBatch, Invitation
from actionsets.models import ModerationAction
from tests.factories import UserFactory

from .conftest import make_csv, people


def _logged(actor, action):
    return ModerationAction.objects.filter(actor=actor, action=action).exists()


def test_staff_create_edit_and_archive_a_cohort(client_for, staff, db):
    client = client_for(staff)
    response = client.post("/manage/cohorts/new/", {"name": "Leading Change 2027", "starts_on": "2027-01-10"})
    cohort = Cohort.objects.get(name="Leading Change 2027")
    assert response.status_code == 302 and response["Location"] == f"/manage/cohorts/{cohort.slug}/"
    client.post(f"/manage/cohorts/{cohort.slug}/edit/", {"name": "Leading Change, spring 2027",
                                                          "starts_on": "2027-01-10", "ends_on": "2027-06-30"})
    cohort.refresh_from_db()
    assert cohort.name == "Leading Change, spring 2027" and str(cohort.ends_on) == "2027-06-30"
    client.post(f"/manage/cohorts/{cohort.slug}/sets/new/", {"name": "Set One"})
    assert ActionSet.objects.filter(cohort=cohort, name="Set One").exists()
    client.post(f"/manage/cohorts/{cohort.slug}/archive/", {"archived": "1"})
    cohort.refresh_from_db()
    assert cohort.archived and cohort.action_sets.get().archived
    assert all(_logged(staff, a) for a in ["create_cohort", "edit_cohort", "create_set", "archive_cohort"])


def test_cohort_dates_are_checked(client_for, staff, db):
    response = client_for(staff).post("/manage/cohorts/new/", {"name": "X", "starts_on": "2027-02-01",
                                                               "ends_on": "2027-01-01"})
    assert response.status_code == 200 and "must end after it starts" in response.content.decode()


def test_archiving_a_cohort_makes_its_sets_read_only_and_restoring_reopens_them(client_for, staff, action_set, learner):
    client = client_for(staff)
    client.post(f"/manage/cohorts/{action_set.cohort.slug}/archive/", {"archived": "1"})
    membership = learner.memberships.select_related("action_set").get()
    assert not can_post(SetAccess(action_set=membership.action_set, membership=membership))
    client.post(f"/manage/cohorts/{action_set.cohort.slug}/archive/", {"archived": "0"})
    membership = learner.memberships.select_related("action_set").get()
    assert can_post(SetAccess(action_set=membership.action_set, membership=membership))
    assert _logged(staff, "restore_cohort")


def test_rename_set_keeps_its_address(client_for, staff, action_set):
    client_for(staff).post(f"/manage/sets/{action_set.slug}/edit/", {"name": "Set Alpha"})
    action_set.refresh_from_db()
    assert action_set.name == "Set Alpha" and action_set.slug == "set-a"
    assert _logged(staff, "rename_set")


def test_assign_facilitator_promotes_a_learner_or_adds_and_invites(client_for, staff, action_set, learner, mailoutbox,
                                                                   django_capture_on_commit_callbacks):
    client = client_for(staff)
    client.post(f"/manage/sets/{action_set.slug}/facilitators/", {"email": "learner@example.com"})
    assert learner.memberships.get().role == Membership.Role.FACILITATOR
    newcomer = UserFactory(email="newfac@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/manage/sets/{action_set.slug}/facilitators/", {"email": "NewFac@example.org"})
    assert newcomer.memberships.get().role == Membership.Role.FACILITATOR
    assert [m.to for m in mailoutbox] == [["newfac@example.org"]]
    response = client.post(f"/manage/sets/{action_set.slug}/facilitators/", {"email": "nobody@example.org"})
    assert response.status_code == 400 and "Enrol them first" in response.content.decode()


def test_move_member_to_another_set_of_the_cohort(client_for, staff, action_set, other_set, learner):
    membership = learner.memberships.get()
    response = client_for(staff).post(f"/manage/members/{membership.pk}/move/", {"to_set": other_set.slug})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.left_at is not None
    moved = Membership.objects.current().get(user=learner)
    assert moved.action_set == other_set and moved.ground_rules_accepted_at is None
    assert ModerationAction.objects.get(action="move_member").detail["to_set"] == other_set.pk


def test_removed_member_loses_access_at_once_and_their_posts_stay(client_for, staff, action_set, learner, open_round):
    from actionsets import services as set_services

    airtime = set_services.present_airtime(presenter=learner, action_set=action_set, title="Mine", body="Body")
    membership = learner.memberships.get()
    client_for(staff).post(f"/manage/members/{membership.pk}/remove/", {"reason": "Left the programme"})
    membership.refresh_from_db()
    assert membership.left_at is not None
    airtime.refresh_from_db()  # still there, still theirs
    assert airtime.presenter == learner
    member_client = Client()
    member_client.force_login(learner)
    assert member_client.get(f"/sets/{action_set.slug}/").status_code == 404
    assert ModerationAction.objects.get(action="remove_member").reason == "Left the programme"


def test_add_a_single_person_by_hand(client_for, staff, action_set, mailoutbox, django_capture_on_commit_callbacks):
    client = client_for(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/manage/cohorts/{action_set.cohort.slug}/add/", {
            "email": "Ana@Example.org", "display_name": "Ana", "set_name": "Set A", "role": "learner",
            "timezone_name": "Europe/Madrid"})
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="ana@example.org")
    assert membership.user.timezone == "Europe/Madrid" and membership.invitation
    assert [m.to for m in mailoutbox] == [["ana@example.org"]]
    again = client.post(f"/manage/cohorts/{action_set.cohort.slug}/add/", {
        "email": "ana@example.org", "display_name": "Ana", "set_name": "Set A", "role": "learner"})
    assert "already enrolled" in again.content.decode()


def test_add_person_errors_are_shown_on_the_form(client_for, staff, action_set, outsider):
    response = client_for(staff).post(f"/manage/cohorts/{action_set.cohort.slug}/add/", {
        "email": "outsider@example.com", "display_name": "O", "set_name": "Set A", "role": "learner"})
    assert response.status_code == 200 and "use Move" in response.content.decode()


def test_upload_preview_then_commit_through_the_pages(client_for, staff, action_set, mailoutbox,
                                                      django_capture_on_commit_callbacks):
    client = client_for(staff)
    upload = SimpleUploadedFile("intake.csv", make_csv(people(3) + [("bad", "B", "Set A", "learner")]))
    response = client.post(f"/manage/cohorts/{action_set.cohort.slug}/enrol/", {"file": upload})
    batch = EnrolmentBatch.objects.get()
    assert response["Location"] == f"/manage/enrolments/{batch.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Preview: nothing is saved yet" in page and "Commit 3 memberships" in page
    assert "Row 5, column A (email):" in page
    assert Membership.objects.filter(user__email__startswith="person").count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/manage/enrolments/{batch.pk}/commit/")
    assert Membership.objects.filter(user__email__startswith="person").count() == 3 and len(mailoutbox) == 3
    assert "Enrolment committed" in client.get(f"/manage/enrolments/{batch.pk}/").content.decode()


def test_oversized_upload_is_refused_precisely_and_kept_in_memory_only(client_for, staff, action_set, settings):
    settings.ENROLMENT_MAX_UPLOAD_BYTES = 1000
    upload = SimpleUploadedFile("big.csv", make_csv(people(200)))
    response = client_for(staff).post(f"/manage/cohorts/{action_set.cohort.slug}/enrol/", {"file": upload}, follow=True)
    assert response.status_code == 200
    assert "the limit is 1 KB" in response.content.decode()
    assert len(EnrolmentBatch.objects.get().plan["rows"]) == 0


def test_upload_is_csrf_protected(staff, action_set):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    upload = SimpleUploadedFile("intake.csv", make_csv(people(1)))
    assert client.post(f"/manage/cohorts/{action_set.cohort.slug}/enrol/", {"file": upload}).status_code == 403
    assert not EnrolmentBatch.objects.exists()


def test_staff_resend_an_invitation(client_for, staff, action_set, mailoutbox, django_capture_on_commit_callbacks):
    from enrolment import services

    services.enrol_person(cohort=action_set.cohort, actor=staff, email="ana@example.org", display_name="Ana",
                          set_name="Set A", role="learner")
    membership = Membership.objects.get(user__email="ana@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client_for(staff).post(f"/manage/members/{membership.pk}/resend/")
    assert [m.to for m in mailoutbox] == [["ana@example.org"]]
    assert Invitation.objects.get(membership=membership).send_count == 1
    assert _logged(staff, "resend_invitation")


def test_cohort_page_figures(client_for, staff, action_set, learner, learner2, facilitator, open_round):
    from actionsets import services as set_services
    from enrolment import services

    set_services.present_airtime(presenter=learner, action_set=action_set, title="T", body="B")
    services.enrol_person(cohort=action_set.cohort, actor=staff, email="ana@example.org", display_name="Ana",
                          set_name="Set A", role="learner")
    page = client_for(staff).get(f"/manage/cohorts/{action_set.cohort.slug}/").content.decode()
    assert "<strong>4</strong> enrolled" in page
    assert "<strong>0</strong> of 1 invitations accepted" in page
    assert "<strong>1</strong> active in the last 7 days" in page
