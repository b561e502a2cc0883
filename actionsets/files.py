"""What a file must be before a set keeps it (docs/files.md): its type found from its content, not
its name; images re-encoded (accounts/images.py); names sanitised and never used as paths; scanned
by clamd when CLAMD_SOCKET is set; stored under a random key in the "attachments" storage.

Everything here reads and checks; nothing writes to the database (services.files does).
"""

import re
import secrets
import socket
import struct
import unicodedata
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from accounts.images import clean_image

from .uploads import max_bytes

# Sniffed type → (what members call it, extension we give it). Nothing else is kept.
IMAGE_TYPES = {"image/png", "image/jpeg", "image/webp", "image/gif"}
DOCUMENT_TYPES = {
    "application/pdf": "pdf",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.ms-powerpoint": "ppt",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
TEXT_TYPE = "text/plain"
ALLOWED_HELP = "PDF, images (PNG, JPEG, WebP, GIF), plain text, and Word, Excel, PowerPoint or OpenDocument files"

# Markup a browser (or a careless viewer) would run: never in a text file, nor at the head of a
# PDF or office file — that is how a file is made to be two things at once (a polyglot).
ACTIVE_MARKUP = re.compile(rb"<\s*(?:script|svg|html|body|iframe|object|embed|meta|!doctype|\?xml[^>]*>\s*<svg)"
                           rb"|javascript:", re.IGNORECASE)
SVG = re.compile(rb"<svg[\s>]", re.IGNORECASE)
# Active content in a PDF: scripts, launching programs, embedded files, forms that submit.
PDF_ACTIVE = re.compile(rb"/(?:JavaScript|JS|Launch|EmbeddedFile|SubmitForm|ImportData|RichMedia|XFA)\b")
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
NAME_MAX = 120


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed every check, with the bytes to store (re-encoded for an image)."""

    name: str
    content_type: str
    data: bytes
    width: int | None = None
    height: int | None = None

    @property
    def size(self) -> int:
        return len(self.data)


def sanitise_name(name: str, *, extension: str | None = None) -> str:
    """A display name: no folders (`../`), no control or format characters, no leading dots, at
    most NAME_MAX characters, ending in the extension of the type we found."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")  # controls, bidi overrides
    name = CONTROL.sub("", name).replace('"', "'").strip().lstrip(".").strip()
    name = re.sub(r"\s+", " ", name)
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if extension:
        ext = extension
    stem = stem[: NAME_MAX - len(ext) - 1].strip() or "file"
    return f"{stem}.{ext}" if ext else stem


def _refuse(name: str, message: str, code: str) -> ValidationError:
    return ValidationError(f"“{name}”: {message}", code=code)


def sniff(head: bytes) -> str | None:
    """The type the content says it is (not the name), or None."""
    kind = filetype.guess(head)
    return kind.mime if kind else None


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return not re.search(r"[\x00-\x08\x0e-\x1f\x7f]", text)


def check_upload(upload) -> CheckedFile:
    """Check one uploaded file; raise ValidationError naming it and saying why it is refused."""
    shown = sanitise_name(getattr(upload, "name", "") or "file")
    if getattr(upload, "too_large", False) or (upload.size or 0) > max_bytes():
        raise _refuse(shown, f"too large. Each file can be at most {settings.ATTACHMENT_MAX_MB} MB.", "too_large")
    upload.seek(0)
    data = upload.read(max_bytes() + 1)
    if len(data) > max_bytes():
        raise _refuse(shown, f"too large. Each file can be at most {settings.ATTACHMENT_MAX_MB} MB.", "too_large")
    if not data:
        raise _refuse(shown, "the file is empty.", "empty")
    head = data[:8192]
    mime = sniff(head)
    if mime is None and SVG.search(head):
        raise _refuse(shown, "SVG images can carry scripts, so they are not accepted. Export it as PNG.", "svg")
    if mime in IMAGE_TYPES:
        try:
            image = clean_image(ContentFile(data))
        except ValidationError as error:
            raise _refuse(shown, error.messages[0], error.code or "image") from None
        checked = CheckedFile(name=sanitise_name(shown, extension=image.extension), content_type=image.content_type,
                              data=image.data, width=image.width, height=image.height)
    elif mime in DOCUMENT_TYPES:
        _refuse_polyglot(shown, mime, data)
        checked = CheckedFile(name=sanitise_name(shown, extension=DOCUMENT_TYPES[mime]), content_type=mime, data=data)
    elif mime is None and _is_text(data):
        if ACTIVE_MARKUP.search(data[:65536]):
            raise _refuse(shown, "this looks like a web page or script, which is not accepted as a text file.",
                          "markup")
        checked = CheckedFile(name=sanitise_name(shown, extension="txt"), content_type=TEXT_TYPE, data=data)
    else:
        raise _refuse(shown, f"this kind of file is not accepted. Allowed: {ALLOWED_HELP}.", "type")
    scan(checked.data, name=shown)
    return checked


