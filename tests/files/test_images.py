"""accounts/images.clean_image: re-encoded, metadata gone, bombs and odd images refused."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from accounts.images import clean_image
from tests.files.conftest import jpeg_with_gps, png_bytes


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` × `height` pixels (a decompression bomb's shape)."""
    def chunk(kind, data):
        return struct.pack("!I", len(data)) + kind + data + struct.pack("!I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack("!IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def test_gps_camera_and_comment_are_stripped_and_the_photo_stays_a_jpeg():
    original = jpeg_with_gps()
    assert b"SecretCam" in original and b"HOME-ADDRESS" in original
    cleaned = clean_image(io.BytesIO(original))
    assert (cleaned.content_type, cleaned.extension, cleaned.width, cleaned.height) == ("image/jpeg", "jpg", 40, 30)
    assert b"SecretCam" not in cleaned.data and b"HOME-ADDRESS" not in cleaned.data and b"Exif" not in cleaned.data
    reopened = Image.open(io.BytesIO(cleaned.data))
    assert dict(reopened.getexif()) == {}


def test_exif_orientation_is_applied_before_it_is_dropped():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to view
    out = io.BytesIO()
    Image.new("RGB", (40, 20), "red").save(out, "JPEG", exif=exif.tobytes())
    cleaned = clean_image(io.BytesIO(out.getvalue()))
    assert (cleaned.width, cleaned.height) == (20, 40)


def test_a_png_bomb_is_refused_from_its_header_without_decoding():
    bomb = png_claiming(100_000, 100_000)
    assert len(bomb) < 200
    with pytest.raises(ValidationError) as error:
        clean_image(io.BytesIO(bomb))
    assert error.value.code == "too_many_pixels"
    assert "too large to process" in error.value.messages[0]
    # Within Pillow's own limit, our lower one speaks with the size it read.
    with pytest.raises(ValidationError) as error:
        clean_image(io.BytesIO(png_claiming(9_000, 9_000)))
    assert "9,000 × 9,000" in error.value.messages[0]


def test_the_pixel_limit_is_the_callers_choice():
    with pytest.raises(ValidationError):
        clean_image(io.BytesIO(png_bytes((100, 100))), max_pixels=5_000)
    assert clean_image(io.BytesIO(png_bytes((100, 100))), max_pixels=10_000).width == 100


def test_max_side_shrinks_for_profile_pictures():
    cleaned = clean_image(io.BytesIO(png_bytes((400, 200))), max_side=100)
    assert (cleaned.width, cleaned.height) == (100, 50)


def test_animated_gif_is_refused_and_a_still_gif_kept():
    frames = [Image.new("RGB", (10, 10), (80 * i, 0, 0)) for i in range(3)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    with pytest.raises(ValidationError) as error:
        clean_image(io.BytesIO(out.getvalue()))
    assert error.value.code == "animated"
    still = io.BytesIO()
    frames[0].save(still, "GIF")
    assert clean_image(io.BytesIO(still.getvalue())).content_type == "image/gif"


def test_sixteen_bit_images_are_refused_with_a_clear_message():
    out = io.BytesIO()
    Image.new("I;16", (10, 10)).save(out, "PNG")
    with pytest.raises(ValidationError) as error:
        clean_image(io.BytesIO(out.getvalue()))
    assert error.value.code == "mode" and "8-bit" in error.value.messages[0]


def test_cmyk_jpeg_becomes_rgb():
    out = io.BytesIO()
    Image.new("CMYK", (10, 10), (0, 50, 50, 0)).save(out, "JPEG")
    cleaned = clean_image(io.BytesIO(out.getvalue()))
    assert Image.open(io.BytesIO(cleaned.data)).mode == "RGB"


@pytest.mark.parametrize("data", [b"", b"not an image", b"\x89PNG\r\n\x1a\n" + b"\0" * 40,
                                  b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"])
def test_what_is_not_a_png_jpeg_webp_or_gif_is_refused(data):
    with pytest.raises(ValidationError):
        clean_image(io.BytesIO(data))


def test_other_pillow_formats_are_never_decoded():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "BMP")
    with pytest.raises(ValidationError):
        clean_image(io.BytesIO(out.getvalue()))


def test_a_truncated_image_is_refused():
    data = jpeg_with_gps()
    with pytest.raises(ValidationError):
        clean_image(io.BytesIO(data[: len(data) // 2]))
