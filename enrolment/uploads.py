"""Uploaded enrolment files stay in memory: never written to disk, never in a web-served place."""

import io

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class LimitedMemoryUploadHandler(FileUploadHandler):
    """Keep at most the size limit plus one byte in memory (enough to know a file is too big)
    and count the rest without storing it, so an oversized upload gets a precise message."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()
        self.size = 0

    def receive_data_chunk(self, raw_data, start):
        self.size += len(raw_data)
        room = settings.ENROLMENT_MAX_UPLOAD_BYTES + 1 - self.buffer.tell()
        if room > 0:
            self.buffer.write(raw_data[:room])
        return None

    def file_complete(self, file_size):
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer, field_name=self.field_name, name=self.file_name, content_type=self.content_type,
            size=self.size, charset=self.charset, content_type_extra=self.content_type_extra,
        )
