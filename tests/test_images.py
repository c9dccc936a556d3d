import io
import os
import re
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image as PillowImage

from articles.models import Article
from images import validation
from images.models import Image
from images.renditions import SHAPES, crop_box, renditions

from .factories import ArticleFactory, AuthorFactory, ImageFactory, SectionFactory
from .test_admin import article_form
from .test_query_budgets import budget
from .test_settings import ROOT

pytestmark = pytest.mark.django_db

GENERATED_NAME = re.compile(r"^images/\d{4}/\d{2}/[0-9a-f]{32}\.(jpg|png|webp|gif)$")


def picture(format, size=(1200, 800), color="orange", mode="RGB", **save):
    buffer = io.BytesIO()
    PillowImage.new(mode, size, color).save(buffer, format, **save)
    return buffer.getvalue()


def png_bomb(width=20_000, height=20_000):
    """A valid PNG header for width x height one-bit pixels, all zeros: a few kilobytes that decode to 50 MB."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + width // 8)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def stored_files(media_root):
    return sorted(path for path in Path(media_root).rglob("*") if path.is_file())


def add_to_library(client, name, content, **fields):
    data = {"file": SimpleUploadedFile(name, content), "alt_text": "A test picture", "caption": "", "credit": ""}
    return client.post(reverse("admin:images_image_add"), {**data, **fields})


@pytest.mark.parametrize(
    ("name", "content", "extension", "size"),
    [
        ("harbour.jpg", picture("JPEG", (1800, 1200)), "jpg", (1800, 1200)),
        ("chart.png", picture("PNG", (700, 500), mode="RGBA", color=(0, 80, 160, 128)), "png", (700, 500)),
        ("quay.webp", picture("WEBP", (1000, 600)), "webp", (1000, 600)),
    ],
)
def test_editor_uploads_a_picture_to_the_library_and_every_rendition_is_made(
    admin_client, admin_user, media_root, name, content, extension, size
):
    response = add_to_library(admin_client, name, content, caption="Quay", credit="Jonas Berg")

    assert response.status_code == 302
    image = Image.objects.get()
    assert GENERATED_NAME.match(image.file.name) and image.file.name.endswith(f".{extension}")
    assert (image.width, image.height) == size
    assert image.uploaded_by == admin_user
    for shape in SHAPES:
        for rendition in renditions(image, shape):
            with PillowImage.open(Path(media_root) / rendition.name) as made:
                assert made.format == rendition.format.upper()
                assert made.size == (rendition.width, rendition.height)
    widths = [r.width for r in renditions(image, "lead") if r.format == "webp"]
    assert widths == [width for width in (480, 960, 1600) if width <= size[0]] + ([size[0]] if size[0] < 1600 else [])


@pytest.mark.parametrize("format", ["JPEG", "PNG", "WEBP"])
def test_stored_picture_is_upright_and_carries_no_exif_location(admin_client, media_root, format):
    exif = PillowImage.Exif()
    exif[0x0112] = 6  # orientation: the camera was turned, the picture must be rotated 90° to stand up
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 17.0)}  # GPS
    exif[0x010F] = "CameraMaker"
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">PhotographerHome</x:xmpmeta>'

    add_to_library(admin_client, "phone.img", picture(format, (900, 600), exif=exif.tobytes(), xmp=xmp))

    image = Image.objects.get()
    assert (image.width, image.height) == (600, 900)
    stored = (Path(media_root) / image.file.name).read_bytes()
    with PillowImage.open(io.BytesIO(stored)) as picture_file:
        assert picture_file.size == (600, 900)
        assert not picture_file.getexif()
    assert b"CameraMaker" not in stored and b"PhotographerHome" not in stored


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>',
            "not a complete JPEG, PNG, WebP or GIF picture",
        ),
        ("photo.jpg", b"<!doctype html><html><script>alert(1)</script></html>", "not a complete JPEG"),
        ("cut.jpg", picture("JPEG", (1200, 800), color=None, mode="RGB")[:3000], "cut short"),
        ("bomb.png", png_bomb(), "the limit is 50 megapixels"),
    ],
    ids=["svg-with-script", "html-named-jpg", "truncated-jpeg", "png-bomb-20000x20000"],
)
def test_library_refuses_what_is_not_a_safe_picture_with_a_form_error_and_stores_nothing(
    admin_client, media_root, name, content, message
):
    response = add_to_library(admin_client, name, content)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="errorlist' in html and message in html
    assert Image.objects.count() == 0
    assert stored_files(media_root) == []


def test_library_refuses_a_file_over_the_size_limit(admin_client, media_root, monkeypatch):
    monkeypatch.setattr(validation, "MAX_UPLOAD_BYTES", 10_000)

    response = add_to_library(
        admin_client, "big.png", picture("PNG", (400, 400), color=None, mode="RGB") + b"0" * 10_000
    )

    assert "the limit is 9.8\xa0KB" in response.content.decode()
    assert Image.objects.count() == 0 and stored_files(media_root) == []


def test_a_picture_with_a_script_appended_is_stored_without_it(admin_client, media_root):
    polyglot = picture("GIF", (60, 40)) + b"<script>alert(1)</script>"

    add_to_library(admin_client, "anim.gif", polyglot)

    image = Image.objects.get()
    assert image.file.name.endswith(".gif")
    assert b"<script>" not in (Path(media_root) / image.file.name).read_bytes()


def test_crop_keeps_the_focal_point_in_frame():
    assert crop_box(1000, 500, (1, 1), (0.9, 0.5)) == (500, 0, 1000, 500)
    assert crop_box(1000, 500, (1, 1), (0.1, 0.5)) == (0, 0, 500, 500)
    assert crop_box(1000, 500, (1, 1), (0.5, 0.5)) == (250, 0, 750, 500)
    assert crop_box(1000, 500, None, (0.9, 0.5)) == (0, 0, 1000, 500)


def test_card_thumbnail_is_cropped_around_the_focal_point(admin_client, media_root):
    split = PillowImage.new("RGB", (2400, 800), "red")
    split.paste(PillowImage.new("RGB", (1200, 800), "blue"), (1200, 0))
    buffer = io.BytesIO()
    split.save(buffer, "PNG")

    add_to_library(admin_client, "split.png", buffer.getvalue(), focal_x="95", focal_y="50")

    card = renditions(Image.objects.get(), "card")[0]
    with PillowImage.open(Path(media_root) / card.name) as made:
        red, green, blue = made.convert("RGB").resize((1, 1)).getpixel((0, 0))
    assert blue > 200 and red < 40


def ckeditor_post(client, content, token="tok", query="responseType=json"):
    """What CKEditor's image dialog sends: the file as `upload` and its double-submit token."""
    client.cookies["ckCsrfToken"] = token
    data = {"ckCsrfToken": "tok"}
    if content is not None:
        data["upload"] = SimpleUploadedFile("photo.jpg", content)
    return client.post(f"{reverse('ckeditor_upload')}?{query}", data)


