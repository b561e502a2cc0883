"""Clean an uploaded image: decode it with Pillow and encode it again, so what we store and serve is
pixels we produced, never the bytes someone sent.

`clean_image` is at the ground of the app ladder so any app may use it: set attachments
(actionsets.files) today, profile pictures tomorrow. It

- opens only PNG, JPEG, WebP and GIF (Pillow's other decoders are never reached);
- refuses a decompression bomb: more than `max_pixels` pixels is refused from the header, before
  any pixel is decoded (a 1 KB PNG can claim 100,000 × 100,000 pixels);
- refuses animated images (a still image is re-encoded; an animation would keep its frames'
  metadata and cost a frame decode each) and modes that have no faithful 8-bit form (16-bit,
  32-bit float);
- turns the picture upright from its EXIF orientation, then drops every piece of metadata — EXIF
  (camera, GPS position, time), XMP, ICC profiles, comments, PNG text chunks;
- shrinks it to `max_side` pixels on its longer side when asked (profile pictures);
- returns the new bytes with the content type, extension and size to store.

Every refusal is a `django.core.exceptions.ValidationError` with a message for the person who
uploaded the file.
"""

import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

# About 40 megapixels: a modern phone camera's photo, with room. Decoded as RGBA that is 160 MB.
DEFAULT_MAX_PIXELS = 40_000_000

# Pillow format → (content type, extension, how we encode it again).
FORMATS = {
    "PNG": ("image/png", "png", {"optimize": True}),
    "JPEG": ("image/jpeg", "jpg", {"quality": 85, "optimize": True}),
    "WEBP": ("image/webp", "webp", {"quality": 85}),
    "GIF": ("image/gif", "gif", {}),
}
# Modes each format can hold after cleaning; anything else is converted to the first one.
KEEP_MODES = {"PNG": ("RGB", "RGBA", "L", "LA", "P"), "JPEG": ("RGB", "L"), "WEBP": ("RGB", "RGBA"), "GIF": ("P", "L")}
# Modes with a faithful 8-bit form; others (I;16, I, F: scientific and 16-bit images) are refused.
CONVERTIBLE = {"1", "L", "LA", "P", "PA", "RGB", "RGBA", "RGBa", "CMYK", "YCbCr", "La"}

NOT_AN_IMAGE = gettext_lazy("This file is not a PNG, JPEG, WebP or GIF image we can read.")


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    content_type: str
    extension: str
    width: int
    height: int


def _too_many(max_pixels: int, width: int | None = None, height: int | None = None) -> str:
    def n(value: int) -> str:
        return number_format(value, force_grouping=True)

    size = _("%(width)s × %(height)s pixels") % {"width": n(width), "height": n(height)} if width else _(
        "far more pixels than that")
    return _("This image is too large to process: %(size)s; the limit is %(max)s pixels in all. Save a smaller "
             "copy and upload that.") % {"size": size, "max": n(max_pixels)}


def clean_image(fileobj, *, max_pixels: int = DEFAULT_MAX_PIXELS, max_side: int | None = None) -> CleanImage:
    """Decode `fileobj` (a binary file object, read from its current position) and return it
    re-encoded in the same format without metadata. Raises ValidationError when it is refused."""
    try:
        with warnings.catch_warnings():
            # Our own pixel limit decides below; Pillow's warning (or error at twice its limit)
            # must not be the first thing to fire.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(fileobj, formats=list(FORMATS))
    except Image.DecompressionBombError:  # Pillow's own limit, twice its MAX_IMAGE_PIXELS, read from the header
        raise ValidationError(_too_many(max_pixels), code="too_many_pixels") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ValidationError(NOT_AN_IMAGE, code="not_image") from None
    with image:
        width, height = image.size
        if width < 1 or height < 1 or width * height > max_pixels:
            raise ValidationError(_too_many(max_pixels, width, height), code="too_many_pixels")
        if getattr(image, "is_animated", False) and getattr(image, "n_frames", 1) > 1:
            raise ValidationError(_("Animated images are not accepted: upload a still image (PNG, JPEG or WebP)."),
                                  code="animated")
        if image.mode not in CONVERTIBLE:
            raise ValidationError(_("This image's colour format (%(mode)s) is not supported: save it as an 8-bit "
                                    "PNG or JPEG.") % {"mode": image.mode}, code="mode")
        fmt = image.format
        try:
            image.load()
            cleaned = ImageOps.exif_transpose(image) or image
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
            raise ValidationError(_("This image is damaged or cut short and cannot be read."), code="damaged") from None
        content_type, extension, options = FORMATS[fmt]
        if cleaned.mode not in KEEP_MODES[fmt]:
            has_alpha = "A" in cleaned.mode or "a" in cleaned.mode or "transparency" in cleaned.info
            wanted = "RGBA" if has_alpha and "RGBA" in KEEP_MODES[fmt] else KEEP_MODES[fmt][0]
            cleaned = cleaned.convert(wanted)
        if max_side and max(cleaned.size) > max_side:
            cleaned = cleaned.copy()
            cleaned.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        if cleaned is image:
            cleaned = image.copy()
        # Drop what the decoder read besides pixels (exif, icc_profile, xmp, comment, text chunks,
        # dpi): some encoders copy `info` into the new file when not told otherwise.
        transparency = cleaned.info.get("transparency") if cleaned.mode in ("P", "L", "RGB") else None
        cleaned.info = {}
        out = io.BytesIO()
        extra = {"transparency": transparency} if transparency is not None and fmt in ("PNG", "GIF") else {}
        # No exif=, icc_profile=, pnginfo= or comment=: Pillow writes none of them unless asked.
        cleaned.save(out, format=fmt, **options, **extra)
        return CleanImage(data=out.getvalue(), content_type=content_type, extension=extension,
                          width=cleaned.size[0], height=cleaned.size[1])
