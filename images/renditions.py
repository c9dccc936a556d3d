"""Renditions: each library picture resized to a few widths, in WebP and a JPEG fallback.

They are made once, when the picture is saved, under names that follow from the picture and the shape
(and from the focal point when cropping), so a page only computes URLs and never touches storage.
"""

import io
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image as PillowImage


@dataclass(frozen=True)
class Shape:
    """How a picture is shown somewhere: the widths made and, for a fixed frame, its ratio."""

    widths: tuple
    ratio: tuple | None = None
    formats: tuple = ("webp", "jpeg")


SHAPES = {
    # The article page's lead picture, uncropped.
    "lead": Shape(widths=(480, 960, 1600)),
    # Story cards in listings: a 3:2 crop around the focal point.
    "card": Shape(widths=(480, 960), ratio=(3, 2)),
    # og:image and JSON-LD: the size social networks ask for, JPEG only for the widest support.
    "share": Shape(widths=(1200,), ratio=(1200, 630), formats=("jpeg",)),
}
# The plain <img src> for browsers without srcset, and the picture CKEditor puts into a story's body.
FALLBACK_WIDTH = 960
CONTENT_TYPES = {"webp": "image/webp", "jpeg": "image/jpeg"}
# WebP holds at most this many pixels a side: a very tall picture's renditions are made narrower to fit.
WEBP_MAX_SIDE = 16_383
EXTENSIONS = {"webp": "webp", "jpeg": "jpg"}


@dataclass(frozen=True)
class Rendition:
    name: str
    width: int
    height: int
    format: str

    @property
    def url(self):
        return default_storage.url(self.name)


def crop_box(width, height, ratio, focal):
    """The largest box of `ratio` inside width x height, centred on the focal point as far as it can be."""
    if ratio is None:
        return (0, 0, width, height)
    box_w = min(width, round(height * ratio[0] / ratio[1]))
    box_h = min(height, round(box_w * ratio[1] / ratio[0]))
    fx, fy = focal
    left = min(max(round(width * fx - box_w / 2), 0), width - box_w)
    top = min(max(round(height * fy - box_h / 2), 0), height - box_h)
    return (left, top, left + box_w, top + box_h)


def renditions(image, shape_name):
    """The renditions of `image` for a shape, narrowest first, per format. Pure arithmetic: no I/O."""
    shape = SHAPES[shape_name]
    focal = image.focal_point
    left, top, right, bottom = crop_box(image.width, image.height, shape.ratio, focal)
    box_w, box_h = right - left, bottom - top
    widest = max(1, box_w * WEBP_MAX_SIDE // box_h)
    widths = sorted({min(width, box_w, widest) for width in shape.widths})
    stem = PurePosixPath(image.file.name).stem
    crop = f"-c{left}x{top}x{box_w}x{box_h}" if shape.ratio else ""
    result = []
    for format in shape.formats:
        for width in widths:
            height = max(1, round(width * box_h / box_w))
            name = f"renditions/{stem}/{width}x{height}{crop}.{EXTENSIONS[format]}"
            result.append(Rendition(name, width, height, format))
    return result


def make_renditions(image):
    """Write every rendition of `image` that storage does not hold yet."""
    missing = [
        (shape_name, rendition)
        for shape_name in SHAPES
        for rendition in renditions(image, shape_name)
        if not default_storage.exists(rendition.name)
    ]
    if not missing:
        return
    with image.file.open("rb") as source, PillowImage.open(source) as picture:
        # JPEG can decode straight at 1/2, 1/4 or 1/8 scale: ask for no less than every shape needs.
        picture.draft("RGB", (max(SHAPES["lead"].widths),) * 2)
        picture.load()
        for shape_name, rendition in missing:
            box = crop_box(picture.width, picture.height, SHAPES[shape_name].ratio, image.focal_point)
            content = encode(picture.crop(box), rendition, picture.info.get("icc_profile"))
            default_storage.save(rendition.name, ContentFile(content))


def delete_renditions(original_name):
    """Remove every rendition ever made of a picture, whatever focal point it was cropped for."""
    folder = f"renditions/{PurePosixPath(original_name).stem}"
    try:
        names = default_storage.listdir(folder)[1]
    except FileNotFoundError:
        return
    for name in names:
        default_storage.delete(f"{folder}/{name}")


def encode(picture, rendition, icc_profile=None):
    # The crop already has the rendition's ratio; reducing_gap shrinks in two steps, much faster, same look.
    size = (rendition.width, rendition.height)
    resized = picture.resize(size, PillowImage.Resampling.LANCZOS, reducing_gap=3.0)
    out = io.BytesIO()
    if rendition.format == "jpeg":
        if resized.mode != "RGB":
            resized = flatten(resized)
        resized.save(out, "JPEG", quality=82, optimize=True, progressive=True, icc_profile=icc_profile)
    else:
        if resized.mode not in {"RGB", "RGBA"}:
            resized = resized.convert("RGBA")
        resized.save(out, "WEBP", quality=80, method=4, icc_profile=icc_profile)
    return out.getvalue()


def flatten(picture):
    """JPEG has no transparency: lay the picture on white."""
    rgba = picture.convert("RGBA")
    background = PillowImage.new("RGB", rgba.size, "white")
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background
