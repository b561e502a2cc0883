"""Preview writes nothing but its own batch row; commit applies every valid row at once."""

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from actionsets.models import ActionSet, Membership
from enrolment import services
from enrolment.models import EnrolmentBatch, Invitation
from enrolment.services.batches import plan_file
from actionsets.models import ModerationAction

from .conftest import make_csv, people

WRITE_PREFIXES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def _writes(ctx):
    return [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(WRITE_PREFIXES)]


def test_planning_a_file_writes_nothing_at_all(cohort):
    with CaptureQueriesContext(connection) as ctx:
        plan_file(cohort=cohort, data=make_csv(people(30)), create_sets=True)
    assert _writes(ctx) == []


def test_preview_writes_only_its_batch_row(preview):
    users, memberships, sets = User.objects.count(), Membership.objects.count(), ActionSet.objects.count()
    with CaptureQueriesContext(connection) as ctx:
        batch = preview(make_csv(people(30) + [("x@example.org", "X", "Set New", "learner")]), create_sets=True)
    writes = _writes(ctx)
    assert len(writes) == 1 and "enrolment_enrolmentbatch" in writes[0]
    assert (User.objects.count(), Membership.objects.count(), ActionSet.objects.count()) == (users, memberships, sets)
    assert batch.status == EnrolmentBatch.Status.PREVIEWED and batch.totals["new_memberships"] == 31


def test_commit_creates_people_memberships_invitations_and_log(preview, staff, cohort, action_set, mailoutbox,
                                                                django_capture_on_commit_callbacks):
    batch = preview(make_csv(people(3)))
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.commit_enrolment(batch=batch, actor=staff)
    assert batch.is_committed and batch.result["new_memberships"] == 3
    members = Membership.objects.current().filter(action_set=action_set, user__email__startswith="person")
    assert members.count() == 3 and Invitation.objects.filter(batch=batch).count() == 3
    assert not User.objects.get(email="person0@example.org").has_usable_password()
    assert sorted(m.to[0] for m in mailoutbox) == [f"person{i}@example.org" for i in range(3)]
    assert "/accounts/invitation/" in mailoutbox[0].body and mailoutbox[0].alternatives
    log = ModerationAction.objects.filter(actor=staff)
    assert log.filter(action="add_member").count() == 3 and log.filter(action="enrol_batch").count() == 1


def test_reuploading_the_same_file_changes_nothing(preview, staff, mailoutbox, django_capture_on_commit_callbacks):
    data = make_csv(people(5) + [("f@example.org", "F", "Set A", "facilitator")])
    with django_capture_on_commit_callbacks(execute=True):
        services.commit_enrolment(batch=preview(data), actor=staff)
    counts = (User.objects.count(), Membership.objects.count(), Invitation.objects.count(), len(mailoutbox))
    again = preview(data)
    assert again.totals["new_memberships"] == 0 and again.totals["already_enrolled"] == 6
    assert again.plan["same_file_committed"]["by"] == staff.email
    with django_capture_on_commit_callbacks(execute=True):
        services.commit_enrolment(batch=again, actor=staff)
    assert (User.objects.count(), Membership.objects.count(), Invitation.objects.count(), len(mailoutbox)) == counts


def test_committing_a_batch_twice_is_a_no_op(preview, staff):
    batch = preview(make_csv(people(2)))
    services.commit_enrolment(batch=batch, actor=staff)
    services.commit_enrolment(batch=batch, actor=staff)
    assert Membership.objects.filter(user__email__startswith="person").count() == 2


def test_commit_applies_exactly_the_previewed_rows_checked_again(preview, staff, action_set):
    batch = preview(make_csv(people(3)))
    # Between preview and commit someone enrols person1 by hand: commit skips them, adds the rest.
    services.enrol_person(cohort=action_set.cohort, actor=staff, email="person1@example.org", display_name="P1",
                          set_name="Set A", role="learner")
    batch = services.commit_enrolment(batch=batch, actor=staff)
    assert batch.result["new_memberships"] == 2 and batch.result["changed_since_preview"]
    assert Membership.objects.filter(user__email="person1@example.org").count() == 1