def _refuse_polyglot(shown: str, mime: str, data: bytes) -> None:
    if ACTIVE_MARKUP.search(data[:1024]):
        raise _refuse(shown, "this file is also a web page (its start holds HTML), so it is not accepted.", "polyglot")
    if mime == "application/pdf":
        if PDF_ACTIVE.search(data):
            raise _refuse(shown, "this PDF holds scripts, embedded files or actions, so it is not accepted. "
                                 "Print it to a new PDF and attach that.", "pdf_active")
        if any(sig in data for sig in ZIP_SIGNATURES):
            raise _refuse(shown, "this PDF is also an archive, so it is not accepted.", "polyglot")


# --- Scanning: clamd's INSTREAM over its unix socket ------------------------------------------

class ScanUnavailable(RuntimeError):
    pass


CLAMD_CHUNK = 64 * 1024


def clamd_instream(data: bytes, *, path: str, timeout: float) -> str:
    """Send `data` to clamd (zINSTREAM: 4-byte big-endian lengths, then a zero length) and return
    its answer, e.g. "stream: OK" or "stream: Eicar-Signature FOUND"."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        sock.connect(path)
        sock.sendall(b"zINSTREAM\0")
        for start in range(0, len(data), CLAMD_CHUNK):
            chunk = data[start:start + CLAMD_CHUNK]
            sock.sendall(struct.pack("!L", len(chunk)) + chunk)
        sock.sendall(struct.pack("!L", 0))
        reply = b""
        while not reply.endswith(b"\0"):
            part = sock.recv(4096)
            if not part:
                break
            reply += part
    return reply.rstrip(b"\0").decode("utf-8", "replace").strip()


def scan(data: bytes, *, name: str) -> None:
    """Refuse what clamd flags. Off when CLAMD_SOCKET is unset. When it is set but clamd does not
    answer, the file is refused too (fail closed): nothing unscanned is kept."""
    path = settings.CLAMD_SOCKET
    if not path:
        return
    try:
        answer = clamd_instream(data, path=path, timeout=settings.CLAMD_TIMEOUT)
    except OSError:
        raise _refuse(name, "the virus scanner is not answering, so the file was not kept. Try again later.",
                      "scan_unavailable") from None
    if answer.endswith("FOUND"):
        raise _refuse(name, "the virus scanner flagged this file, so it is not accepted.", "infected")
    if not answer.endswith("OK"):
        raise _refuse(name, "the virus scanner could not check this file, so it was not kept.", "scan_error")


# --- Storage ----------------------------------------------------------------------------------

def storage():
    return storages["attachments"]


def new_token() -> str:
    return secrets.token_urlsafe(24)


def key_for(token: str) -> str:
    """Where a file's bytes go: from the random token only, never from its name."""
    return f"{token[:2].lower()}/{token}"


def save_bytes(key: str, data: bytes) -> None:
    saved = storage().save(key, ContentFile(data))
    if saved != key:  # never overwritten, never renamed: a random key that exists is a bug
        storage().delete(saved)
        raise RuntimeError("attachment key already in use")


def delete_quietly(keys) -> None:
    for key in keys:
        try:
            storage().delete(key)
        except Exception:  # noqa: BLE001 - a file left behind is swept by an operator, not an error page
            pass
