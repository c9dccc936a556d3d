"""The one gate every uploaded picture passes: admin library, lead image popup and CKEditor uploads.

A file is accepted only when Pillow decodes it completely as JPEG, PNG, WebP or GIF. What is stored is
not the upload but Pillow's re-encoding of the decoded pixels, the right way up and without metadata:
nothing smuggled after or beside the picture (a script in a polyglot, EXIF GPS, XMP) survives.
"""

import io
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from PIL import Image as PillowImage
from PIL import ImageOps, ImageSequence

from .renditions import WEBP_MAX_SIDE

MAX_UPLOAD_BYTES = 25 * 1024 * 1024
# 50 megapixels covers every press camera; a decoded frame of that size needs about 200 MB.
MAX_PIXELS = 50_000_000
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
# Metadata worth keeping: colour and animation, never who, where or with what camera.
KEPT_INFO = {"icc_profile", "transparency", "duration", "loop", "background"}


def clean_upload(upload):
    """Return the upload re-encoded as a ContentFile named by its true format, or raise ValidationError."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"This file is {filesizeformat(upload.size)}; the limit is {filesizeformat(MAX_UPLOAD_BYTES)}.",
            code="too_large",
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PillowImage.DecompressionBombWarning)
            picture = PillowImage.open(upload, formats=list(FORMATS))
            check_pixels(picture.width, picture.height, getattr(picture, "n_frames", 1))
            if picture.format == "GIF":
                frames = [frame.copy() for frame in ImageSequence.Iterator(picture)]
            else:
                picture.load()  # decodes every byte: a damaged or cut-short file fails here
                frames = [picture]
    except ValidationError:
        raise
    except (PillowImage.DecompressionBombError, PillowImage.DecompressionBombWarning) as exc:
        raise ValidationError(too_many_pixels_message(), code="too_many_pixels") from exc
    except Exception as exc:  # Pillow raises many types for broken files: all mean "not a picture we take".
        raise ValidationError(
            "This file is not a complete JPEG, PNG, WebP or GIF picture (it may be another kind of file, "
            "such as SVG or HTML, or damaged or cut short).",
            code="not_a_picture",
        ) from exc
    return ContentFile(reencode(picture.format, picture.info, frames), name=f"upload.{FORMATS[picture.format]}")


def check_pixels(width, height, frames=1):
    if width * height * frames > MAX_PIXELS:
        raise ValidationError(too_many_pixels_message(width, height), code="too_many_pixels")
    if height > width * WEBP_MAX_SIDE:
        # Even a rendition one pixel wide would be taller than WebP allows.
        raise ValidationError(
            f"This picture is {width:,} × {height:,} pixels: too narrow for its height to be shown. "
            "Crop it and try again.",
            code="too_narrow",
        )


def too_many_pixels_message(width=None, height=None):
    size = f"is {width:,} × {height:,} pixels" if width else "has far too many pixels"
    return f"This picture {size}; the limit is {MAX_PIXELS // 1_000_000} megapixels. Resize it and try again."


def reencode(format, info, frames):
    kept = {key: value for key, value in info.items() if key in KEPT_INFO}
    for frame in frames:
        ImageOps.exif_transpose(frame, in_place=True)
        frame.info = dict(kept)
    out = io.BytesIO()
    first, rest = frames[0], frames[1:]
    if format == "JPEG":
        first.save(out, "JPEG", quality=90, optimize=True, icc_profile=kept.get("icc_profile"))
    elif format == "GIF":
        first.save(out, "GIF", save_all=bool(rest), append_images=rest, **kept)
    else:
        first.save(out, format, **({"quality": 90} if format == "WEBP" else {}), **kept)
    return out.getvalue()
