"""Photos and screenshots in experience reports: checked by decoding, then re-encoded.

Only JPEG, PNG and WebP that Pillow can decode are taken, up to MAX_BYTES; anything else is
refused with a message. Every image is decoded and written again (turned upright first), so
EXIF, GPS and any other metadata or trailing data the phone or an attacker put in the file is
gone, and its longer side is at most MAX_SIDE pixels.
"""

import warnings
from dataclasses import dataclass
from io import BytesIO

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from campaigns.services.errors import DomainError

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 2048
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
IMAGE_FIELD = "images"


@dataclass
class CleanImage:
    content: ContentFile
    content_type: str
    width: int
    height: int


def _refused(message: str, code: str) -> DomainError:
    return DomainError(message, code=code, field=IMAGE_FIELD)


def _open(upload) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            upload.seek(0)
            probe = Image.open(upload)
            if probe.format not in FORMATS:
                raise UnidentifiedImageError(probe.format)
            if probe.width * probe.height > MAX_PIXELS:
                raise Image.DecompressionBombError("too many pixels")
            probe.verify()  # a truncated or corrupt file fails here
            upload.seek(0)
            image = Image.open(upload)
            image.load()
        except (UnidentifiedImageError, Image.DecompressionBombError,
                Image.DecompressionBombWarning, OSError, SyntaxError, ValueError) as exc:
            raise _refused(
                _("“%(name)s”不是可用的图片：只能上传JPEG、PNG或WebP格式的照片或截图。")
                % {"name": getattr(upload, "name", "")[:60]}, "not_an_image",
            ) from exc
    return image


def clean_image(upload) -> CleanImage:
    """The upload as a new file without metadata; DomainError (field `images`) if refused."""
    if upload.size > MAX_BYTES:
        raise _refused(
            _("“%(name)s”超过5MB，请压缩后再上传。") % {"name": upload.name[:60]}, "too_big"
        )
    image = _open(upload)
    fmt = image.format
    upright = ImageOps.exif_transpose(image)  # keep how it looked, drop the tag
    upright.thumbnail((MAX_SIDE, MAX_SIDE))
    if fmt == "JPEG" and upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")
    out = BytesIO()
    options = {"JPEG": {"quality": 85, "optimize": True}, "PNG": {"optimize": True},
               "WEBP": {"quality": 85}}[fmt]
    upright.save(out, format=fmt, **options)  # no exif=, no icc/xmp: nothing but pixels
    return CleanImage(ContentFile(out.getvalue(), name="image"), FORMATS[fmt], upright.width,
                      upright.height)
