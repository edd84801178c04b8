"""Checks on what editors upload, run by the admin forms and by every model full_clean()."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image as PillowImage

# The formats browsers show everywhere, by Pillow's name, with the extension
# stored files get. Anything else (SVG, which can carry scripts, TIFF, BMP,
# PSD, ...) is refused.
PICTURE_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
PICTURE_FORMATS_TEXT = "JPEG, PNG, GIF or WebP"
NOT_A_PICTURE = (
    f"This file is not a picture the site can show. Upload a {PICTURE_FORMATS_TEXT} image "
    "(SVG, HTML and other files are refused)."
)


def picture_format(file) -> str | None:
    """Pillow's name for the format of the picture in `file` (e.g. "PNG"), or None.

    Reads only the file's header; the file is left at its start.
    """
    try:
        file.seek(0)
        with PillowImage.open(file) as image:
            return image.format
    except (OSError, ValueError, PillowImage.DecompressionBombError):
        return None
    finally:
        file.seek(0)


def validate_picture(value) -> None:
    """Refuse an upload that is not a JPEG, PNG, GIF or WebP picture within the size limits.

    Pillow must recognise and verify the file; its bytes must not exceed
    IMAGE_UPLOAD_MAX_BYTES nor its pixels IMAGE_UPLOAD_MAX_PIXELS. Pictures
    already stored were checked when they were uploaded and are not read again.
    """
    if not value or getattr(value, "_committed", True):
        return
    max_bytes = settings.IMAGE_UPLOAD_MAX_BYTES
    if value.size > max_bytes:
        raise ValidationError(
            "This file is %(size)s; pictures may be at most %(limit)s.",
            code="file_too_large",
            params={"size": filesizeformat(value.size), "limit": filesizeformat(max_bytes)},
        )
    file = value.file
    try:
        file.seek(0)
        with PillowImage.open(file) as image:
            image_format, (width, height) = image.format, image.size
            # verify() must come straight after open(); it checks the data
            # without decoding it into memory.
            image.verify()
    except PillowImage.DecompressionBombError as error:
        raise _too_many_pixels() from error
    except Exception as error:  # Pillow raises many kinds on malformed files.
        raise ValidationError(NOT_A_PICTURE, code="invalid_image") from error
    finally:
        file.seek(0)
    if image_format not in PICTURE_EXTENSIONS:
        raise ValidationError(
            "This is a %(format)s file; upload a %(allowed)s picture instead.",
            code="unsupported_format",
            params={"format": image_format, "allowed": PICTURE_FORMATS_TEXT},
        )
    if width * height > settings.IMAGE_UPLOAD_MAX_PIXELS:
        raise _too_many_pixels(width, height)


def _too_many_pixels(width=None, height=None) -> ValidationError:
    limit = settings.IMAGE_UPLOAD_MAX_PIXELS / 1_000_000
    if width is None:
        return ValidationError(
            "This picture has far too many pixels; pictures may have at most %(limit)g million.",
            code="too_many_pixels",
            params={"limit": limit},
        )
    return ValidationError(
        "This picture is %(width)s × %(height)s pixels; pictures may have at most %(limit)g "
        "million pixels. Scale it down and upload it again.",
        code="too_many_pixels",
        params={"width": width, "height": height, "limit": limit},
    )
