"""Profile pictures (issue 19): whatever image a member uploads becomes a small square WebP that we
encoded ourselves — cropped to the centre, EXIF (camera, GPS) gone because nothing of the upload's
metadata is copied, and refused before decoding when its header claims more pixels than a photo
needs (a decompression bomb). Only the re-encoded bytes are ever stored or served."""

from io import BytesIO

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from PIL import Image, ImageOps, UnidentifiedImageError

PICTURE_SIDE = 256                     # pixels, square; shown at 28–96 CSS px, sharp on 2x screens
MAX_UPLOAD_BYTES = 8 * 1024 * 1024     # a phone photo is 2–6 MB
MAX_PIXELS = 50_000_000                # 50 megapixels: any camera; a bomb claims far more
FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
CONTENT_TYPE = "image/webp"


def make_picture(upload) -> bytes:
    """The upload as a PICTURE_SIDE square WebP, or a ValidationError saying what is wrong."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(f"That picture is {upload.size / 1024 / 1024:.1f} MB; the limit is "
                              f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB. Try a smaller copy.")
    try:
        with Image.open(upload) as image:  # reads the header only
            if image.format not in FORMATS:
                raise ValidationError("Use a JPEG, PNG, WebP or GIF picture.")
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(f"That picture is {width}×{height} pixels; the limit is "
                                      f"{MAX_PIXELS // 1_000_000} megapixels.")
            image.seek(0)  # an animated GIF: its first frame
            upright = ImageOps.exif_transpose(image)  # as the camera meant it, before EXIF is dropped
            flat = _flatten(upright)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as error:
        if isinstance(error, ValidationError):
            raise
        raise ValidationError("That file is not a picture we can read. Use a JPEG, PNG, WebP or GIF.") from None
    square = ImageOps.fit(flat, (PICTURE_SIDE, PICTURE_SIDE), Image.Resampling.LANCZOS)
    out = BytesIO()
    square.save(out, "WEBP", quality=85, method=4)  # a new image: no EXIF, no ICC, no comments
    return out.getvalue()


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on white (transparent PNGs and GIFs would otherwise turn black)."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
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
