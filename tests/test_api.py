"""The content API at /api/v1/: what it answers, in what shape, and how it is cached and revalidated."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles import readpath
from articles.models import Article, LiveCoverage

from .api_schema import assert_matches
from .factories import (
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    CorrectionFactory,
    DraftFactory,
    ImageFactory,
    LiveEntryFactory,
    LiveStoryFactory,
    SectionFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(site_identity):
    """A published story with everything a page shows: bylines, topics, a picture, a correction."""
    article = ArticleFactory(
        headline="Ferry timetable changes",
        dateline="RIVERPORT",
        source="Harbour wire",
        lead_image=ImageFactory(),
        section=SectionFactory(name="News", slug="news"),
        published_at=timezone.now() - timedelta(hours=2),
    )
    BylineFactory(article=article, author=AuthorFactory(name="Maya Okafor", slug="maya-okafor"))
    article.tags.add(TagFactory(name="Ferries", slug="ferries"))
    CorrectionFactory(article=article, note="The ferry leaves at nine.")
    return Article.objects.get(pk=article.pk)


def test_a_story_carries_what_its_page_shows(client, story):
    response = client.get(f"/api/v1/stories/{story.pk}/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert data["url"] == f"https://news.test/news/{story.slug}/"
    assert data["headline"] == "Ferry timetable changes"
    assert data["body"] == story.body
    assert data["section"]["slug"] == "news"
    assert [(b["role_label"], b["author"]["name"]) for b in data["bylines"]] == [("By", "Maya Okafor")]
    assert [topic["slug"] for topic in data["topics"]] == ["ferries"]
    assert (data["dateline"], data["source"], data["type"]) == ("RIVERPORT", "Harbour wire", "news")
    assert data["published_at"] == story.published_at.isoformat()
    assert data["updated_at"] == story.updated_at.isoformat()  # the correction made it a substantive update
    assert data["corrections"][0]["note"] == "The ferry leaves at nine."
    picture = data["lead_picture"]
    assert (picture["alt"], picture["credit"]) == ("Ferry passengers on the quay at dusk", "Jonas Berg / The Newsroom")
    assert any(
        r["name"] == "lead-960-jpeg" and r["url"].startswith("https://news.test/media/") for r in picture["renditions"]
    )
    assert_matches(data, "Story")


def test_stories_are_listed_newest_first_as_cards_valid_against_the_schema(client, story):
    newer = ArticleFactory(published_at=timezone.now() - timedelta(minutes=5))

    data = client.get("/api/v1/stories/").json()

    assert [item["id"] for item in data["items"]] == [newer.pk, story.pk]
    assert "body" not in data["items"][0]
    assert data["items"][1]["topics"][0]["name"] == "Ferries"
    assert data["next"] is None
    assert_matches(data, "StoryPage")


@pytest.mark.parametrize(
    "query, expected",
    [
        ("section=news", ["story"]),
        ("tag=ferries", ["story"]),
        ("author=maya-okafor", ["story"]),
        ("type=opinion", ["opinion"]),
        ("section=no-such-section", []),
    ],
)
def test_stories_can_be_narrowed_by_section_topic_author_and_type(client, story, query, expected):
    stories = {"story": story.pk, "opinion": ArticleFactory(article_type=Article.Type.OPINION).pk}

    data = client.get(f"/api/v1/stories/?{query}").json()

    assert [item["id"] for item in data["items"]] == [stories[name] for name in expected]


def test_stories_can_be_narrowed_by_publication_and_update_times(client):
    now = timezone.now()
    old = ArticleFactory(published_at=now - timedelta(days=10))
    recent = ArticleFactory(published_at=now - timedelta(days=1))
    Article.objects.filter(pk=old.pk).update(modified_at=now - timedelta(days=9))
    Article.objects.filter(pk=recent.pk).update(modified_at=now - timedelta(days=9))
    CorrectionFactory(article=old)  # a correction updates the story now

    def listed(query):
        return [item["id"] for item in client.get(f"/api/v1/stories/?{query}").json()["items"]]

    since = (now - timedelta(days=2)).date().isoformat()
    assert listed(f"published_after={since}") == [recent.pk]
    assert listed(f"published_before={since}") == [old.pk]
    assert listed(f"updated_since={(now - timedelta(hours=1)).isoformat().replace('+00:00', 'Z')}") == [old.pk]


def test_following_the_cursor_neither_repeats_nor_skips_a_story_when_one_is_published_between_pages(
    client, site_identity
):
    now = timezone.now()
    stories = [ArticleFactory(published_at=now - timedelta(minutes=n)) for n in range(1, 5)]
    # Two stories published at the same moment, on either side of a page break: the cursor tells them apart by key.
    stories.append(ArticleFactory(published_at=stories[-1].published_at))

    first = client.get("/api/v1/stories/?limit=2").json()
    ArticleFactory(published_at=timezone.now())  # published while the client reads
    seen = [item["id"] for item in first["items"]]
    following = first["next"]
    while following:
        assert following.startswith("https://news.test/api/v1/stories/?")
        page = client.get(following.removeprefix("https://news.test")).json()
        seen += [item["id"] for item in page["items"]]
        following = page["next"]

    expected = sorted(stories, key=lambda s: (s.published_at, s.pk), reverse=True)
    assert seen == [s.pk for s in expected]


def test_an_unpublished_story_is_a_404_in_json(client):
    for hidden in [
        DraftFactory(),
        ArticleFactory(status=Article.Status.REVIEW),
        ArticleFactory(published_at=timezone.now() + timedelta(hours=1)),
        ArticleFactory(status=Article.Status.WITHDRAWN),
        ArticleFactory(expires_at=timezone.now() - timedelta(minutes=1)),
    ]:
        for url in (f"/api/v1/stories/{hidden.pk}/", f"/api/v1/stories/{hidden.pk}/?format=ninjs"):
            response = client.get(url)
            assert response.status_code == 404, url
            assert response.json()["error"] == "not_found"
            assert_matches(response.json(), "Error")


def test_ninjs_is_asked_for_by_accept_header_or_format(client, story):
    by_header = client.get(f"/api/v1/stories/{story.pk}/", HTTP_ACCEPT="application/ninjs+json")
    by_format = client.get(f"/api/v1/stories/{story.pk}/?format=ninjs")

    for response in (by_header, by_format):
        assert response["Content-Type"] == "application/ninjs+json"
        data = response.json()
        assert data["uri"] == f"https://news.test/api/v1/stories/{story.pk}/"
        assert data["headlines"][0]["value"] == "Ferry timetable changes"
        assert data["associations"][0]["renditions"]
        assert_matches(data, "Ninjs")
    assert "Accept" in by_header["Vary"]


def test_a_page_of_stories_as_ninjs_holds_full_items(client, story):
    data = client.get("/api/v1/stories/?format=ninjs").json()

    assert data["items"][0]["bodies"][0]["value"] == story.body
    assert_matches(data, "NinjsPage")


def test_a_live_story_lists_its_entries_newest_first_with_a_cursor(client, settings):
    live = LiveStoryFactory()
    now = timezone.now()
    entries = [LiveEntryFactory(article=live, posted_at=now - timedelta(minutes=n)) for n in range(1, 26)]
    LiveEntryFactory(article=live, body="<p>zqdraftentry</p>", is_draft=True)
    LiveEntryFactory(article=live, body="<p>zqlaterentry</p>", posted_at=now + timedelta(hours=1))

    first = client.get(f"/api/v1/stories/{live.pk}/entries/").json()
    second = client.get(f"/api/v1/stories/{live.pk}/entries/?cursor={first['next_cursor']}").json()

    listed = [entry["id"] for entry in first["items"] + second["items"]]
    assert listed == [entry.pk for entry in entries]
    assert first["open"] is True and second["next"] is None
    assert "zq" not in str(first) + str(second)
    assert_matches(first, "LiveEntryPage")
    assert client.get(f"/api/v1/stories/{live.pk}/").json()["live"]["open"] is True
    LiveCoverage.objects.create(article=live, ended_at=now)
    assert client.get(f"/api/v1/stories/{live.pk}/").json()["live"]["open"] is False


def test_only_a_live_story_has_entries(client, story):
    assert client.get(f"/api/v1/stories/{story.pk}/entries/").status_code == 404


def test_sections_authors_and_topics_are_those_with_published_stories(client, story):
    DraftFactory(section=SectionFactory(name="Hidden desk"))
    BylineFactory(article=DraftFactory(), author=AuthorFactory(name="Unpublished Writer"))
    DraftFactory().tags.add(TagFactory(name="Unpublished topic"))

    sections = client.get("/api/v1/sections/").json()
    authors = client.get("/api/v1/authors/").json()
    topics = client.get("/api/v1/topics/").json()

    assert [section["name"] for section in sections["items"]] == ["News"]
    assert [author["name"] for author in authors["items"]] == ["Maya Okafor"]
    assert [topic["name"] for topic in topics["items"]] == ["Ferries"]
    assert_matches(sections, "SectionList")
    assert_matches(authors, "AuthorPage")
    assert_matches(topics, "TopicPage")


def test_authors_are_paged_by_name_with_a_cursor(client):
    names = ["Ada", "Bea", "Cai", "Dev", "Eli"]
    for name in reversed(names):
        BylineFactory(author=AuthorFactory(name=name))

    first = client.get("/api/v1/authors/?limit=3").json()
    second = client.get(f"/api/v1/authors/?limit=3&cursor={first['next_cursor']}").json()

    assert [a["name"] for a in first["items"]] + [a["name"] for a in second["items"]] == names
    assert second["next"] is None


@pytest.mark.postgres
def test_search_is_the_sites_search_of_published_stories(client, story):
    DraftFactory(headline="Ferry zqdraft plans")

    data = client.get("/api/v1/search/?q=ferry").json()

    assert [item["id"] for item in data["items"]] == [story.pk]
    assert "<mark>" in data["items"][0]["snippet"] or data["items"][0]["snippet"]
    assert "zqdraft" not in str(data)
    assert_matches(data, "SearchPage")


def test_a_search_without_words_is_a_400_naming_q(client):
    for url in ("/api/v1/search/", "/api/v1/search/?q=", "/api/v1/search/?q=%20"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "q" in response.json()["fields"]


def test_the_index_names_every_list(client):
    data = client.get("/api/v1/").json()

    assert data["stories"].endswith("/api/v1/stories/")
    assert data["openapi"].endswith("/api/v1/schema/")
    assert_matches(data, "Index")


def test_the_schema_is_openapi_3_and_the_docs_page_is_served(client):
    schema = client.get("/api/v1/schema/").json()
    docs = client.get("/api/v1/docs/")

    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/stories/", "/api/v1/stories/{id}/", "/api/v1/search/"} <= set(schema["paths"])
    assert "application/ninjs+json" in schema["paths"]["/api/v1/stories/{id}/"]["get"]["responses"]["200"]["content"]
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content


@pytest.mark.parametrize(
    "method, url, status",
    [
        ("get", "/api/v1/no-such-thing/", 404),
        ("get", "/api/v1/stories/99999999999999999999/", 404),
        ("get", "/api/v1/stories/abc/", 404),
        ("post", "/api/v1/stories/", 405),
        ("delete", "/api/v1/stories/1/", 405),
        ("get", "/api/v1/stories/?limit=0", 400),
        ("get", "/api/v1/stories/?type=gossip", 400),
        ("get", "/api/v1/stories/?format=xml", 400),
        ("get", "/api/v1/stories/?cursor=bm90IGEgY3Vyc29y", 400),
        ("get", "/api/v1/stories/?published_after=3000-01-01", 400),
        ("get", "/api/v1/stories/?section=%00", 400),
    ],
)
def test_errors_are_json_never_an_html_page(client, method, url, status):
    response = getattr(client, method)(url)

    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["status"] == status and body["message"]
    assert response["Access-Control-Allow-Origin"] == "*"
    assert_matches(body, "Error")


def test_any_origin_may_read_and_send_a_key_from_a_browser(client, story):
    response = client.get("/api/v1/stories/", HTTP_ORIGIN="https://elsewhere.example")
    preflight = client.options(
        "/api/v1/stories/",
        HTTP_ORIGIN="https://elsewhere.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )

    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "Authorization" in preflight["Access-Control-Allow-Headers"]


def test_answers_are_cacheable_by_shared_caches_and_revalidate_with_304(client, story):
    url = f"/api/v1/stories/{story.pk}/"
    first = client.get(url)

    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert "public" in first["Cache-Control"] and "s-maxage" in first["Cache-Control"]
    assert first["Last-Modified"]
    assert again.status_code == 304


@pytest.mark.parametrize("cached", [True, False], ids=["page cache on", "page cache off"])
def test_publishing_a_story_changes_the_lists_etag(client, settings, commit, cached):
    settings.PAGE_CACHE_SECONDS = 600 if cached else 0
    commit(lambda: ArticleFactory())
    before = client.get("/api/v1/stories/")
    if cached:
        assert client.get("/api/v1/stories/")["X-Page-Cache"] == "hit"

    commit(lambda: ArticleFactory(headline="Just published"))
    after = client.get("/api/v1/stories/", HTTP_IF_NONE_MATCH=before["ETag"])

    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert "Just published" in after.content.decode()


def test_the_page_cache_keeps_json_and_ninjs_answers_of_one_url_apart(client, settings, story):
    settings.PAGE_CACHE_SECONDS = 600
    url = f"/api/v1/stories/{story.pk}/"
    client.get(url)
    client.get(url, HTTP_ACCEPT="application/ninjs+json")

    as_json = client.get(url)
    as_ninjs = client.get(url, HTTP_ACCEPT="application/ninjs+json")

    assert as_json["X-Page-Cache"] == as_ninjs["X-Page-Cache"] == "hit"
    assert "headline" in as_json.json()
    assert "headlines" in as_ninjs.json()


def test_a_correction_purges_the_cached_story(client, settings, story, commit):
    settings.PAGE_CACHE_SECONDS = 600
    url = f"/api/v1/stories/{story.pk}/"
    client.get(url)

    commit(lambda: CorrectionFactory(article=story, note="A second correction."))

    assert "A second correction." in client.get(url).content.decode()


@pytest.mark.postgres
@pytest.mark.parametrize("read_path", [True, False], ids=["read path", "ORM (SQLite's path)"])
def test_a_story_and_a_page_of_stories_keep_their_query_budgets(
    client, monkeypatch, django_assert_max_num_queries, read_path
):
    section, authors, tags = SectionFactory(), AuthorFactory.create_batch(4), TagFactory.create_batch(4)
    picture = ImageFactory()
    for n in range(25):
        story = ArticleFactory(section=section, lead_image=picture if n % 2 else None)
        for position in range(2):
            BylineFactory(article=story, author=authors[(n + position) % 4], position=position)
        story.tags.set(tags[n % 2 : n % 2 + 2])
        CorrectionFactory(article=story)
    LiveStoryFactory()
    Article.objects.published_or_scheduled().refresh_related_stories()  # as saving them through the admin does
    if not read_path:
        monkeypatch.setattr(readpath, "supported", lambda using=None: False)

    # A page of cards: the cards (the ORM: with their bylines), their topics, the live story's coverage.
    with django_assert_max_num_queries(3 if read_path else 4):
        assert client.get("/api/v1/stories/").status_code == 200
    # As ninjs, whole stories: with bylines, topics and corrections.
    with django_assert_max_num_queries(4):
        assert client.get("/api/v1/stories/?format=ninjs").status_code == 200
    # One story, with everything its page shows and its related stories (the ORM: story, bylines, topics,
    # corrections, related stories).
    for url in (f"/api/v1/stories/{story.pk}/", f"/api/v1/stories/{story.pk}/?format=ninjs"):
        with django_assert_max_num_queries(1 if read_path else 5):
            assert client.get(url).status_code == 200


def test_head_answers_like_get(client, story):
    response = client.head(f"/api/v1/stories/{story.pk}/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "head" not in client.get("/api/v1/schema/").json()["paths"]["/api/v1/stories/{id}/"]
