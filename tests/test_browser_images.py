"""An editor puts a picture into a story's body through CKEditor's image dialog, in Chromium."""

import io
import re

import pytest
from PIL import Image as PillowImage

from articles.models import Article
from images.models import Image

from .factories import AuthorFactory, SectionFactory
from .test_browser import ARTIFACTS, EDITOR, log_in, open_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_uploads_a_picture_through_ckeditors_image_dialog(live_server, django_user_model, settings, tmp_path):
    settings.SERVE_MEDIA = True
    django_user_model.objects.create_superuser(EDITOR[0], "editor@example.org", EDITOR[1])
    SectionFactory(name="World", slug="world")
    AuthorFactory(name="Ana Ruiz")
    photo = tmp_path / "IMG_0042.jpg"
    buffer = io.BytesIO()
    PillowImage.new("RGB", (1600, 1000), "darkgreen").save(buffer, "JPEG")
    photo.write_bytes(buffer.getvalue())
    fake = tmp_path / "logo.jpg"
    fake.write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    alerts = []

    with open_browser() as page:
        log_in(page, live_server, *EDITOR)
        page.goto(f"{live_server.url}/admin/articles/article/add/")
        page.fill("#id_headline", "Floods reach the old town")
        page.select_option("#id_section", label="World")
        page.frame_locator("iframe.cke_wysiwyg_frame").locator("body").click()
        page.click("a.cke_button__image")
        dialog = page.locator(".cke_dialog")
        dialog.locator("a.cke_dialog_tab", has_text="Upload").click()
        file_input = dialog.frame_locator("iframe.cke_dialog_ui_input_file").locator("input[type=file]")
        page.on("dialog", lambda alert: (alerts.append(alert.message), alert.accept()))
        file_input.set_input_files(fake)
        dialog.locator("a.cke_dialog_ui_fileButton").click()
        for _ in range(150):  # CKEditor shows the server's refusal in an alert, once its request returns
            if alerts:
                break
            page.wait_for_timeout(100)
        file_input.set_input_files(photo)
        dialog.locator("a.cke_dialog_ui_fileButton").click()
        url_field = dialog.locator("input.cke_dialog_ui_input_text").first
        page.wait_for_function(
            "() => document.querySelector('.cke_dialog input.cke_dialog_ui_input_text').value.includes('/media/')"
        )
        dialog.get_by_label("Alternative Text").fill("Water up to the doors of the town hall")
        page.wait_for_function("() => [...document.querySelectorAll('.cke_dialog input')].some(i => i.value === '960')")
        inserted_url = url_field.input_value()
        page.screenshot(path=ARTIFACTS / "ckeditor-image-dialog.png")
        dialog.locator("a.cke_dialog_ui_button_ok").click()
        page.locator("#bylines-0 .select2-selection").click()
        page.locator(".select2-dropdown .select2-search__field").fill("Ana")
        page.locator(".select2-results__option", has_text="Ana Ruiz").click()
        page.select_option("#id_status", "published")
        page.check("#id_publish_anyway")  # no standfirst, no lead picture: the checklist's advisory items
        page.click("input[name=_continue]")
        page.wait_for_selector(".messagelist .success")

        page.click("a.viewsitelink")
        page.wait_for_selector(".story__body img")
        natural_width = page.eval_on_selector(".story__body img", "img => img.complete && img.naturalWidth")
        page.screenshot(path=ARTIFACTS / "public-article-with-body-picture.png", full_page=True)

    assert len(alerts) == 1 and "not a complete JPEG, PNG, WebP or GIF picture" in alerts[0]
    image = Image.objects.get()
    assert inserted_url == image.body_url
    assert re.fullmatch(r"/media/renditions/[0-9a-f]{32}/960x600\.jpg", inserted_url)
    body = Article.objects.get().body
    assert f'src="{inserted_url}"' in body
    assert 'alt="Water up to the doors of the town hall"' in body
    assert 'width="960"' in body and 'height="600"' in body
    assert natural_width == 960