def test_sets_named_in_the_file_are_created_only_when_ticked(preview, staff, cohort):
    data = make_csv([("a@example.org", "A", "Set Z", "learner"), ("b@example.org", "B", "set z", "learner")])
    services.commit_enrolment(batch=preview(data), actor=staff)
    assert not ActionSet.objects.filter(name__iexact="Set Z").exists()
    batch = services.commit_enrolment(batch=preview(data, create_sets=True), actor=staff)
    created = ActionSet.objects.get(name="Set Z")
    assert created.cohort == cohort and created.memberships.count() == 2
    assert batch.result["created_sets"] == ["Set Z"]
    assert ModerationAction.objects.filter(action="create_set", action_set=created).exists()


def test_rows_with_errors_are_skipped_and_valid_rows_applied(preview, staff):
    batch = services.commit_enrolment(batch=preview(make_csv(people(2) + [("bad", "B", "Set A", "learner")])), actor=staff)
    assert batch.result["new_memberships"] == 2 and batch.result["errors"] == 1


def test_archived_cohort_takes_no_enrolment(preview, staff, cohort):
    batch = preview(make_csv(people(1)))
    services.set_cohort_archived(actor=staff, cohort=cohort, archived=True)
    with pytest.raises(Exception, match="archived"):
        services.commit_enrolment(batch=batch, actor=staff)


def _install_failing_trigger():
    """A database trigger that refuses one membership insert: a failure midway through commit,
    after sets and users were inserted."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("""
                CREATE OR REPLACE FUNCTION refuse_membership() RETURNS trigger AS $$
                BEGIN IF NEW.role = 'facilitator' THEN RAISE EXCEPTION 'forced failure'; END IF; RETURN NEW; END;
                $$ LANGUAGE plpgsql""")
            cursor.execute("CREATE TRIGGER refuse_membership BEFORE INSERT ON actionsets_membership "
                           "FOR EACH ROW EXECUTE FUNCTION refuse_membership()")
        else:
            cursor.execute("CREATE TRIGGER refuse_membership BEFORE INSERT ON actionsets_membership "
                           "WHEN NEW.role = 'facilitator' BEGIN SELECT RAISE(ABORT, 'forced failure'); END")


def test_commit_is_atomic_a_failure_midway_leaves_nothing(preview, staff, cohort, mailoutbox,
                                                         django_capture_on_commit_callbacks):
    batch = preview(make_csv(people(5) + [("f@example.org", "F", "Set New", "facilitator")]), create_sets=True)
    before = (User.objects.count(), Membership.objects.count(), ActionSet.objects.count(), Invitation.objects.count(),
              ModerationAction.objects.count())
    _install_failing_trigger()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(Exception, match="forced failure"):
            services.commit_enrolment(batch=batch, actor=staff)
    after = (User.objects.count(), Membership.objects.count(), ActionSet.objects.count(), Invitation.objects.count(),
             ModerationAction.objects.count())
    assert after == before
    assert EnrolmentBatch.objects.get(pk=batch.pk).status == EnrolmentBatch.Status.PREVIEWED
    assert mailoutbox == []


def test_a_concurrent_duplicate_becomes_a_clear_message_not_a_500(client_for, staff, preview, cohort):
    batch = preview(make_csv(people(2)))
    _install_failing_trigger()  # stands in for any database refusal during commit
    batch.plan["rows"][0]["values"]["role"] = "facilitator"
    batch.save(update_fields=["plan"])
    response = client_for(staff).post(f"/manage/enrolments/{batch.pk}/commit/", follow=True)
    assert response.status_code == 200
    assert b"Nothing was saved" in response.content
    assert not User.objects.filter(email="person0@example.org").exists()
