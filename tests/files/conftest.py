"""Files private to a set: sample files (real bytes, made here) and the fixtures the tests share."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from actionsets import services


def png_bytes(size=(32, 24), colour="teal", **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG", **save)
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 12.0), 3: "W", 4: (0.0, 7.0, 40.0)}  # GPS
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "orange").save(out, "JPEG", exif=exif.tobytes(), comment=b"HOME-ADDRESS")
    return out.getvalue()


# A minimal, valid one-page PDF with no active content.
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def airtime(learner, open_round, action_set):
    return services.present_airtime(presenter=learner, action_set=action_set, title="Getting my team to own the rota",
                                    body="We keep missing **deadlines**.")


@pytest.fixture
def fac_client(client, facilitator):
    client.force_login(facilitator)
    return client
