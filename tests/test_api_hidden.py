"""No story a reader may not see reaches the content API: not in a list under any filters, not by following
cursors to the end, not as ninjs, not in search, not in a live story's entries, not by its id."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import Article

from .factories import (
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    CorrectionFactory,
    LiveEntryFactory,
    LiveStoryFactory,
    SectionFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db

HIDDEN = {
    "zqdraftmarker": {"status": Article.Status.DRAFT, "published_at": None},
    "zqreviewmarker": {"status": Article.Status.REVIEW, "published_at": None},
    "zqscheduledmarker": {"published_at": timezone.now() + timedelta(hours=2)},
    "zqwithdrawnmarker": {"status": Article.Status.WITHDRAWN},
    "zqexpiredmarker": {"expires_at": timezone.now() - timedelta(minutes=1)},
}
HIDDEN_ENTRY = "zqentrymarker"
MARKERS = [*HIDDEN, HIDDEN_ENTRY]
BOUNDED = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(autouse=True)
def no_limits(settings):
    settings.API_ANONYMOUS_RATE_LIMIT = 1_000_000


@pytest.fixture
def newsroom():
    """Published stories and, beside them, one of each kind a reader may not see, sharing their section, author
    and topic; the hidden ones also have a section, author and topic of their own, named with their marker."""
    section, author, tag = SectionFactory(slug="news"), AuthorFactory(slug="maya"), TagFactory(slug="ferries")
    now = timezone.now()
    shown = []
    for n, kind in enumerate(["news", "opinion", "analysis", "news", "news", "review"]):
        story = ArticleFactory(section=section, article_type=kind, published_at=now - timedelta(hours=n + 1))
        BylineFactory(article=story, author=author)
        story.tags.add(tag)
        shown.append(story)
    live = LiveStoryFactory(section=section, published_at=now - timedelta(minutes=30))
    LiveEntryFactory(article=live)
    LiveEntryFactory(article=live, body=f"<p>{HIDDEN_ENTRY} draft</p>", is_draft=True)
    LiveEntryFactory(article=live, body=f"<p>{HIDDEN_ENTRY} later</p>", posted_at=now + timedelta(hours=1))
    LiveEntryFactory(article=live, body=f"<p>{HIDDEN_ENTRY} deleted</p>", deleted_at=now)
    hidden = []
    for marker, state in HIDDEN.items():
        for story_type in ("news", "live"):
            story = ArticleFactory(
                section=section,
                headline=f"Headline {marker}",
                slug=f"{marker}-{story_type}",
                standfirst=f"Standfirst {marker}",
                body=f"<p>Body {marker}</p>",
                dateline=marker,
                article_type=story_type,
                home_rank=1,
                **state,
            )
            BylineFactory(article=story, author=author)
            BylineFactory(
                article=story, author=AuthorFactory(name=f"Author {marker}", slug=f"author-{marker}-{story_type}")
            )
            story.tags.add(tag, TagFactory(name=f"Topic {marker} {story_type}"))
            CorrectionFactory(article=story, note=f"Correction {marker}")
            LiveEntryFactory(article=story, body=f"<p>Entry {marker}</p>")
            hidden.append(story)
        SectionFactory(name=f"Section {marker}", slug=f"section-{marker}").articles.add(hidden[-1], bulk=False)
    return {"shown": [*shown, live], "hidden": hidden, "live": live}


def assert_clean(response, url):
    assert response.status_code == 200, url
    text = response.content.decode()
    for marker in MARKERS:
        assert marker not in text, f"{marker} leaked at {url}"


when = st.sampled_from(["2000-01-01", "2100-01-01", None, "now"])


@BOUNDED
@given(
    section=st.sampled_from([None, "news", "section-zqdraftmarker", "none"]),
    tag=st.sampled_from([None, "ferries"]),
    author=st.sampled_from([None, "maya", "author-zqwithdrawnmarker-news"]),
    story_type=st.sampled_from([None, "news", "live", "opinion"]),
    after=when,
    before=when,
    updated=when,
    limit=st.integers(min_value=1, max_value=4),
    ninjs=st.booleans(),
)
def test_no_hidden_story_is_listed_under_any_filters_to_the_last_page(
    newsroom, section, tag, author, story_type, after, before, updated, limit, ninjs
):
    now = timezone.now().isoformat().replace("+00:00", "Z")
    params = {
        "section": section,
        "tag": tag,
        "author": author,
        "type": story_type,
        "published_after": now if after == "now" else after,
        "published_before": now if before == "now" else before,
        "updated_since": now if updated == "now" else updated,
        "limit": limit,
        "format": "ninjs" if ninjs else None,
    }
    client = Client()
    url = "/api/v1/stories/?" + "&".join(f"{key}={value}" for key, value in params.items() if value is not None)
    pages = 0
    while url:
        response = client.get(url)
        assert_clean(response, url)
        following = response.json()["next"]
        url = following and following[following.index("/api/") :]
        pages += 1
        assert pages <= len(newsroom["shown"]) + 1, "the cursor never ends"


def test_a_hidden_story_is_a_404_everywhere_the_api_names_one(client, newsroom):
    for story in newsroom["hidden"]:
        for url in (
            f"/api/v1/stories/{story.pk}/",
            f"/api/v1/stories/{story.pk}/?format=ninjs",
            f"/api/v1/stories/{story.pk}/entries/",
        ):
            response = client.get(url)
            assert response.status_code == 404, url
            assert str(story.headline) not in response.content.decode()


def test_the_published_stories_the_lists_and_entries_show_nothing_hidden(client, newsroom):
    live = newsroom["live"]
    urls = [
        "/api/v1/",
        "/api/v1/sections/",
        "/api/v1/authors/",
        "/api/v1/topics/",
        f"/api/v1/stories/{live.pk}/entries/",
        f"/api/v1/stories/{live.pk}/entries/?cursor=WzFd",  # an entry id as a cursor: the first entry ever made
        *(f"/api/v1/stories/{story.pk}/" for story in newsroom["shown"]),
        *(f"/api/v1/stories/{story.pk}/?format=ninjs" for story in newsroom["shown"]),
    ]
    for url in urls:
        response = client.get(url)
        if "cursor" in url and response.status_code == 400:
            continue  # that entry is not this story's: refused, and nothing shown
        assert_clean(response, url)
    assert len(client.get("/api/v1/sections/").json()["items"]) == 1


@pytest.mark.postgres
def test_search_finds_no_hidden_story(client, newsroom):
    # Words every hidden story holds (and the shown ones do not), then their markers.
    for words in ["headline", "standfirst", "body", "correction"]:
        assert_clean(client.get(f"/api/v1/search/?q={words}"), words)
    for marker in HIDDEN:
        found = client.get(f"/api/v1/search/?q={marker}").json()
        assert (found["count"], found["items"]) == (0, []), marker
