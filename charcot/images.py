"""Uploaded images: verified by Pillow, bounded, re-encoded (EXIF/GPS gone), randomly named.

Every upload path (post images, featured images, avatars) goes through `reencode_image`,
so no file a visitor sends is ever served as it was sent.
"""

import io
import uuid
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 24_000_000  # e.g. 6000 x 4000
ALLOWED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


def open_verified_image(upload, *, max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS):
    """Open an upload as a raster image or raise ValidationError with a clear message."""
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            f"That image is too large ({size // 1024} KB); the limit is {max_bytes // 1024 // 1024} MB.",
            code="too_large",
        )
    data = upload.read() if hasattr(upload, "read") else bytes(upload)
    if len(data) > max_bytes:
        raise ValidationError("That image is too large.", code="too_large")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in ALLOWED_FORMATS:
                raise ValidationError("Upload a JPEG, PNG, GIF or WebP image.", code="format")
            width, height = probe.size
            if width * height > max_pixels:
                raise ValidationError(
                    f"That image has too many pixels ({width}×{height}).", code="too_many_pixels"
                )
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as error:  # fmt: skip
        raise ValidationError("That file is not an image we can read.", code="invalid") from error
    return image


def reencode_image(
    image: Image.Image, *, max_side: int | None = None, square: int | None = None
) -> ContentFile:
    """Re-encode to a fresh file (no metadata), optionally bounded or cropped square."""
    image = ImageOps.exif_transpose(image)
    if square:
        image = ImageOps.fit(image, (square, square), Image.Resampling.LANCZOS)
    elif max_side and max(image.size) > max_side:
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    has_alpha = image.mode in ("RGBA", "LA") or "transparency" in image.info
    out = io.BytesIO()
    if has_alpha:
        image.convert("RGBA").save(out, format="PNG", optimize=True)
        extension = "png"
    else:
        image.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
        extension = "jpg"
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")
