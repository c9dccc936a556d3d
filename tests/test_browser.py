"""Real-browser checks: Chromium driven by Playwright against the live test server.

Database work happens outside `open_browser()`: inside it Playwright's event loop runs, and
Django would give those queries a connection of their own that is never closed.
"""

from contextlib import contextmanager
from pathlib import Path

import pytest

from articles.models import Article

from .factories import SectionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
EDITOR = ("editor", "a-long-test-password")


@contextmanager
def open_browser():
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.set_default_timeout(15_000)
        try:
            yield page
        finally:
            browser.close()


def log_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")


def test_editor_writes_a_story_in_ckeditor_and_readers_see_it(live_server, django_user_model):
    django_user_model.objects.create_superuser(EDITOR[0], "editor@example.org", EDITOR[1])
    SectionFactory(name="World", slug="world")

    with open_browser() as page:
        log_in(page, live_server, *EDITOR)
        page.goto(f"{live_server.url}/admin/articles/article/add/")
        page.locator("#id_headline").press_sequentially("Night buses run for the first time")
        assert page.input_value("#id_slug") == "night-buses-run-for-the-first-time"
        page.select_option("#id_section", label="World")
        editor = page.frame_locator("iframe.cke_wysiwyg_frame").locator("body")
        editor.click()
        editor.press_sequentially("Drivers cheered as the first night bus left the depot.")
        page.select_option("#id_status", "published")
        page.screenshot(path=ARTIFACTS / "admin-article-form.png", full_page=True)
        page.click("input[name=_continue]")
        page.wait_for_selector(".messagelist .success")

        page.click("a.viewsitelink")
        page.wait_for_selector("h1.story__headline")
        headline = page.locator("h1").inner_text()
        body = page.locator(".story__body").inner_text()
        page.screenshot(path=ARTIFACTS / "public-article.png", full_page=True)

    assert headline == "Night buses run for the first time"
    assert "Drivers cheered as the first night bus left the depot." in body
    article = Article.objects.get()
    assert article.is_published()
    assert article.body == "<p>Drivers cheered as the first night bus left the depot.</p>"
