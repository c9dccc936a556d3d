"""Real-browser checks: Chromium driven by Playwright against the live test server.

Database work happens outside `open_browser()`: inside it Playwright's event loop runs, and
Django would give those queries a connection of their own that is never closed.
"""

from contextlib import contextmanager
from pathlib import Path

import pytest

from articles.models import Article

from .factories import AuthorFactory, SectionFactory

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
def open_browser(**page_options):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000}, **page_options)
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
    AuthorFactory(name="Ana Ruiz")

    with open_browser() as page:
        log_in(page, live_server, *EDITOR)
        page.goto(f"{live_server.url}/admin/articles/article/add/")
        page.locator("#id_headline").press_sequentially("Night buses run for the first time")
        assert page.input_value("#id_slug") == "night-buses-run-for-the-first-time"
        page.select_option("#id_section", label="World")
        editor = page.frame_locator("iframe.cke_wysiwyg_frame").locator("body")
        editor.click()
        editor.press_sequentially("Drivers cheered as the first night bus left the depot.")
        page.locator("#bylines-0 .select2-selection").click()
        page.locator(".select2-dropdown .select2-search__field").fill("Ana")
        page.locator(".select2-results__option", has_text="Ana Ruiz").click()
        page.select_option("#id_status", "published")
        page.check("#id_publish_anyway")  # no standfirst, no lead picture: the checklist's advisory items
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
    assert [author.name for author in article.authors.all()] == ["Ana Ruiz"]


def test_second_editor_sees_the_conflict_side_by_side_in_chromium(live_server, django_user_model):
    from .factories import ArticleFactory, staff_user

    article = ArticleFactory(headline="Harbour delay", body="<p>The dredging starts in May.</p>")
    for name in ["alice", "bob"]:
        user = staff_user("Editor", name)
        user.set_password(EDITOR[1])
        user.save()
    change_url = f"{live_server.url}/admin/articles/article/{article.pk}/change/"

    with open_browser() as alice:
        bob = alice.context.browser.new_page(viewport={"width": 1280, "height": 1000})
        log_in(alice, live_server, "alice", EDITOR[1])
        log_in(bob, live_server, "bob", EDITOR[1])
        alice.goto(change_url)
        bob.goto(change_url)
        bob.reload()  # Bob now sees that Alice has the story open.
        presence = bob.locator("#presence").inner_text()

        alice.fill("#id_headline", "Harbour delay: dredging moves to June")
        alice.click("input[name=_continue]")
        alice.wait_for_selector(".messagelist .success")

        bob.fill("#id_headline", "Harbour delay hits shipping lines")
        bob.click("input[name=_continue]")
        bob.wait_for_selector(".conflict")
        conflict = bob.locator(".conflict").inner_text()
        errors = bob.locator(".errornote, .errorlist").all_inner_texts()
        kept = bob.input_value("#id_headline")
        bob.screenshot(path=ARTIFACTS / "admin-conflict.png", full_page=False)

    assert "Also open by: alice" in presence
    assert "Changed by alice at" in conflict
    assert "Harbour delay: dredging moves to June" in conflict
    assert any("since you opened it" in text for text in errors)
    assert kept == "Harbour delay hits shipping lines"
    article.refresh_from_db()
    assert article.headline == "Harbour delay: dredging moves to June"
