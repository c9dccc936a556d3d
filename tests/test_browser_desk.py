"""The desk in a real browser: the editor's first screen after logging in."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article

from .factories import ArticleFactory, DraftFactory, staff_user
from .test_browser import ARTIFACTS, log_in, open_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_logs_in_to_the_desk_and_sees_a_story_in_review_and_a_scheduled_one(live_server):
    staff_user("Editor")
    reporter = staff_user("Reporter")
    story = DraftFactory(headline="Strike at the port", created_by=reporter)
    story.status, story.last_edited_by = Article.Status.REVIEW, reporter
    story.save()
    ArticleFactory(headline="Budget at noon", published_at=timezone.now() + timedelta(hours=5))

    with open_browser() as page:
        log_in(page, live_server, "editor", "correct horse battery staple")
        in_review = page.locator("#desk-in-review li").first.inner_text()
        scheduled = page.locator("#desk-scheduled li").first.inner_text()
        page.screenshot(path=ARTIFACTS / "admin-desk.png", full_page=True)
        page.click("#desk-in-review li a")
        page.wait_for_selector("#id_headline")
        opened = page.input_value("#id_headline")

    assert "Strike at the port" in in_review and "Submitted by reporter" in in_review
    assert "Budget at noon" in scheduled
    assert opened == "Strike at the port"
