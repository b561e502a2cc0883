import pytest
from django.core.management import CommandError, call_command

from actionsets.models import Membership
from enrolment.models import EnrolmentBatch

from .conftest import make_csv, people


@pytest.fixture
def csv_file(tmp_path):
    path = tmp_path / "intake.csv"
    path.write_bytes(make_csv(people(3) + [("bad", "B", "Set A", "learner"), ("z@example.org", "Z", "Set Z", "learner")]))
    return path


def test_without_commit_it_previews_and_writes_nothing(csv_file, cohort, staff, capsys):
    call_command("import_cohort", str(csv_file), "--cohort", cohort.slug)
    out, err = capsys.readouterr()
    assert "3 new memberships" in out and "Preview only" in out
    assert "row 5, column A (email)" in err and "row 6, column C (set)" in err
    assert not EnrolmentBatch.objects.exists() and not Membership.objects.filter(user__email__startswith="person").exists()


def test_commit_applies_and_records_the_actor(csv_file, cohort, staff, capsys, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_cohort", str(csv_file), "--cohort", cohort.slug, "--commit", "--create-sets")
    assert "4 new memberships" in capsys.readouterr().out
    batch = EnrolmentBatch.objects.get()
    assert batch.source == "command" and batch.committed_by == staff
    assert len(mailoutbox) == 4
    call_command("import_cohort", str(csv_file), "--cohort", cohort.slug, "--commit", "--create-sets")
    assert "0 new memberships" in capsys.readouterr().out  # idempotent


def test_unknown_cohort_and_unreadable_file_are_command_errors(csv_file, tmp_path, cohort, staff):
    with pytest.raises(CommandError, match="No cohort"):
        call_command("import_cohort", str(csv_file), "--cohort", "nope")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"PK\x03\x04")
    with pytest.raises(CommandError, match="could not be used"):
        call_command("import_cohort", str(bad), "--cohort", cohort.slug, "--commit")
