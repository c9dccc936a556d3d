from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from articles.models import Article
from articles.preview import preview_token

from .factories import ArticleFactory, AuthorFactory, BylineFactory, CorrectionFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600


def cached(client, url):
    """Fetch a page twice; the second answer must come from the cache."""
    client.get(url)
    response = client.get(url)
    assert response["X-Page-Cache"] == "hit", url
    return response


def test_anonymous_pages_are_cached_and_say_so_to_downstream_caches(client):
    ArticleFactory()

    first, second = client.get("/"), client.get("/")

    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert first.content == second.content
    cache_control = second["Cache-Control"]
    assert "public" in cache_control and "s-maxage=1" in cache_control
    assert "stale-while-revalidate" in cache_control


def test_a_cached_page_still_answers_revalidation_with_304(client):
    article = ArticleFactory()
    etag = cached(client, article.get_absolute_url())["ETag"]

    response = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response["X-Page-Cache"] == "hit"


def test_a_cache_hit_runs_no_sql(client, django_assert_num_queries):
    article = ArticleFactory()
    client.get(article.get_absolute_url())

    with django_assert_num_queries(0):
        assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"


def test_publishing_purges_home_section_feed_and_sitemap_but_not_an_unrelated_section(client, commit):
    world, culture = SectionFactory(), SectionFactory()
    ArticleFactory(section=world)
    ArticleFactory(section=culture)
    pages = [
        "/",
        world.get_absolute_url(),
        "/feeds/rss/",
        f"/sitemap-articles-{timezone.localtime():%Y-%m}.xml",
        "/search/?q=bridge",
    ]
    for url in [*pages, culture.get_absolute_url()]:
        cached(client, url)

    story = commit(lambda: ArticleFactory(section=world, headline="Breaking: the bridge reopens"))

    for url in pages:
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert "the bridge reopens" in response.content.decode() or story.slug in response.content.decode(), url
    assert client.get(culture.get_absolute_url())["X-Page-Cache"] == "hit"


def test_editing_or_withdrawing_a_story_purges_its_page_tags_and_authors(client, commit):
    article = ArticleFactory(headline="First headline")
    tag, author = TagFactory(), AuthorFactory()
    article.tags.add(tag)
    BylineFactory(article=article, author=author)
    for url in [article.get_absolute_url(), tag.get_absolute_url(), author.get_absolute_url()]:
        cached(client, url)

    article.headline = "Second headline"
    commit(article.save)

    for url in [article.get_absolute_url(), tag.get_absolute_url(), author.get_absolute_url()]:
        assert "Second headline" in client.get(url).content.decode(), url

    article.status = Article.Status.WITHDRAWN
    commit(article.save)
    assert client.get(article.get_absolute_url()).status_code == 404
    assert "Second headline" not in client.get(tag.get_absolute_url()).content.decode()


def test_a_correction_purges_the_story_and_the_corrections_page(client, commit):
    article = ArticleFactory()
    cached(client, article.get_absolute_url())
    cached(client, "/corrections/")

    commit(lambda: CorrectionFactory(article=article, note="We misspelt the minister's name."))

    assert "misspelt the minister" in client.get(article.get_absolute_url()).content.decode()
    assert "misspelt the minister" in client.get("/corrections/").content.decode()


def test_a_scheduled_story_appears_at_its_time_on_pages_cached_before(client, commit):
    ArticleFactory(headline="Already out")
    go_live = timezone.now() + timedelta(minutes=5)  # well inside PAGE_CACHE_SECONDS
    commit(lambda: ArticleFactory(headline="Embargoed report", published_at=go_live))
    assert "Embargoed report" not in cached(client, "/").content.decode()

    with mock.patch("django.utils.timezone.now", return_value=go_live + timedelta(seconds=1)):
        response = client.get("/")

    assert response["X-Page-Cache"] == "miss"
    assert "Embargoed report" in response.content.decode()


def test_an_expiring_story_leaves_pages_cached_before_at_its_time(client, commit):
    ArticleFactory(headline="Already out")
    expiry = timezone.now() + timedelta(minutes=5)  # well inside PAGE_CACHE_SECONDS
    commit(lambda: ArticleFactory(headline="Licensed picture story", expires_at=expiry))
    assert "Licensed picture story" in cached(client, "/").content.decode()

    with mock.patch("django.utils.timezone.now", return_value=expiry + timedelta(seconds=1)):
        response = client.get("/")

    assert response["X-Page-Cache"] == "miss"
    assert "Licensed picture story" not in response.content.decode()


def test_editors_never_read_or_fill_the_cache(client, admin_client):
    article = ArticleFactory()
    url = article.get_absolute_url()

    editor_response = admin_client.get(url)
    assert "X-Page-Cache" not in editor_response
    assert "private" in editor_response["Cache-Control"] and "no-store" in editor_response["Cache-Control"]
    assert client.get(url)["X-Page-Cache"] == "miss"  # the editor's visit filled nothing
    cached(client, url)
    assert "X-Page-Cache" not in admin_client.get(url)  # and a cached page is not served to them


def test_preview_links_never_enter_the_cache(client):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    url = f"/preview/{preview_token(draft)}/"

    for response in [client.get(url), client.get(url)]:
        assert response.status_code == 200
        assert "X-Page-Cache" not in response
        assert "no-store" in response["Cache-Control"]


def test_the_site_keeps_answering_when_the_cache_backend_is_down(settings):
    settings.CACHES = {"default": {"BACKEND": "newsroom.cache.FailOpenRedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    article = ArticleFactory()

    response = Client().get(article.get_absolute_url())

    assert response.status_code == 200
    assert article.headline in response.content.decode()
