"""Files in a real browser (issue 15): attaching files with JavaScript on and off, the editor's
image upload (a file dropped into the text), and what another member's browser then shows."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image

from actionsets import services
from actionsets.models import Attachment, Reply
from tests.factories import ActionSetFactory, MembershipFactory, RoundFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _expect():
    from playwright.sync_api import expect

    return expect


def _png(colour="teal") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 40), colour).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def thread_set():
    now = timezone.now()
    action_set = ActionSetFactory(slug="files-set", name="Files set")
    RoundFactory(action_set=action_set, number=1, opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=13))
    presenter = MembershipFactory(action_set=action_set, user__email="priya@example.com",
                                  user__display_name="Priya").user
    asker = MembershipFactory(action_set=action_set, user__email="ben@example.com", user__display_name="Ben").user
    airtime = services.present_airtime(presenter=presenter, action_set=action_set, title="The rota",
                                       body="Our rota keeps slipping.")
    return action_set, airtime, presenter, asker


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_attach_files_to_a_reply(new_context, thread_set, javascript):
    expect = _expect()
    action_set, airtime, presenter, asker = thread_set
    page = new_context(asker, javascript=javascript).new_page()
    page.goto(airtime.get_absolute_url())
    page.locator("textarea[name=body]").fill("What does the rota look like now?")
    page.locator("input[name=attachments]").set_input_files([
        {"name": "rota.png", "mimeType": "image/png", "buffer": _png()},
        {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"Monday: Sam"},
    ])
    page.get_by_role("button", name="Post").first.click()
    expect(page.get_by_role("link", name="rota.png")).to_be_visible()
    reply = Reply.objects.get(airtime=airtime)
    assert sorted(a.name for a in reply.attachments.all()) == ["notes.txt", "rota.png"]

    # The presenter's browser opens the image through the permission-checked address.
    theirs = new_context(presenter).new_page()
    theirs.goto(airtime.get_absolute_url())
    image = reply.attachments.get(name="rota.png")
    response = theirs.request.get(image.url_for(action_set.slug))
    assert response.status == 200 and response.headers["content-type"] == "image/png"
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_a_refused_file_keeps_what_was_written(new_context, thread_set, javascript):
    expect = _expect()
    action_set, airtime, presenter, asker = thread_set
    page = new_context(asker, javascript=javascript).new_page()
    page.goto(airtime.get_absolute_url())
    page.locator("textarea[name=body]").fill("Is the rota shared with the team?")
    page.locator("input[name=attachments]").set_input_files([
        {"name": "drawing.svg", "mimeType": "image/svg+xml", "buffer": b"<svg onload='alert(1)'></svg>"}])
    page.get_by_role("button", name="Post").first.click()
    expect(page.get_by_text("SVG images can carry scripts")).to_be_visible()
    expect(page.locator("textarea[name=body]")).to_have_value("Is the rota shared with the team?")
    assert not Reply.objects.exists() and not Attachment.objects.exists()


def test_an_image_dropped_into_the_editor_is_placed_in_the_text(new_context, thread_set):
    expect = _expect()
    action_set, airtime, presenter, asker = thread_set
    page = new_context(asker).new_page()
    page.goto(airtime.get_absolute_url())
    box = page.locator("textarea[name=body]")
    box.fill("Here is our whiteboard: ")
    # What a drop of a file from the desktop does: a DataTransfer holding a File, on the editor.
    page.evaluate("""async (bytes) => {
        const file = new File([new Uint8Array(bytes)], "whiteboard.png", {type: "image/png"});
        const data = new DataTransfer();
        data.items.add(file);
        const box = document.querySelector("textarea[name=body]");
        box.dispatchEvent(new DragEvent("drop", {dataTransfer: data, bubbles: true, cancelable: true}));
    }""", list(_png("purple")))
    expect(box).to_have_value(__import__("re").compile(r"!\[whiteboard\.png\]\(/sets/files-set/files/[\w-]+/\)"))
    pending = Attachment.objects.get()
    assert pending.is_pending and pending.uploader == asker
    page.get_by_role("button", name="Post").first.click()
    expect(page.locator(f'.prose img[src="{pending.url_for(action_set.slug)}"]')).to_be_visible()
    pending.refresh_from_db()
    assert pending.reply is not None

    # The presenter sees the image in the thread: it loads (the browser got 200 with image bytes).
    theirs = new_context(presenter).new_page()
    theirs.goto(airtime.get_absolute_url())
    image = theirs.locator(f'.prose img[src="{pending.url_for(action_set.slug)}"]')
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth") == 60


_DROP = """async ([name, type, bytes]) => {
    const file = new File([new Uint8Array(bytes)], name, {type: type});
    const data = new DataTransfer();
    data.items.add(file);
    const box = document.querySelector("textarea[name=body]");
    box.dispatchEvent(new DragEvent("drop", {dataTransfer: data, bubbles: true, cancelable: true}));
}"""


@pytest.mark.parametrize("case", ["type", "too-large", "quota"])
def test_the_editor_upload_shows_the_servers_reason(new_context, thread_set, settings, case):
    """A refused editor upload says why, under the box (markdownx alone wrote "Invalid response"
    into the text), and leaves the text as it was."""
    expect = _expect()
    action_set, airtime, presenter, asker = thread_set
    if case == "too-large":
        settings.ATTACHMENT_MAX_MB = 1
        name, kind, data, reason = "scan.png", "image/png", _png() + b"\0" * (1024 * 1024 + 10), "too large"
    elif case == "quota":
        settings.SET_QUOTA_MB = 0
        name, kind, data, reason = "board.png", "image/png", _png(), "file space is full"
    else:
        name, kind, data, reason = "drawing.svg", "image/svg+xml", b"<svg onload='alert(1)'></svg>", \
            "SVG images can carry scripts"
    page = new_context(asker).new_page()
    page.goto(airtime.get_absolute_url())
    box = page.locator("textarea[name=body]")
    box.fill("Here is our board: ")
    page.evaluate(_DROP, [name, kind, list(data)])
    alert = page.locator(".upload-error[role=alert]")
    expect(alert).to_contain_text(reason)
    if case != "quota":
        expect(alert).to_contain_text(name)  # the server names the file it refused
    expect(box).to_have_value("Here is our board: ")
    assert "Invalid response" not in box.input_value()
    assert not Attachment.objects.exists()

    # The next upload that works clears the message and places the file.
    settings.ATTACHMENT_MAX_MB, settings.SET_QUOTA_MB = 10, 500
    page.evaluate(_DROP, ["ok.png", "image/png", list(_png("navy"))])
    expect(box).to_have_value(__import__("re").compile(r"Here is our board: !\[ok\.png\]\(/sets/files-set/files/"))
    expect(alert).to_be_hidden()
