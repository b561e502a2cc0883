"""The first upload handler of every request (settings.FILE_UPLOAD_HANDLERS): a file larger than
ATTACHMENT_MAX_MB is cut at the limit, not read into memory or onto disk.

Django hands each chunk of an upload to the handlers in order. This one counts a file's bytes
and passes chunks on to Django's memory and temporary-file handlers while the file is within the
limit; past it, it keeps nothing and passes nothing, and at the end gives the form a
`TooLargeUpload` — a file with no content that knows its name and how far it went — so the form
says "this file is too large" and the rest of the post (its text, the other files) is kept.
The rest of that file's bytes are read from the socket and dropped, so fields that follow it still
arrive; a request that sends more than `request_files_cap()` in files altogether (1 GB at the
default limit) is cut off instead (a web server in front should refuse such bodies first:
docs/files.md).
"""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload


def max_bytes() -> int:
    return settings.ATTACHMENT_MAX_MB * 1024 * 1024


def request_files_cap() -> int:
    """All files of one request together: past this the request is cut off, not read to its end."""
    return 100 * max_bytes()


class TooLargeUpload(UploadedFile):
    """A file that passed the size limit: its name and the bytes counted, no content."""

    too_large = True

    def __init__(self, *, name: str, size: int, field_name: str, content_type: str | None):
        super().__init__(file=None, name=name, content_type=content_type, size=size)
        self.field_name = field_name

    def open(self, mode=None):  # pragma: no cover - nothing to read, by design
        raise ValueError("A file cut at the size limit has no content.")


class SizeLimitUploadHandler(FileUploadHandler):
    def __init__(self, request=None):
        super().__init__(request)
        self.total = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.size = 0

    def receive_data_chunk(self, raw_data, start):
        self.size += len(raw_data)
        self.total += len(raw_data)
        if self.total > request_files_cap():
            raise StopUpload(connection_reset=True)
        if self.size > max_bytes():
            return None  # dropped here: the memory and disk handlers never see it
        return raw_data

    def file_complete(self, file_size):
        if self.size > max_bytes():
            return TooLargeUpload(name=self.file_name, size=self.size, field_name=self.field_name,
                                  content_type=self.content_type)
        return None  # the next handler (memory or temporary file) completes the file
