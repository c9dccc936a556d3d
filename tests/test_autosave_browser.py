"""Autosave in Chromium: copy kept while typing and on leaving, offered back and restored; Ctrl+S saves."""

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from articles.models import Article, Autosave

from .factories import DraftFactory, SectionFactory, TagFactory, staff_user
from .test_browser import log_in, open_browser
from .test_workflow import form_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


def account(role):
    user = staff_user(role)
    user.set_password(PASSWORD)
    user.save()
    return user


def test_reporter_closes_an_unsaved_new_story_reopens_it_restores_the_text_and_saves_with_ctrl_s(live_server):
    reporter = account("Reporter")
    SectionFactory(name="Transport")

    with open_browser() as page:
        log_in(page, live_server, reporter.username, PASSWORD)
        page.goto(f"{live_server.url}/admin/articles/article/add/")
        kept_address = "autosave=" in page.url
        page.locator("#id_headline").press_sequentially("Ferry strike ends")
        page.select_option("#id_section", label="Transport")
        body = page.frame_locator("iframe.cke_wysiwyg_frame").locator("body")
        body.click()
        body.press_sequentially("Crews return on Monday. Fares stay the same.")
        page.close(run_before_unload=True)  # well within the 15 s: only the closing page sends the copy

        page = page.context.browser.new_page(viewport={"width": 1280, "height": 1000})
        log_in(page, live_server, reporter.username, PASSWORD)
        for _ in range(40):  # the closing page's beacon may still be on its way
            page.goto(f"{live_server.url}/admin/articles/article/add/")
            if "Fares stay the same." in page.locator("#autosave-data").text_content():
                break
            page.wait_for_timeout(250)
        offer = page.locator("#autosave-offer").inner_text()
        page.click("button.autosave__restore")
        body = page.frame_locator("iframe.cke_wysiwyg_frame").locator("body")
        expect(body).to_have_text("Crews return on Monday. Fares stay the same.")  # the editor may still be loading
        restored = body.inner_text()
        headline = page.input_value("#id_headline")
        body.click()
        page.keyboard.press("Control+s")
        page.wait_for_selector(".messagelist .success")
        after_save = page.url

    assert kept_address
    assert "You have unsaved changes from" in offer
    assert "Ferry strike ends" in offer
    assert restored == "Crews return on Monday. Fares stay the same."
    assert headline == "Ferry strike ends"
    story = Article.objects.get()
    assert "/change/" in after_save
    assert (story.headline, story.created_by) == ("Ferry strike ends", reporter)
    assert story.body == "<p>Crews return on Monday. Fares stay the same.</p>"
    assert not Autosave.objects.exists()


def test_editor_typing_is_autosaved_leaving_asks_first_and_cmd_s_saves_without_asking(live_server, monkeypatch):
    monkeypatch.setattr("articles.admin.autosave.QUIET_SECONDS", 1)
    editor = account("Editor")
    story = DraftFactory(headline="Harbour delay")
    dialogs = []

    with open_browser() as page:
        page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
        log_in(page, live_server, editor.username, PASSWORD)
        change_url = f"{live_server.url}/admin/articles/article/{story.pk}/change/"
        page.goto(change_url)
        page.locator("#id_headline").press("End")
        page.locator("#id_headline").press_sequentially(" hits ferries")
        page.wait_for_selector("text=Unsaved changes kept for you at")  # a second after typing, in this test
        kept = page.locator(".autosave__status").inner_text()
        with pytest.raises(PlaywrightError, match="ERR_ABORTED"):  # asked first: dismissed, so the page stays
            page.goto(f"{live_server.url}/admin/")
        stayed = page.url
        page.locator("#id_headline").press("Meta+s")
        page.wait_for_selector(".messagelist .success")
        after_save = page.url

    assert kept.startswith("Unsaved changes kept for you at")
    assert dialogs == ["beforeunload"]
    assert stayed == change_url
    assert after_save == change_url
    story.refresh_from_db()
    assert story.headline == "Harbour delay hits ferries"
    assert not Autosave.objects.exists()


def test_editor_restores_a_copy_typed_before_someone_elses_save_and_meets_the_conflict_screen(live_server):
    editor = account("Editor")
    story = DraftFactory(headline="Harbour delay", body="<p>The dredging starts in May.</p>")
    tag = TagFactory(name="Shipping")
    typed = {name: [str(value)] for name, value in form_data(story, body="<p>The dredging starts in June.</p>").items()}
    typed["tags"] = [str(tag.pk)]
    Autosave.objects.create(user=editor, article=story, base_version=story.version, data=typed)
    story.headline = "Harbour delay: new date"
    story.save()  # someone else's save after the copy was typed

    with open_browser() as page:
        log_in(page, live_server, editor.username, PASSWORD)
        page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
        offer = page.locator("#autosave-offer").inner_text()
        page.click("button.autosave__restore")
        restored_body = page.frame_locator("iframe.cke_wysiwyg_frame").locator("body").inner_text()
        restored_tags = page.locator("#id_tags option:checked").all_inner_texts()
        page.click("input[name=_continue]")
        page.wait_for_selector(".conflict")
        conflict = page.locator(".conflict").inner_text()

    assert "You have unsaved changes from" in offer
    assert "The story was saved by someone since you typed them" in offer
    assert restored_body == "The dredging starts in June."
    assert restored_tags == ["Shipping"]
    assert "Harbour delay: new date" in conflict
    story.refresh_from_db()
    assert (story.headline, story.body) == ("Harbour delay: new date", "<p>The dredging starts in May.</p>")
    assert Autosave.objects.filter(user=editor, article=story).exists()  # kept until a save succeeds
