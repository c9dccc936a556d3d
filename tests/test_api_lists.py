"""The content API reads PostgreSQL through articles/readpath.py and SQLite through the ORM: both give the same
answers, for every filter, page and story."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles import readpath
from articles.models import Article

from .factories import (
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    CorrectionFactory,
    ImageFactory,
    LiveStoryFactory,
    SectionFactory,
    TagFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

QUERIES = [
    "",
    "limit=3",
    "section=news",
    "tag=ferries",
    "author=maya",
    "type=opinion",
    "type=live",
    "published_after=2020-01-01",
    "published_before=2099-01-01T00:00:00Z",
    "updated_since=2000-01-01",
    "section=news&tag=ferries&author=maya&limit=2",
]


@pytest.fixture
def archive():
    now = timezone.now()
    news, culture = SectionFactory(slug="news"), SectionFactory(slug="culture")
    maya, other = AuthorFactory(slug="maya"), AuthorFactory()
    ferries, harbour = TagFactory(slug="ferries"), TagFactory(slug="harbour")
    picture = ImageFactory()
    stories = []
    for n in range(9):
        story = ArticleFactory(
            section=news if n % 3 else culture,
            article_type="opinion" if n % 4 == 0 else "news",
            published_at=now - timedelta(hours=n // 2),  # pairs published at the same moment
            lead_image=picture if n % 2 else None,
            standfirst="" if n == 3 else "A standfirst.",
        )
        BylineFactory(article=story, author=maya if n % 2 else other)
        if n % 3 == 0:
            BylineFactory(article=story, author=maya, role="photos", position=1)  # credited twice: listed once
        story.tags.set([ferries, harbour] if n % 2 else [harbour])
        stories.append(story)
    CorrectionFactory(article=stories[0])
    LiveStoryFactory(section=news)
    ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    Article.objects.published_or_scheduled().refresh_related_stories()
    return stories


def both_ways(client, monkeypatch, url):
    by_read_path = client.get(url)
    with monkeypatch.context() as orm_only:
        orm_only.setattr(readpath, "supported", lambda using=None: False)
        by_orm = client.get(url)
    assert by_read_path.status_code == by_orm.status_code == 200, url
    return by_read_path.json(), by_orm.json()


@pytest.mark.parametrize("query", QUERIES)
def test_a_page_of_stories_is_the_same_read_either_way(client, monkeypatch, archive, query):
    url = f"/api/v1/stories/?{query}"
    pages = 0
    while url:
        read_path, orm = both_ways(client, monkeypatch, url)
        assert read_path == orm
        url = read_path["next"] and read_path["next"][read_path["next"].index("/api/") :]
        pages += 1
    assert pages >= 1


def test_a_story_is_the_same_read_either_way(client, monkeypatch, archive):
    for story in archive[:4]:
        read_path, orm = both_ways(client, monkeypatch, f"/api/v1/stories/{story.pk}/")
        assert read_path == orm
        assert read_path["related"], "related stories are part of the answer"


def test_an_author_credited_twice_on_a_story_lists_it_once(client, archive):
    listed = [item["id"] for item in client.get("/api/v1/stories/?author=maya&limit=100").json()["items"]]

    assert len(listed) == len(set(listed))
