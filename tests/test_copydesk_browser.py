"""The Copy desk panel in Chromium: pasted wire copy's faults listed as they are typed, fixed in CKEditor, saved."""

import pytest
from playwright.sync_api import expect

from articles.models import Article, IgnoredFinding, StyleEntry

from .factories import DraftFactory, staff_user
from .test_browser import ARTIFACTS, log_in, open_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def style_guide():
    """The entries these tests meet (a transactional test empties the tables the data migration filled)."""
    StyleEntry.objects.get_or_create(discouraged="Kiev", defaults={"preferred": "Kyiv", "note": "AP since 2019."})
    StyleEntry.objects.get_or_create(discouraged="e-mail", defaults={"preferred": "email"})


NO_FINDINGS = "No findings: the copy reads as the house writes it."
WIRE_COPY = "Officials in Kiev said the Defense MinistryDefense Ministry had agreed. Moscow s reply came later."


def paste_into_body(page, text):
    """Paste as an editor does: the text on the clipboard, then Ctrl+V in the body."""
    page.evaluate("text => navigator.clipboard.writeText(text)", text)
    body = page.frame_locator("iframe.cke_wysiwyg_frame").locator("body")
    body.click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Control+v")
    return body


def test_editor_pastes_wire_copy_sees_three_findings_fixes_them_in_ckeditor_and_saves(live_server):
    staff_user("Editor")
    story = DraftFactory(headline="Talks on the border resume", standfirst="Both sides meet again.", body="<p>Old.</p>")

    with open_browser(permissions=["clipboard-read", "clipboard-write"]) as page:
        log_in(page, live_server, "editor", PASSWORD)
        page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
        expect(page.locator(".copydesk__status")).to_have_text(NO_FINDINGS)
        body = paste_into_body(page, WIRE_COPY)
        findings = page.locator(".copydesk__findings > li")
        expect(findings).to_have_count(3)
        listed = findings.all_inner_texts()
        page.locator("#copydesk").screenshot(path=ARTIFACTS / "editor-copy-desk.png")
        for remaining in (2, 1, 0):
            findings.first.get_by_role("button", name="Fix").click()
            expect(findings).to_have_count(remaining)
        expect(page.locator(".copydesk__status")).to_have_text(NO_FINDINGS)
        fixed = body.inner_text()
        body.click()
        page.keyboard.press("Control+z")  # the last fix taken back...
        expect(findings).to_have_count(1)
        undone = body.inner_text()
        page.keyboard.press("Control+y")  # ...and put back
        expect(findings).to_have_count(0)
        page.click("input[name=_continue]")
        page.wait_for_selector(".messagelist .success")
        expect(page.locator(".copydesk__status")).to_have_text(NO_FINDINGS)
        page.screenshot(path=ARTIFACTS / "editor-copy-desk-form.png", full_page=True)

    assert any("Kyiv" in text and "Kiev" in text for text in listed)
    assert any("glued to its own repeat" in text for text in listed)
    assert any("Moscow's" in text for text in listed)
    assert fixed == "Officials in Kyiv said the Defense Ministry had agreed. Moscow's reply came later."
    assert undone == "Officials in Kyiv said the Defense Ministry had agreed. Moscow s reply came later."
    story.refresh_from_db()
    assert story.body == "<p>Officials in Kyiv said the Defense Ministry had agreed. Moscow's reply came later.</p>"


def test_reporter_ignores_a_finding_on_their_draft_and_it_stays_ignored_after_a_reload(live_server):
    reporter = staff_user("Reporter")
    story = DraftFactory(created_by=reporter, body="<p>The e-mail came from Kiev.</p>")

    with open_browser() as page:
        log_in(page, live_server, "reporter", PASSWORD)
        page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
        findings = page.locator(".copydesk__findings > li")
        expect(findings).to_have_count(2)
        findings.filter(has_text="Kyiv").get_by_role("button", name="Ignore").click()
        expect(findings).to_have_count(1)
        page.reload()
        expect(findings).to_have_count(1)
        left = findings.inner_text()
        ignored = page.locator(".copydesk__ignored").inner_text()

    assert "email" in left
    assert "Ignored for this story (1)" in ignored
    assert IgnoredFinding.objects.filter(article=story, check_name="style", text="Kiev").exists()
    assert Article.objects.get(pk=story.pk).body == "<p>The e-mail came from Kiev.</p>"
