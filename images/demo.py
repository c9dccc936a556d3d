"""Pictures for the demo newsroom, drawn with Pillow (nothing is downloaded), each on a demo story."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PillowImage
from PIL import ImageDraw

from .forms import ImageForm

CREDIT = "Demo illustration / The Newsroom"
# story slug, alt text, caption, sky (top, bottom), sun (x, y, colour), ground colour, shapes (x0, y0, x1, y1, colour)
PHOTOS = [
    (
        "city-council-approves-overnight-bus-network-after-two-year-trial",
        "A lit double-decker bus at a stop on an empty street at night",
        "The first overnight bus leaves the Market Square stop.",
        ("#0b1026", "#2b3a67"),
        (1450, 220, "#f4f1c9"),
        "#22252b",
        [(300, 600, 1300, 980, "#c0392b"), (360, 660, 1240, 760, "#ffe08a"), (360, 800, 1240, 900, "#ffe08a")],
    ),
    (
        "harbour-authority-delays-port-expansion-over-seabed-survey",
        "Container cranes above the harbour water at sunrise",
        "Cranes at Riverport's container terminal, where the expansion was planned.",
        ("#f6b26b", "#fde9c9"),
        (400, 520, "#ff7043"),
        "#2f5d7c",
        [(1000, 250, 1060, 800, "#37474f"), (900, 250, 1500, 300, "#37474f"), (1300, 450, 1360, 800, "#37474f")],
    ),
    (
        "researchers-map-the-rivers-returning-otters-from-their-footprints",
        "A river bank with reeds and a line of small footprints in the mud",
        "Otter tracks in the mud below the weir, where the survey began.",
        ("#9fc5e8", "#e3f2fd"),
        (1500, 180, "#fff59d"),
        "#6d4c41",
        [(0, 760, 1800, 880, "#4a90b8")] + [(200 + 160 * n, 980, 240 + 160 * n, 1020, "#3e2723") for n in range(9)],
    ),
    (
        "flood-defences-hold-as-the-elde-reaches-its-highest-level-in-a-decade",
        "Brown flood water right up to the top of a grey flood wall",
        "The Elde against the new flood wall at the Old Bridge on Tuesday.",
        ("#78909c", "#cfd8dc"),
        (300, 200, "#eceff1"),
        "#795548",
        [(0, 640, 1800, 700, "#9e9e9e"), (0, 700, 1800, 1200, "#8d6e63")],
    ),
]


def draw(sky, sun, ground, shapes, size=(1800, 1200)):
    width, height = size
    picture = PillowImage.new("RGB", size)
    canvas = ImageDraw.Draw(picture)
    top, bottom = PillowImage.new("RGB", (1, 1), sky[0]), PillowImage.new("RGB", (1, 1), sky[1])
    for y in range(height * 2 // 3):
        canvas.line([(0, y), (width, y)], fill=PillowImage.blend(top, bottom, y / (height * 2 / 3)).getpixel((0, 0)))
    x, y, colour = sun
    canvas.ellipse([x - 90, y - 90, x + 90, y + 90], fill=colour)
    canvas.rectangle([0, height * 2 // 3, width, height], fill=ground)
    for x0, y0, x1, y1, colour in shapes:
        canvas.rectangle([x0, y0, x1, y1], fill=colour)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=88)
    return out.getvalue()


def load_demo_photos():
    """Give the demo stories their lead pictures; a story that has one is left alone. Returns how many were added."""
    from articles.models import Article

    added = 0
    for slug, alt_text, caption, sky, sun, ground, shapes in PHOTOS:
        article = Article.objects.filter(slug=slug, lead_image__isnull=True).first()
        if article is None:
            continue
        upload = SimpleUploadedFile(f"{slug}.jpg", draw(sky, sun, ground, shapes), content_type="image/jpeg")
        form = ImageForm(
            {"alt_text": alt_text, "caption": caption, "credit": CREDIT, "source": "Drawn by load_demo"},
            {"file": upload},
        )
        article.lead_image = form.save()
        article.save(update_fields=["lead_image"])
        added += 1
    return added
