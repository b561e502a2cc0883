"""The file response's headers, the optional web-server hand-off, the limits per post and per set,
the editor's upload, revisions keeping earlier files, and the journal's files."""

import pytest
from django.urls import reverse

from actionsets import files, services
from actionsets.models import Attachment
from tests.files.conftest import PDF, jpeg_with_gps, png_bytes, upload


def _file_url(attachment):
    return reverse("actionsets:file", kwargs={"set_slug": attachment.action_set.slug, "token": attachment.token})


@pytest.fixture
def posted(airtime, learner):
    services.edit_airtime(editor=learner, airtime=airtime, title=airtime.title, body=airtime.body, attachments=[
        upload("Rota plan.pdf", PDF), upload("photo.jpg", jpeg_with_gps()), upload("notes.txt", b"plain notes"),
        upload("budget.docx", _docx())])
    return {a.content_type: a for a in airtime.attachments.all()}


def _docx() -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


@pytest.mark.parametrize("content_type, disposition", [
    ("application/pdf", 'inline; filename="Rota plan.pdf"'),
    ("image/jpeg", 'inline; filename="photo.jpg"'),
    ("text/plain", 'attachment; filename="notes.txt"'),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", 'attachment; filename="budget.docx"'),
])
def test_headers_of_a_file_response(client, learner, posted, content_type, disposition):
    client.force_login(learner)
    response = client.get(_file_url(posted[content_type]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == disposition
    assert response["Content-Type"].split(";")[0] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox;")
    assert "private" in response["Cache-Control"]
    body = response.getvalue()
    assert len(body) == posted[content_type].size
    if content_type == "image/jpeg":
        assert b"SecretCam" not in body and b"HOME-ADDRESS" not in body  # served as cleaned


def test_x_accel_redirect_hands_the_bytes_to_nginx(client, learner, posted, settings):
    settings.FILES_SERVE_HEADER = "X-Accel-Redirect"
    attachment = posted["application/pdf"]
    client.force_login(learner)
    response = client.get(_file_url(attachment))
    assert response["X-Accel-Redirect"] == f"/protected-files/{attachment.key}"
    assert response.getvalue() == b"" and response["X-Content-Type-Options"] == "nosniff"


def test_x_sendfile_names_the_path_on_disk(client, learner, posted, settings):
    settings.FILES_SERVE_HEADER = "X-Sendfile"
    attachment = posted["text/plain"]
    client.force_login(learner)
    response = client.get(_file_url(attachment))
    assert response["X-Sendfile"] == files.storage().path(attachment.key)


def test_six_files_on_one_post_are_refused_and_the_form_keeps_the_text(client, learner2, airtime, action_set):
    client.force_login(learner2)
    url = reverse("actionsets:reply", kwargs={"set_slug": action_set.slug, "airtime_id": airtime.pk})
    response = client.post(url, {"body": "KEEP-THESE-WORDS?", "kind": "clarifying",
                                 "attachments": [upload(f"n{i}.txt", b"x") for i in range(6)]})
    assert response.status_code == 400
    assert "At most 5 files per post" in response.content.decode() and "KEEP-THESE-WORDS?" in response.content.decode()
    assert not Attachment.objects.exists()


def test_the_per_post_limit_counts_files_already_on_the_post(learner, airtime, posted):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="would have 6"):
        services.edit_airtime(editor=learner, airtime=airtime, title=airtime.title, body=airtime.body,
                              attachments=[upload("a.txt", b"a"), upload("b.txt", b"b")])
    assert airtime.attachments.count() == 4


def test_the_set_quota_refuses_and_stores_nothing(client, learner2, airtime, action_set, settings):
    settings.SET_QUOTA_MB = 1
    services.post_reply(author=learner2, airtime=airtime, body="First", kind="clarifying",
                        attachments=[upload("a.txt", b"a" * 700_000)])
    stored_before = Attachment.objects.count()
    client.force_login(learner2)
    url = reverse("actionsets:reply", kwargs={"set_slug": action_set.slug, "airtime_id": airtime.pk})
    response = client.post(url, {"body": "Second question?", "kind": "clarifying",
                                 "attachments": [upload("b.txt", b"b" * 700_000)]})
    assert response.status_code == 400
    assert "This set&#x27;s file space is full" in response.content.decode()
    assert Attachment.objects.count() == stored_before
    assert airtime.replies.count() == 1


def test_a_refused_file_leaves_no_bytes_in_the_storage(learner2, airtime, settings):
    from django.core.exceptions import ValidationError

    settings.SET_QUOTA_MB = 0
    before = _stored_keys()
    with pytest.raises(ValidationError):
        services.post_reply(author=learner2, airtime=airtime, body="Q?", kind="clarifying",
                            attachments=[upload("a.txt", b"abc")])
    assert _stored_keys() == before


def _stored_keys() -> set[str]:
    storage = files.storage()
    keys = set()
    folders, _ = storage.listdir("") if storage.exists("") else ([], [])
    for folder in folders:
        keys.update(f"{folder}/{name}" for name in storage.listdir(folder)[1])
    return keys


def test_the_editor_upload_places_an_image_that_only_the_uploader_sees_until_posted(
        client, learner, learner2, airtime, action_set):
    client.force_login(learner2)
    response = client.post(reverse("actionsets:file_upload", args=[action_set.slug]),
                           {"image": upload("whiteboard.png", png_bytes())})
    assert response.status_code == 200
    code, url = response.json()["image_code"], response.json()["url"]
    assert code == f"![whiteboard.png]({url})"
    client.force_login(learner)
    assert client.get(url).status_code == 404  # not posted yet: the uploader's alone
    reply = services.post_reply(author=learner2, airtime=airtime, body=f"Our board:\n\n{code}", kind="clarifying")
    assert reply.attachments.get().token in url
    assert f'<img src="{url}" alt="whiteboard.png" loading="lazy">' in reply.body_html
    assert client.get(url).status_code == 200
    assert client.get(url)["Content-Type"] == "image/png"


def test_the_editor_upload_refuses_with_a_message_markdownx_can_show(client, learner2, action_set, airtime):
    client.force_login(learner2)
    response = client.post(reverse("actionsets:file_upload", args=[action_set.slug]),
                           {"image": upload("x.svg", b"<svg onload=alert(1)></svg>")})
    assert response.status_code == 400 and "SVG" in response.json()["error"]
    assert "image_code" not in response.json()


def test_someone_elses_pending_upload_is_not_taken_by_my_post(learner, learner2, airtime, action_set):
    pending = services.upload_pending(uploader=learner, action_set=action_set, upload=upload("p.png", png_bytes()))
    url = pending.url_for(action_set.slug)
    reply = services.post_reply(author=learner2, airtime=airtime, body=f"![x]({url})", kind="clarifying")
    pending.refresh_from_db()
    assert pending.is_pending and not reply.attachments.exists()


def test_an_edit_keeps_earlier_files_and_the_revision_still_shows_them(client, learner, airtime, action_set):
    pending = services.upload_pending(uploader=learner, action_set=action_set, upload=upload("v1.png", png_bytes()))
    url = pending.url_for(action_set.slug)
    services.edit_airtime(editor=learner, airtime=airtime, title=airtime.title, body=f"Version one ![v1]({url})")
    services.edit_airtime(editor=learner, airtime=airtime, title=airtime.title, body="Version two, no image",
                          attachments=[upload("v2.txt", b"second")])
    assert [a.name for a in airtime.attachments.all()] == ["v1.png", "v2.txt"]
    assert url in airtime.revisions.first().body
    client.force_login(learner)
    assert client.get(url).status_code == 200


def test_journal_files_through_the_journal_form(client, learner, action_set, open_round):
    client.force_login(learner)
    response = client.post(reverse("actionsets:journal", args=[action_set.slug]), {
        "level": "describe", "body": "What happened today", "attachments": [upload("scan.pdf", PDF)]})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.journal_entry is not None and attachment.name == "scan.pdf"
    page = client.get(reverse("actionsets:journal", args=[action_set.slug])).content.decode()
    assert attachment.token in page


@pytest.mark.parametrize("source, embedded", [
    ("![board](/sets/set-a/files/AbCdEfGhIjKlMnOpQrStUvWx/)", True),
    ("![board](https://evil.example/sets/set-a/files/AbCdEfGhIjKlMnOpQrStUvWx/)", False),
    ("![board](//evil.example/sets/set-a/files/AbCdEfGhIjKlMnOpQrStUvWx/)", False),
    ("![board](/sets/set-a/files/AbCdEfGhIjKlMnOpQrStUvWx/?x=1)", False),
    ("![board](/sets/set-a/files/../../accounts/my-data/export.json)", False),
    ('![x" onerror="alert(1)](/sets/set-a/files/AbCdEfGhIjKlMnOpQrStUvWx/)', True),
    ("![board](javascript:alert(1))", False),
])
def test_only_a_sets_own_file_is_embedded_as_an_image(source, embedded):
    import html5lib

    from actionsets.markdown import render_markdown

    rendered = render_markdown(source)
    images = [e for e in html5lib.parseFragment(rendered, namespaceHTMLElements=False).iter() if e.tag == "img"]
    assert bool(images) == embedded, rendered
    for image in images:
        assert set(image.attrib) == {"src", "alt", "loading"}
        assert image.attrib["src"] == "/sets/set-a/files/AbCdEfGhIjKlMnOpQrStUvWx/"