def test_ckeditor_upload_goes_into_the_library_and_answers_with_a_rendition_url(admin_client, admin_user, media_root):
    response = ckeditor_post(admin_client, picture("JPEG", (1800, 1200)))

    answer = response.json()
    assert answer["uploaded"] == 1
    image = Image.objects.get()
    assert image.uploaded_by == admin_user
    assert answer["url"] == image.body_url
    assert re.fullmatch(r"/media/renditions/[0-9a-f]{32}/960x640\.jpg", answer["url"])
    assert (Path(media_root) / answer["url"].removeprefix("/media/")).is_file()


@pytest.mark.parametrize(
    "content",
    [b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", png_bomb(), None],
    ids=["svg", "png-bomb", "no-file"],
)
def test_ckeditor_upload_refuses_bad_files_with_a_message_and_stores_nothing(admin_client, media_root, content):
    response = ckeditor_post(admin_client, content)

    assert response.status_code == 200
    assert response.json()["uploaded"] == 0 and response.json()["error"]["message"]
    assert Image.objects.count() == 0 and stored_files(media_root) == []


def test_ckeditor_form_upload_answers_with_a_script_for_the_dialog(admin_client):
    response = ckeditor_post(admin_client, b"not a picture", query="CKEditorFuncNum=3")

    assert "window.parent.CKEDITOR.tools.callFunction(3, ''" in response.content.decode()
    assert "not a complete JPEG" in response.content.decode()


def test_ckeditor_upload_without_its_token_is_refused(admin_client):
    response = ckeditor_post(admin_client, picture("JPEG"), token="other")

    assert response.json()["uploaded"] == 0
    assert Image.objects.count() == 0


def test_reader_cannot_upload_pictures_anywhere(client, django_user_model, media_root):
    django_user_model.objects.create_user("reader", password="x")
    client.login(username="reader", password="x")

    ckeditor = ckeditor_post(client, picture("JPEG"))
    library = add_to_library(client, "photo.jpg", picture("JPEG"))

    assert ckeditor.status_code == 302 and "/admin/login/" in ckeditor["Location"]
    assert library.status_code == 302 and "/admin/login/" in library["Location"]
    assert client.get(reverse("ckeditor_browse")).status_code == 302
    assert Image.objects.count() == 0 and stored_files(media_root) == []


def test_ckeditor_browse_lists_the_library_for_staff(admin_client):
    image = ImageFactory(caption="Lock gates at dawn")

    html = admin_client.get(reverse("ckeditor_browse")).content.decode()

    assert image.body_url in html and "Lock gates at dawn" in html


def test_article_page_shows_the_lead_picture_as_a_figure_and_shares_a_rendition_that_answers(client, settings):
    settings.SERVE_MEDIA = True
    image = ImageFactory()
    article = ArticleFactory(lead_image=image)

    html = client.get(article.get_absolute_url()).content.decode()

    figure = re.search(r"<figure class=\"story__figure\">.*?</figure>", html, re.DOTALL).group(0)
    assert 'srcset="' in figure and "480w" in figure and "1600w" in figure
    assert 'type="image/webp"' in figure
    assert 'alt="Ferry passengers on the quay at dusk"' in figure
    assert 'width="960" height="600"' in figure
    assert "The last ferry leaves Riverport." in figure and "Jonas Berg / The Newsroom" in figure
    assert "loading=" not in figure
    share = re.search(r'<meta property="og:image" content="([^"]+)">', html).group(1)
    assert share == f"{settings.SITE_URL}{image.share_rendition.url}"
    response = client.get(share.removeprefix(settings.SITE_URL))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    with PillowImage.open(io.BytesIO(b"".join(response.streaming_content))) as shared:
        assert shared.size == (1200, 630)


def test_article_page_query_count_stays_the_same_with_a_lead_picture(client, django_assert_max_num_queries):
    article = ArticleFactory(lead_image=ImageFactory())
    Article.objects.refresh_related_stories()  # as publishing does after its transaction

    with django_assert_max_num_queries(budget("article")):
        assert client.get(article.get_absolute_url()).status_code == 200


def test_listings_show_lazy_cropped_thumbnails(client):
    section = SectionFactory()
    ArticleFactory(section=section, lead_image=ImageFactory())
    ArticleFactory(section=section)

    html = client.get(section.get_absolute_url()).content.decode()

    assert html.count('class="card__picture"') == 1
    assert 'width="960" height="640"' in html and "480w" in html and 'loading="lazy"' in html


def test_media_view_serves_only_generated_names_and_only_when_switched_on(client, settings, media_root):
    image = ImageFactory()
    url = image.picture("lead")["src"]

    settings.SERVE_MEDIA = False
    assert client.get(url).status_code == 404
    settings.SERVE_MEDIA = True
    assert client.get(url).status_code == 200
    (Path(media_root) / "uploads").mkdir()
    (Path(media_root) / "uploads" / "page.html").write_text("<script>alert(1)</script>")
    assert client.get("/media/uploads/page.html").status_code == 404
    assert client.get("/media/../tests/conftest.py").status_code == 404


def test_a_story_cannot_be_published_with_undescribed_pictures(admin_client):
    section, author = SectionFactory(), AuthorFactory()
    blank = ImageFactory(alt_text="")
    data = article_form(section, author, body='<p>Text</p><img src="/media/a.jpg" alt="">', lead_image=blank.pk)

    response = admin_client.post(reverse("admin:articles_article_add"), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "This picture has no alt text" in html and "A picture in the body has no alt text" in html
    data.update(status="draft")
    assert admin_client.post(reverse("admin:articles_article_add"), data).status_code == 302


def test_library_admin_lists_thumbnails_searches_and_filters(admin_client):
    ImageFactory(caption="Harbour cranes", credit="Agency One")
    ImageFactory(caption="Council chamber", alt_text="")
    url = reverse("admin:images_image_changelist")

    html = admin_client.get(url).content.decode()
    assert html.count('width="120" height="80"') == 2 and "Harbour cranes" in html

    searched = admin_client.get(url, {"q": "agency"}).content.decode()
    assert "Harbour cranes" in searched and "Council chamber" not in searched
    undescribed = admin_client.get(url, {"alt_text__isempty": "1"}).content.decode()
    assert "Council chamber" in undescribed and "Harbour cranes" not in undescribed


def test_article_form_offers_the_library_with_an_upload_button(admin_client):
    html = admin_client.get(reverse("admin:articles_article_add")).content.decode()

    assert 'id="id_lead_image"' in html and 'id="add_id_lead_image"' in html


def test_demo_stories_get_their_drawn_pictures_once(media_root):
    call_command("load_demo", "--no-accounts")
    call_command("load_demo", "--no-accounts")

    pictured = Article.objects.exclude(lead_image=None).select_related("lead_image")
    assert pictured.count() == Image.objects.count() == 4
    for article in pictured:
        assert article.lead_image.alt_text and article.lead_image.caption and article.lead_image.credit
        assert (Path(media_root) / article.lead_image.share_rendition.name).is_file()


def test_media_goes_to_s3_compatible_storage_when_a_bucket_is_configured():
    """Settings only: no object store is reachable here, so this checks the wiring and the public URLs."""
    env = {key: value for key, value in os.environ.items() if key != "DEBUG"}
    env.update(
        SECRET_KEY="x",
        AWS_STORAGE_BUCKET_NAME="newsroom-media",
        AWS_S3_ENDPOINT_URL="https://objects.example.org",
        AWS_S3_CUSTOM_DOMAIN="media.example.org",
    )
    code = (
        "from django.core.files.storage import storages; s = storages['default']; "
        "print(type(s).__name__, s.url('a/b.jpg'))"
    )

    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )

    assert result.stdout.split()[-2:] == ["S3Storage", "https://media.example.org/media/a/b.jpg"], result.stderr


def test_lead_picture_uploaded_from_the_story_form_pop_up_comes_back_selected(admin_client):
    """The + beside "Lead image" opens the library form as a pop-up; saving it hands the new picture back."""
    url = f"{reverse('admin:images_image_add')}?_to_field=id&_popup=1"
    data = {"file": SimpleUploadedFile("quay.jpg", picture("JPEG")), "alt_text": "The quay", "_popup": "1"}

    response = admin_client.post(url, {**data, "_to_field": "id", "caption": "", "credit": ""})

    image = Image.objects.get()
    assert response.status_code == 200
    assert f"&quot;value&quot;: &quot;{image.pk}&quot;" in response.content.decode()


def test_animated_gif_keeps_its_frames_and_gets_still_renditions(admin_client, media_root):
    frames = [PillowImage.new("RGB", (300, 200), color) for color in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=200, loop=0)

    add_to_library(admin_client, "loop.gif", buffer.getvalue())

    image = Image.objects.get()
    with PillowImage.open(Path(media_root) / image.file.name) as stored:
        assert stored.format == "GIF" and stored.n_frames == 3
    assert (Path(media_root) / renditions(image, "card")[0].name).is_file()


@pytest.mark.parametrize("format", ["PNG", "WEBP", "GIF"])
def test_cut_short_pictures_of_every_format_are_refused(admin_client, media_root, format):
    whole = picture(format, (600, 400), color=None)

    response = add_to_library(admin_client, f"cut.{format.lower()}", whole[: len(whole) // 2])

    assert "not a complete JPEG, PNG, WebP or GIF picture" in response.content.decode()
    assert Image.objects.count() == 0 and stored_files(media_root) == []


def test_deleting_a_picture_removes_its_files_but_not_one_in_use(
    admin_client, media_root, django_capture_on_commit_callbacks
):
    unused, used = ImageFactory(), ImageFactory()
    ArticleFactory(lead_image=used)
    unused.focal_x = 10
    unused.save()  # a second set of crops under new names

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("admin:images_image_delete", args=[unused.pk]), {"post": "yes"})
        refused = admin_client.post(reverse("admin:images_image_delete", args=[used.pk]), {"post": "yes"})

    assert list(Image.objects.all()) == [used]
    assert "Cannot delete" in refused.content.decode()
    stem = Path(unused.file.name).stem
    assert [path for path in stored_files(media_root) if stem in str(path)] == []
    assert (Path(media_root) / used.file.name).is_file()


@pytest.mark.django_db
def test_bulk_publish_refuses_a_story_with_an_undescribed_picture(admin_client):
    article = ArticleFactory(
        status=Article.Status.DRAFT, published_at=None, lead_image=ImageFactory(alt_text=""), headline="No alt yet"
    )
    data = {"action": "publish", "_selected_action": [article.pk], f"version_{article.pk}": article.version}

    response = admin_client.post(reverse("admin:articles_article_changelist"), data, follow=True)

    assert "Not published: “No alt yet”" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
