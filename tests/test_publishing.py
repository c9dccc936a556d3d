from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from articles.models import Article

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("status", "offset", "visible"),
    [
        (Article.Status.PUBLISHED, timedelta(hours=-1), True),
        (Article.Status.PUBLISHED, timedelta(hours=1), False),
        (Article.Status.DRAFT, timedelta(hours=-1), False),
        (Article.Status.DRAFT, timedelta(hours=1), False),
        (Article.Status.REVIEW, timedelta(hours=-1), False),
        (Article.Status.WITHDRAWN, timedelta(hours=-1), False),
    ],
)
def test_published_shows_only_due_published_stories(client, status, offset, visible):
    article = ArticleFactory(status=status, published_at=timezone.now() + offset)

    assert (article in Article.objects.published()) is visible
    assert article.is_published() is visible
    assert client.get(article.get_absolute_url()).status_code == (200 if visible else 404)


def test_scheduled_story_goes_live_at_its_time_without_any_job(client):
    go_live = timezone.now() + timedelta(minutes=30)
    article = ArticleFactory(published_at=go_live)
    url = article.get_absolute_url()

    assert client.get(url).status_code == 404
    assert article.is_scheduled
    with mock.patch("django.utils.timezone.now", return_value=go_live + timedelta(seconds=1)):
        assert client.get(url).status_code == 200
        assert article.headline in client.get("/").content.decode()


def test_publishing_without_a_time_stamps_now():
    article = ArticleFactory(status=Article.Status.PUBLISHED, published_at=None)

    assert article.published_at is not None
    assert article.is_published()


def test_word_count_and_reading_time_come_from_the_body():
    article = ArticleFactory(body="<p>" + "word " * 460 + "</p>")

    assert article.word_count == 460
    assert article.reading_minutes == 2
