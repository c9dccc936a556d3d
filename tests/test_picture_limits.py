"""Pictures inside the stated limits are taken whatever their shape; a failed save leaves no file behind; a body
over the request limit gets a readable page. The numbers agree: pictures 25 MB, requests 26 MB (Django and nginx)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PillowImage

from images import renditions as renditions_module
from images.models import Image
from images.renditions import SHAPES, renditions
from images.validation import MAX_UPLOAD_BYTES

from .factories import staff_user
from .test_images import ckeditor_post, picture, stored_files
from .test_settings import ROOT
from .test_workflow import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    """Editors put pictures into stories through CKEditor's upload (the library's admin pages are the Admin role's)."""
    return client_for(staff_user("Editor"))


def test_editor_uploads_a_tall_picture_into_a_story_and_every_rendition_is_made_within_webps_limit(editor, media_root):
    response = ckeditor_post(editor, picture("PNG", (500, 17_000)))

    assert response.json()["uploaded"] == 1
    image = Image.objects.get()
    for shape in SHAPES:
        for rendition in renditions(image, shape):
            assert rendition.height <= 16_383  # the most WebP holds
            with PillowImage.open(Path(media_root) / rendition.name) as made:
                assert made.size == (rendition.width, rendition.height)


def test_a_picture_too_narrow_for_any_rendition_is_refused_with_a_message_and_nothing_stored(editor, media_root):
    response = ckeditor_post(editor, picture("PNG", (1, 20_000)))

    assert response.json()["uploaded"] == 0
    assert "too narrow for its height" in response.json()["error"]["message"]
    assert not Image.objects.exists()
    assert stored_files(media_root) == []


def test_a_picture_whose_renditions_fail_leaves_no_row_and_no_file(media_root, monkeypatch):
    encode = renditions_module.encode
    calls = []

    def encode_then_fail(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:  # two renditions already written
            raise OSError("disk full")
        return encode(*args, **kwargs)

    monkeypatch.setattr(renditions_module, "encode", encode_then_fail)

    with pytest.raises(OSError):
        Image(file=SimpleUploadedFile("quay.jpg", picture("JPEG"))).save()

    assert not Image.objects.exists()
    assert stored_files(media_root) == []


def test_a_21_mb_upload_under_the_25_mb_picture_limit_is_read_and_checked(editor, media_root):
    response = ckeditor_post(editor, b"\xff\xd8" + b"\0" * (21 * 2**20))

    assert response.status_code == 200  # read and checked, not refused unread
    assert "not a complete JPEG, PNG, WebP or GIF picture" in response.json()["error"]["message"]


def test_a_body_over_the_request_limit_gets_a_readable_page_saying_the_limit(editor):
    response = editor.post(
        reverse("ckeditor_upload"),
        data=b"x",
        content_type="application/octet-stream",
        CONTENT_LENGTH=str(settings.MAX_REQUEST_BYTES + 1),
    )

    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "<h1>Too large to upload</h1>" in html
    assert "at most 26 MB" in html and "up to 25 MB" in html
    assert "style-src 'self' 'unsafe-inline'" in response["Content-Security-Policy"]  # the page's own style


def test_request_limit_sits_above_the_picture_limit_in_django_and_in_nginx():
    nginx = re.search(r"client_max_body_size (\d+)m;", (ROOT / "deploy" / "nginx.conf").read_text())

    assert MAX_UPLOAD_BYTES == 25 * 2**20
    assert settings.MAX_REQUEST_BYTES == 26 * 2**20
    assert int(nginx.group(1)) * 2**20 == settings.MAX_REQUEST_BYTES
