"""Hostile files (issue 15, "Done when"): a polyglot, an SVG with script, a PNG bomb, a 200 MB
upload cut at the limit without reading it all into memory, a name with `../` and control
characters. Each is refused with a message naming the file, or made harmless, and the post's
text is never lost."""

import io
import tracemalloc

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.http.multipartparser import MultiPartParser
from django.urls import reverse

from actionsets import files
from actionsets.models import Attachment
from actionsets.uploads import SizeLimitUploadHandler, TooLargeUpload
from tests.files.conftest import PDF, png_bytes, upload
from tests.files.test_images import png_claiming

SVG_WITH_SCRIPT = (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
                   b'<script>fetch("/accounts/my-data/export.json")</script></svg>')
PDF_HTML_POLYGLOT = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n" + PDF[9:]
GIF_JS_POLYGLOT = b"GIF89a/*\x0a\x00\x0a\x00\x00\x00\x00;*/=alert(document.domain);//" + b"\x00" * 20
PDF_WITH_JAVASCRIPT = PDF.replace(b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>")
PDF_ZIP_POLYGLOT = PDF + b"PK\x03\x04" + b"\0" * 26 + b"PK\x05\x06" + b"\0" * 18


@pytest.mark.parametrize("name, data, code", [
    ("drawing.svg", SVG_WITH_SCRIPT, "svg"),
    ("drawing.png", SVG_WITH_SCRIPT, "svg"),  # the name does not matter: the content does
    ("report.pdf", PDF_HTML_POLYGLOT, "polyglot"),
    ("report.pdf", PDF_ZIP_POLYGLOT, "polyglot"),
    ("report.pdf", PDF_WITH_JAVASCRIPT, "pdf_active"),
    ("notes.txt", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "markup"),
    ("notes.txt", b"hello <svg onload=alert(1)>", "svg"),
    ("notes.txt", b"see <iframe src=//evil.example>", "markup"),
    ("bomb.png", png_claiming(100_000, 100_000), "too_many_pixels"),
    ("run.exe", b"MZ\x90\x00" + b"\0" * 200, "type"),
    ("archive.zip", b"PK\x03\x04" + b"\0" * 100, "type"),
    ("binary.txt", b"\x00\x01\x02binary", "type"),
    ("empty.txt", b"", "empty"),
])
def test_hostile_files_are_refused_naming_the_file(name, data, code):
    with pytest.raises(ValidationError) as error:
        files.check_upload(upload(name, data))
    assert error.value.code == code
    assert error.value.messages[0].startswith(f"“{files.sanitise_name(name)}”")


def test_a_gif_javascript_polyglot_keeps_no_byte_of_its_script():
    """Decoded as an image it is refused; were it readable, re-encoding would drop the script."""
    with pytest.raises(ValidationError):
        files.check_upload(upload("cat.gif", GIF_JS_POLYGLOT))


def test_a_png_with_html_appended_is_re_encoded_without_it():
    checked = files.check_upload(upload("chart.png", png_bytes() + b"<html><script>alert(1)</script></html>"))
    assert b"script" not in checked.data and checked.content_type == "image/png"


@pytest.mark.parametrize("name, expected", [
    ("../../etc/passwd", "passwd.txt"),
    ("..\\..\\windows\\win.ini", "win.txt"),
    ("bad\x00name\x07\x1b[31m.txt", "badname[31m.txt"),
    ("evil\u202egpj.exe", "evilgpj.txt"),  # a right-to-left override disguising the extension
    ("   .hidden  ", "hidden.txt"),
    ('quote"s;.txt', "quote's;.txt"),
    ("x" * 500 + ".txt", "x" * 116 + ".txt"),
])
def test_names_are_sanitised_and_never_used_as_paths(db, learner, action_set, open_round, name, expected):
    from actionsets import services

    airtime = services.present_airtime(presenter=learner, action_set=action_set, title="T", body="B",
                                       attachments=[upload(name, b"plain words")])
    attachment = airtime.attachments.get()
    assert attachment.name == expected
    assert "/" not in attachment.name and "\\" not in attachment.name
    assert attachment.key == f"{attachment.token[:2].lower()}/{attachment.token}"  # the random key, never the name
    assert files.storage().exists(attachment.key)


class Endless(io.RawIOBase):
    """A request body generated as it is read: multipart text, then a `size`-byte file, then a
    text field after it. Never held whole, by the test or by anyone."""

    def __init__(self, boundary: bytes, size: int):
        self.parts = iter(self._parts(boundary, size))
        self.pending = b""

    @staticmethod
    def _parts(boundary, size):
        yield (b"--" + boundary + b'\r\nContent-Disposition: form-data; name="body"\r\n\r\nMy words stay.\r\n'
               b"--" + boundary + b'\r\nContent-Disposition: form-data; name="attachments"; filename="huge.pdf"\r\n'
               b"Content-Type: application/pdf\r\n\r\n%PDF-1.4\n")
        chunk = b"0" * (1024 * 1024)
        for _ in range(size // len(chunk)):
            yield chunk
        yield (b"\r\n--" + boundary + b'\r\nContent-Disposition: form-data; name="kind"\r\n\r\nclarifying\r\n'
               b"--" + boundary + b"--\r\n")

    def readable(self):
        return True

    def readinto(self, buffer):
        while len(self.pending) < len(buffer):
            try:
                self.pending += next(self.parts)
            except StopIteration:
                break
        n = min(len(buffer), len(self.pending))
        buffer[:n], self.pending = self.pending[:n], self.pending[n:]
        return n


def test_a_200_mb_upload_is_cut_at_the_limit_without_being_held(settings):
    settings.ATTACHMENT_MAX_MB = 10
    size = 200 * 1024 * 1024
    boundary = b"----actionsets-test-boundary"
    body = Endless(boundary, size)
    meta = {"CONTENT_TYPE": f"multipart/form-data; boundary={boundary.decode()}",
            "CONTENT_LENGTH": str(size + 1000)}
    handlers = [SizeLimitUploadHandler(), MemoryFileUploadHandler(), TemporaryFileUploadHandler()]
    tracemalloc.start()
    try:
        post, uploaded = MultiPartParser(meta, io.BufferedReader(body, 64 * 1024), handlers).parse()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    cut = uploaded["attachments"]
    assert isinstance(cut, TooLargeUpload) and cut.too_large
    assert cut.size > 10 * 1024 * 1024
    assert peak < 30 * 1024 * 1024, f"{peak / 2**20:.0f} MB held while reading a 200 MB upload"
    # The fields around the file arrive: the post's text is kept.
    assert post["body"] == "My words stay." and post["kind"] == "clarifying"
    with pytest.raises(ValidationError) as error:
        files.check_upload(cut)
    assert error.value.code == "too_large" and "at most 10 MB" in error.value.messages[0]


def test_too_large_upload_through_the_reply_form_keeps_the_text(client, learner2, action_set, settings):
    from actionsets import services
    from tests.factories import RoundFactory

    settings.ATTACHMENT_MAX_MB = 1
    RoundFactory(action_set=action_set, number=1)
    airtime = services.present_airtime(presenter=action_set.memberships.exclude(user=learner2).first().user
                                       if action_set.memberships.exclude(user=learner2).exists() else learner2,
                                       action_set=action_set, title="T", body="B")
    client.force_login(learner2)
    url = reverse("actionsets:reply", kwargs={"set_slug": action_set.slug, "airtime_id": airtime.pk})
    response = client.post(url, {"body": "What have you tried so far, and with whom?", "kind": "clarifying",
                                 "attachments": [upload("big.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10))]})
    assert response.status_code == 400
    page = response.content.decode()
    assert "What have you tried so far, and with whom?" in page  # the text is in the box again
    assert "“big.pdf”: too large. Each file can be at most 1 MB." in page
    assert not Attachment.objects.exists() and not airtime.replies.exists()
