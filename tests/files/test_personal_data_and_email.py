"""My files in my data export; erasing an account keeps thread files (under "Former member") and
deletes journal files; emails never attach files, and confidential sets never name them."""

import io
import json
import zipfile

from django.urls import reverse

from actionsets import files, services
from actionsets.models import Attachment, Membership
from personal_data.services import delete_account
from tests.files.conftest import PDF, png_bytes, upload


def test_my_data_lists_my_files_and_the_zip_holds_them(client, learner, learner2, airtime, action_set):
    services.edit_airtime(editor=learner, airtime=airtime, title=airtime.title, body=airtime.body,
                          attachments=[upload("rota.pdf", PDF)])
    services.write_entry(author=learner, action_set=action_set, body="Mine", attachments=[upload("diary.txt", b"dear")])
    services.post_reply(author=learner2, airtime=airtime, body="Q?", kind="clarifying",
                        attachments=[upload("theirs.txt", b"not mine")])
    client.force_login(learner)
    data = json.loads(client.get(reverse("account_my_data_json")).getvalue())
    assert sorted(f["name"] for f in data["files"]) == ["diary.txt", "rota.pdf"]
    markdown = client.get(reverse("account_my_data_markdown")).getvalue().decode()
    assert "## My files" in markdown and "rota.pdf" in markdown
    response = client.get(reverse("account_my_data_files"))
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.getvalue()))
    contents = {name.rsplit("-", 1)[-1]: archive.read(name) for name in archive.namelist()}
    assert contents == {"rota.pdf": PDF, "diary.txt": b"dear"}
    assert {f["in_zip"] for f in data["files"]} == set(archive.namelist())


def test_erasure_keeps_thread_files_anonymised_and_deletes_journal_files(
        django_capture_on_commit_callbacks, client, learner, learner2, airtime, action_set):
    services.edit_airtime(editor=learner, airtime=airtime, title=airtime.title, body=airtime.body,
                          attachments=[upload("rota.pdf", PDF)])
    entry = services.write_entry(author=learner, action_set=action_set, body="Mine",
                                 attachments=[upload("diary.txt", b"dear")])
    pending = services.upload_pending(uploader=learner, action_set=action_set, upload=upload("d.png", png_bytes()))
    journal_file, thread_file = entry.attachments.get(), airtime.attachments.get()
    with django_capture_on_commit_callbacks(execute=True):
        delete_account(user=learner)
    assert not Attachment.objects.filter(pk__in=[journal_file.pk, pending.pk]).exists()
    assert not files.storage().exists(journal_file.key) and not files.storage().exists(pending.key)
    assert files.storage().exists(thread_file.key)
    thread_file.refresh_from_db()
    assert thread_file.uploader.name == "Former member"
    client.force_login(learner2)
    assert client.get(thread_file.url_for(action_set.slug)).status_code == 200


def test_emails_never_attach_files_and_confidential_sets_never_name_them(
        settings, learner, learner2, airtime, action_set):
    from django.core import mail

    from engagement import watching
    from engagement.models import OutboundEmail
    from engagement.outbox import send_outbox

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the real outbox, into memory
    Membership.objects.filter(user=learner).update(notification_level=Membership.NotificationLevel.WATCHING)
    for confidential in (False, True):
        action_set.confidential_digests = confidential
        action_set.save(update_fields=["confidential_digests"])
        pending = services.upload_pending(uploader=learner2, action_set=action_set,
                                          upload=upload(f"SECRET-IMAGE-{confidential}.png", png_bytes()))
        reply = services.post_reply(author=learner2, airtime=airtime, kind="clarifying",
                                    body=f"Look ![SECRET-IMAGE-{confidential}.png]({pending.url_for(action_set.slug)})",
                                    attachments=[upload(f"SECRET-DOC-{confidential}.pdf", PDF)])
        assert reply.attachments.count() == 2
        mail.outbox = []
        assert watching.notify_watchers(reply_id=reply.pk) == 1
        send_outbox(list(OutboundEmail.objects.filter(status="pending").values_list("pk", flat=True)))
        [message] = mail.outbox
        assert message.attachments == []
        bodies = [message.body, message.subject] + [alt[0] for alt in message.alternatives]
        assert not any(pending.token in b for b in bodies)
        if confidential:
            assert not any("SECRET" in b for b in bodies)
