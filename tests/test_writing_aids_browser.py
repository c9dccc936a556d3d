"""The story form's writing aids in Chromium: counts that follow the editor's typing, without a reload."""

import pytest

from .factories import ArticleFactory, staff_user
from .test_browser import ARTIFACTS, EDITOR, log_in, open_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_sees_word_count_reading_time_and_headline_length_change_while_typing(live_server):
    # 228 words and a paragraph break: the server counts "Night." and "Buses" as two words, so must the page.
    story = ArticleFactory(
        headline="Night buses",
        standfirst="",
        body="<p>" + "word " * 227 + "Night.</p><p>Buses</p>",
    )
    assert story.word_count == 229 and story.reading_minutes == 1
    user = staff_user("Editor")
    user.set_password(EDITOR[1])
    user.save()
    problems = []

    with open_browser() as page:
        page.on("console", lambda message: message.type == "error" and problems.append(message.text))
        page.on("pageerror", lambda error: problems.append(str(error)))
        log_in(page, live_server, user.username, EDITOR[1])
        page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
        page.evaluate("window.notReloaded = true")
        body_aid, headline_aid = page.locator("#id_body_aid"), page.locator("#id_headline_aid")
        page.wait_for_function("document.getElementById('id_body_aid').textContent.includes('229 words')")
        at_first = body_aid.inner_text(), headline_aid.inner_text()

        editor = page.frame_locator("iframe.cke_wysiwyg_frame").locator("body")
        editor.click()
        page.keyboard.press("Control+End")
        editor.press_sequentially(" drivers cheered")
        page.wait_for_function("document.getElementById('id_body_aid').textContent.startsWith('231 words')")
        after_typing = body_aid.inner_text()
        page.click(".cke_button__source")
        page.locator("textarea.cke_source").press("Control+End")
        page.locator("textarea.cke_source").press_sequentially("<p>in source</p>")
        page.wait_for_function("document.getElementById('id_body_aid').textContent.startsWith('233 words')")

        page.locator("#id_headline").press("End")
        page.locator("#id_headline").press_sequentially(" run all night as the city council extends the trial")
        long_headline = headline_aid.inner_text()
        page.locator("#id_headline").press_sequentially(" to every district, with extra trams on Friday and Saturday")
        too_long = headline_aid.inner_text()
        page.locator("#id_standfirst").press_sequentially("Twelve routes.")
        standfirst = page.locator("#id_standfirst_aid").inner_text()
        live = page.locator("#id_body_aid").get_attribute("aria-live")
        page.screenshot(path=ARTIFACTS / "admin-writing-aids.png", full_page=False)
        not_reloaded = page.evaluate("window.notReloaded === true")

    assert at_first == ("229 words · about 1 min read", "11 characters: fits Google's title (60)")
    assert after_typing == "231 words · about 2 min read"
    assert long_headline == "63 characters: over 60: Google cuts the title"
    assert too_long == "122 characters: over 110: too long for a NewsArticle headline"
    assert standfirst == "14 of 600 characters"
    assert live == "polite"
    assert not_reloaded
    assert problems == []
