"""Every public page runs a small, constant number of SQL queries, however big the archive around it."""

import pytest

from articles import readpath
from articles.models import Article

from .factories import (
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    CorrectionFactory,
    ImageFactory,
    SectionFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db

# Budgets with the page cache off, i.e. the work of a cache miss. The article page's six: the story
# (with section and lead picture), bylines with authors, tags, corrections, related stories (stored ids,
# through the gate), navigation.
# Search's twelve: a savepoint and its release, a statement time limit, at most four probes of the
# search table by date window (what keeps a common word fast on a million stories), the hits, the
# stories, their bylines, the navigation and the section filter's choices.
BUDGETS = {
    "home": 3,
    "article": 2,
    "section": 5,
    "author": 5,
    "tag": 5,
    "archive": 8,
    "corrections": 5,
    "search": 12,
    "feed": 4,
    "section feed": 4,
    "author feed": 4,
    "sitemap index": 4,
    "sitemap": 4,
    "news sitemap": 4,
}
# Without PostgreSQL (`make run`'s SQLite) the article page reads through the ORM (articles/readpath.py): the
# story with its section and picture, bylines, tags, corrections, related stories, navigation.
ORM_BUDGETS = {**BUDGETS, "article": 6}


def budget(page):
    return (BUDGETS if readpath.supported() else ORM_BUDGETS)[page]


@pytest.fixture
def archive():
    """Enough stories, bylines, tags, pictures and corrections to expose any per-row query."""
    sections = SectionFactory.create_batch(3)
    authors = AuthorFactory.create_batch(6)
    tags = TagFactory.create_batch(8)
    pictures = ImageFactory.create_batch(2)
    stories = []
    for n in range(30):
        story = ArticleFactory(section=sections[n % 3], lead_image=pictures[n % 2] if n % 3 else None)
        for position in range(3):
            BylineFactory(article=story, author=authors[(n + position) % 6], position=position)
        story.tags.set(tags[n % 4 : n % 4 + 4])
        CorrectionFactory(article=story)
        stories.append(story)
    Article.objects.published_or_scheduled().refresh_related_stories()  # as saving them through the admin does
    return {"story": stories[0], "section": sections[0], "author": authors[0], "tag": tags[0]}


def urls(archive):
    story, section, author, tag = archive["story"], archive["section"], archive["author"], archive["tag"]
    return {
        "home": "/",
        "article": story.get_absolute_url(),
        "section": section.get_absolute_url(),
        "author": author.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "archive": f"/archive/{story.published_at:%Y}/",
        "corrections": "/corrections/",
        "search": "/search/?q=story",
        "feed": "/feeds/rss/",
        "section feed": f"/feeds/sections/{section.slug}/rss/",
        "author feed": f"/feeds/authors/{author.slug}/atom/",
        "sitemap index": "/sitemap.xml",
        "sitemap": f"/sitemap-articles-{story.published_at:%Y-%m}.xml",
        "news sitemap": "/news-sitemap.xml",
    }


def test_every_public_page_stays_within_its_query_budget(client, archive, django_assert_max_num_queries):
    """One archive for all pages (building it is the slow part); each page is checked on its own."""
    for page, url in urls(archive).items():
        with django_assert_max_num_queries(budget(page), info=f"{page}: {url}"):
            response = client.get(url)
        assert response.status_code == 200, url
