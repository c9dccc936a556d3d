"""CKEditor keeps working under the admin's Content-Security-Policy, and the public page breaks no rule."""

import pytest

from articles.models import Article

from .factories import ArticleFactory, SectionFactory
from .test_browser import ARTIFACTS, EDITOR, log_in, open_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def csp_violations(page):
    found = []
    page.on("console", lambda message: "Content Security Policy" in message.text and found.append(message.text))
    return found


def test_ckeditor_types_saves_and_opens_the_image_dialog_under_the_admin_policy(live_server, django_user_model):
    django_user_model.objects.create_superuser(EDITOR[0], "editor@example.org", EDITOR[1])
    SectionFactory(name="World", slug="world")

    with open_browser() as page:
        violations = csp_violations(page)
        log_in(page, live_server, *EDITOR)
        response = page.goto(f"{live_server.url}/admin/articles/article/add/")
        policy = response.headers["content-security-policy"]
        page.fill("#id_headline", "Ferry strike ends")
        page.select_option("#id_section", label="World")
        editor = page.frame_locator("iframe.cke_wysiwyg_frame").locator("body")
        editor.click()
        editor.press_sequentially("Crews returned at dawn.")
        page.click("a.cke_button__image")
        page.wait_for_selector(".cke_dialog_title:has-text('Image Properties')")
        page.click("a.cke_dialog_tab:has-text('Upload')")
        page.wait_for_selector("iframe.cke_dialog_ui_input_file")
        page.screenshot(path=ARTIFACTS / "admin-image-dialog-under-csp.png")
        page.click("a.cke_dialog_ui_button_cancel")
        page.click("input[name=_continue]")
        page.wait_for_selector(".messagelist .success")

    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert violations == []
    assert Article.objects.get().body == "<p>Crews returned at dawn.</p>"


def test_public_story_page_breaks_no_rule_of_the_public_policy(live_server):
    article = ArticleFactory(body='<p>Plain copy with a <a href="https://example.org/">link</a>.</p>')

    with open_browser() as page:
        violations = csp_violations(page)
        response = page.goto(f"{live_server.url}{article.get_absolute_url()}")
        page.wait_for_selector("h1.story__headline")
        policy = response.headers["content-security-policy"]

    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert violations == []
