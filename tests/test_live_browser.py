"""A reader's live page in Chromium: new entries arrive without a reload, behind a button, and edits apply."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from .factories import LiveEntryFactory, LiveStoryFactory
from .test_browser import open_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def in_another_thread(change):
    """Write as an editor's request would, on a connection of its own, while the browser's loop runs here."""

    def run():
        try:
            change()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()


def test_a_new_entry_appears_on_a_readers_page_without_a_reload(live_server, settings):
    settings.LIVE_POLL_SECONDS = 1
    story = LiveStoryFactory(headline="Flood warning, live")
    now = timezone.now()
    first = LiveEntryFactory(article=story, body="<p>The river is rising.</p>", posted_at=now - timedelta(minutes=9))
    for n in range(12):
        LiveEntryFactory(article=story, body=f"<p>Reading {n}.</p>" + "<p>More detail.</p>" * 6)
    url = f"{live_server.url}{story.get_absolute_url()}"

    with open_browser() as page:
        page.goto(url)
        page.evaluate("window.scrollTo(0, 1200)")
        reading = page.locator("#live-entries .live-entry").nth(4)
        reading_at = reading.evaluate("entry => entry.getBoundingClientRect().top")

        in_another_thread(lambda: LiveEntryFactory(article=story, headline="Levee breached", posted_at=timezone.now()))
        button = page.locator(".live__new")
        button.wait_for(state="visible", timeout=8_000)
        assert button.inner_text() == "1 new update"
        assert page.locator(".live-entry", has_text="Levee breached").count() == 0
        assert reading.evaluate("entry => entry.getBoundingClientRect().top") == pytest.approx(reading_at, abs=1)

        first.body = "<p>The river has peaked.</p>"
        in_another_thread(first.save)
        page.locator(f"#entry-{first.pk}", has_text="The river has peaked.").wait_for(timeout=8_000)

        button.click()
        newest = page.locator("#live-entries .live-entry").first
        assert "Levee breached" in newest.inner_text()
        assert button.is_hidden()
