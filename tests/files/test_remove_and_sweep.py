"""Removing a file from a post when editing it (the revision keeps it), and the sweep of editor
uploads that no post took (issue 15). Real storage: the bytes are checked on disk."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from actionsets import files, services
from actionsets.models import Attachment, Revision
from tests.files.conftest import PDF, png_bytes, upload


def _url(attachment):
    return attachment.url_for(attachment.action_set.slug)


@pytest.fixture
def with_files(airtime, learner):
    services.edit_airtime(editor=learner, airtime=airtime, title=airtime.title, body=airtime.body,
                          attachments=[upload("plan.pdf", PDF), upload("board.png", png_bytes())])
    return {a.name: a for a in airtime.attachments.all()}


# --- Removing a file from a post ---------------------------------------------------------------

def test_removing_a_file_from_an_airtime_keeps_it_with_the_revision(client, learner, learner2, airtime, with_files):
    pdf, png = with_files["plan.pdf"], with_files["board.png"]
    client.force_login(learner)
    edit = reverse("actionsets:airtime_edit", args=[airtime.action_set.slug, airtime.pk])
    form = client.get(edit).content.decode()
    assert 'name="remove_files"' in form and "plan.pdf" in form
    response = client.post(edit, {"title": airtime.title, "body": airtime.body, "remove_files": [pdf.pk]})
    assert response.status_code == 302
    pdf.refresh_from_db()
    png.refresh_from_db()
    assert pdf.removed_at is not None and png.removed_at is None
    revision = Revision.objects.get(airtime=airtime)
    assert pdf.revision == revision and revision.body == airtime.body  # text unchanged, files changed
    airtime.refresh_from_db()
    assert airtime.edited_at is not None

    # The history (its author's and the facilitators') lists the removed file with the revision.
    history = client.get(reverse("actionsets:airtime_history", args=[airtime.action_set.slug, airtime.pk]))
    assert history.status_code == 200
    page = history.content.decode()
    assert "File removed in this edit" in page and pdf.token in page
    # The thread lists only the current file; the removed one is still stored and still opens for the
    # post's readers (an earlier version's text may show it).
    client.force_login(learner2)
    thread = client.get(airtime.get_absolute_url()).content.decode()
    assert png.token in thread and pdf.token not in thread
    assert files.storage().exists(pdf.key)
    assert client.get(_url(pdf)).status_code == 200


def test_removing_a_file_from_a_reply_while_editing_its_text(client, learner2, airtime):
    reply = services.post_reply(author=learner2, airtime=airtime, body="What is on the board?", kind="clarifying",
                                attachments=[upload("a.txt", b"first"), upload("b.txt", b"second")])
    a, b = reply.attachments.order_by("name")
    client.force_login(learner2)
    edit = reverse("actionsets:reply_edit", args=[airtime.action_set.slug, airtime.pk, reply.pk])
    response = client.post(edit, {"body": "What is on the whiteboard?", "remove_files": [b.pk]})
    assert response.status_code == 302
    revision = Revision.objects.get(reply=reply)
    assert revision.body == "What is on the board?"
    assert list(revision.removed_files.all()) == [b]
    from actionsets.selectors import post_files

    assert post_files(reply) == [a]


def test_a_removed_file_frees_its_place_in_the_per_post_limit(learner, airtime, with_files, settings):
    settings.ATTACHMENTS_PER_POST = 2
    services.edit_airtime(editor=learner, airtime=airtime, title=airtime.title, body=airtime.body,
                          remove_files=[with_files["plan.pdf"].pk], attachments=[upload("new.txt", b"new")])
    from actionsets.selectors import post_files

    assert sorted(f.name for f in post_files(airtime)) == ["board.png", "new.txt"]


def test_nobody_removes_another_posts_file(learner, learner2, airtime, with_files):
    reply = services.post_reply(author=learner2, airtime=airtime, body="A question?", kind="clarifying")
    services.edit_reply(editor=learner2, reply=reply, body="A better question?",
                        remove_files=[with_files["plan.pdf"].pk, "x", -1])
    with_files["plan.pdf"].refresh_from_db()
    assert with_files["plan.pdf"].removed_at is None and with_files["plan.pdf"].revision is None


def test_only_the_author_can_remove_a_file(client, learner2, airtime, with_files):
    client.force_login(learner2)
    edit = reverse("actionsets:airtime_edit", args=[airtime.action_set.slug, airtime.pk])
    response = client.post(edit, {"title": "x", "body": "y", "remove_files": [with_files["plan.pdf"].pk]})
    assert response.status_code == 404
    assert Attachment.objects.filter(removed_at__isnull=False).count() == 0


def test_removing_a_journal_file_deletes_it(client, learner, action_set, open_round, django_capture_on_commit_callbacks):
    entry = services.write_entry(author=learner, action_set=action_set, body="Today",
                                 attachments=[upload("scan.pdf", PDF), upload("keep.txt", b"keep")])
    scan = entry.attachments.get(name="scan.pdf")
    client.force_login(learner)
    edit = reverse("actionsets:journal_entry", args=[action_set.slug, entry.pk])
    assert "Ticked files are deleted when you save." in client.get(edit).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit, {"level": "describe", "body": "Today, edited", "remove_files": [scan.pk]})
    assert response.status_code == 302
    assert [a.name for a in entry.attachments.all()] == ["keep.txt"]
    assert not files.storage().exists(scan.key)


# --- The sweep of editor uploads no post took -------------------------------------------------

def _age(attachment, hours):
    Attachment.objects.filter(pk=attachment.pk).update(created_at=timezone.now() - timedelta(hours=hours))


def test_unposted_editor_uploads_are_swept_after_the_grace_period(learner, learner2, airtime, action_set, settings,
                                                                 django_capture_on_commit_callbacks):
    settings.PENDING_UPLOAD_GRACE_HOURS = 24
    old = services.upload_pending(uploader=learner, action_set=action_set, upload=upload("old.png", png_bytes()))
    recent = services.upload_pending(uploader=learner, action_set=action_set, upload=upload("new.png", png_bytes()))
    taken = services.upload_pending(uploader=learner2, action_set=action_set, upload=upload("taken.png", png_bytes()))
    services.post_reply(author=learner2, airtime=airtime, body=f"![t]({_url(taken)})", kind="clarifying")
    attached = services.post_reply(author=learner2, airtime=airtime, body="Files", kind="clarifying",
                                   attachments=[upload("f.txt", b"form file")]).attachments.get()
    for attachment in (old, taken, attached):
        _age(attachment, 25)
    _age(recent, 23)
    assert files.storage().exists(old.key)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.sweep_pending_uploads() == 1
    assert not Attachment.objects.filter(pk=old.pk).exists()
    assert not files.storage().exists(old.key)  # the bytes too
    for kept in (recent, taken, attached):
        assert Attachment.objects.filter(pk=kept.pk).exists() and files.storage().exists(kept.key)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.sweep_pending_uploads() == 0  # idempotent


def test_the_sweep_runs_in_batches_and_from_the_command(learner, action_set, settings,
                                                       django_capture_on_commit_callbacks):
    uploads = [services.upload_pending(uploader=learner, action_set=action_set, upload=upload(f"{i}.txt", b"x%d" % i))
               for i in range(3)]
    for attachment in uploads:
        _age(attachment, settings.PENDING_UPLOAD_GRACE_HOURS + 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.sweep_pending_uploads(batch_size=2) == 3
    assert not any(files.storage().exists(a.key) for a in uploads)

    again = services.upload_pending(uploader=learner, action_set=action_set, upload=upload("late.txt", b"late"))
    _age(again, settings.PENDING_UPLOAD_GRACE_HOURS + 1)
    from io import StringIO

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("sweep_pending_uploads", stdout=out)
    assert "Unposted editor uploads deleted: 1." in out.getvalue()
    assert not Attachment.objects.exists() and not files.storage().exists(again.key)


def test_the_sweep_is_in_the_beat_schedule(settings, learner, action_set):
    from actionsets.tasks import sweep_pending_uploads_task

    entry = settings.CELERY_BEAT_SCHEDULE["sweep-pending-uploads"]
    assert entry["task"] == "actionsets.tasks.sweep_pending_uploads_task"
    assert entry["schedule"] <= 24 * 60 * 60
    services.upload_pending(uploader=learner, action_set=action_set, upload=upload("fresh.txt", b"fresh"))
    assert sweep_pending_uploads_task() == 0 and Attachment.objects.count() == 1
