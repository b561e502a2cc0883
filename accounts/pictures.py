"""Profile pictures (issue 19): whatever image a member uploads becomes a small square WebP that we
encoded ourselves — checked and stripped by the one image cleaner (accounts/images.py: EXIF and GPS
gone, bombs refused from the header), then cropped to the centre. Only those bytes are ever stored
or served."""

from io import BytesIO

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.http import HttpResponse
from PIL import Image, ImageOps

from .images import clean_image

PICTURE_SIDE = 256                     # pixels, square; shown at 28–96 CSS px, sharp on 2x screens
MAX_UPLOAD_BYTES = 8 * 1024 * 1024     # a phone photo is 2–6 MB
MAX_PIXELS = 50_000_000                # 50 megapixels: any camera; a bomb claims far more
CONTENT_TYPE = "image/webp"


def make_picture(upload) -> bytes:
    """The upload as a PICTURE_SIDE square WebP, or a ValidationError saying what is wrong.

    `accounts.images.clean_image` does the checking (format from the content, pixel limit from the
    header, no animation), the orientation and the metadata stripping, shrinking on the way; this
    crops the centre square and encodes the small WebP we store."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("That picture is %(size)s MB; the limit is %(limit)s MB. Try a smaller copy.") % {
            "size": number_format(round(upload.size / 1024 / 1024, 1), decimal_pos=1),
            "limit": MAX_UPLOAD_BYTES // 1024 // 1024})
    cleaned = clean_image(upload, max_pixels=MAX_PIXELS, max_side=4 * PICTURE_SIDE)
    with Image.open(BytesIO(cleaned.data)) as image:
        square = ImageOps.fit(_flatten(image), (PICTURE_SIDE, PICTURE_SIDE), Image.Resampling.LANCZOS)
    out = BytesIO()
    square.save(out, "WEBP", quality=85, method=4)  # a new image: no EXIF, no ICC, no comments
    return out.getvalue()


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on white (transparent PNGs and GIFs would otherwise turn black)."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def picture_response(picture) -> HttpResponse:
    """A stored ProfilePicture (bytes we encoded), never sniffed, never run as a document."""
    response = HttpResponse(bytes(picture.image), content_type=picture.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Content-Disposition"] = "inline"
    return response
