from datetime import timedelta

import pytest
from django.db import connection

from articles.models import Article, Byline

from .factories import ArticleFactory, AuthorFactory, BylineFactory, SectionFactory, TagFactory
from .test_query_budgets import budget

pytestmark = pytest.mark.django_db


def test_article_page_shows_the_story_as_readers_expect(client):
    article = ArticleFactory(
        headline="Bridge reopens after repairs",
        standfirst="Traffic returns after six months.",
        body="<p>The bridge reopened on Monday.</p>",
        dateline="RIVERPORT",
        source="Riverport Wire",
        article_type=Article.Type.ANALYSIS,
    )
    first, second = AuthorFactory(name="Ana Ruiz"), AuthorFactory(name="Li Wei")
    BylineFactory(article=article, author=second, position=2, role=Byline.Role.ADDITIONAL_REPORTING)
    BylineFactory(article=article, author=first, position=1)
    article.tags.add(TagFactory(name="Bridges"))

    html = client.get(article.get_absolute_url()).content.decode()

    assert html.count("<h1") == 1
    assert '<h1 class="story__headline">Bridge reopens after repairs</h1>' in html
    assert "Traffic returns after six months." in html
    assert "<p>The bridge reopened on Monday.</p>" in html
    assert html.index("Ana Ruiz") < html.index("Li Wei")
    assert f'href="{first.get_absolute_url()}" rel="author"' in html
    assert "Additional reporting by" in html
    assert "RIVERPORT" in html and "Riverport Wire" in html
    assert "Analysis" in html
    assert f'<time datetime="{article.published_at.isoformat()}' in html
    assert 'href="/tags/bridges/"' in html
    assert f'href="{article.section.get_absolute_url()}"' in html


def test_article_url_with_the_wrong_section_redirects_to_the_canonical_one(client):
    article = ArticleFactory()
    other = SectionFactory()

    response = client.get(f"/{other.slug}/{article.slug}/")

    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_article_page_query_count_does_not_grow_with_bylines_and_tags(client, django_assert_max_num_queries):
    small = ArticleFactory()
    BylineFactory(article=small)
    small.tags.add(TagFactory())
    big = ArticleFactory()
    for position in range(12):
        BylineFactory(article=big, position=position)
        big.tags.add(TagFactory())
    Article.objects.refresh_related_stories()  # as publishing does after its transaction

    # The story with everything its page shows (articles/readpath.py), and the section navigation.
    with django_assert_max_num_queries(budget("article")):
        assert client.get(small.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(budget("article")):
        assert client.get(big.get_absolute_url()).status_code == 200


def test_home_leads_with_the_newest_story_and_lists_the_rest(client):
    older = ArticleFactory(headline="Older story")
    newest = ArticleFactory(headline="Newest story", published_at=older.published_at + timedelta(minutes=5))
    ArticleFactory(headline="Secret draft", status=Article.Status.DRAFT)

    html = client.get("/").content.decode()

    assert html.index("Newest story") < html.index("Older story")
    assert 'aria-label="Lead story"' in html
    assert "Secret draft" not in html
    assert newest.get_absolute_url() in html


@pytest.mark.parametrize("view", ["section", "author", "tag"])
def test_listing_pages_show_published_stories_only(client, view):
    section, author, tag = SectionFactory(), AuthorFactory(bio="Covers the port."), TagFactory()
    for status in [Article.Status.PUBLISHED, Article.Status.DRAFT]:
        article = ArticleFactory(section=section, headline=f"A {status} story", status=status)
        BylineFactory(article=article, author=author)
        article.tags.add(tag)
    url = {"section": section, "author": author, "tag": tag}[view].get_absolute_url()

    html = client.get(url).content.decode()

    assert "A published story" in html
    assert "A draft story" not in html
    if view == "author":
        assert "Covers the port." in html


def test_listing_pages_paginate_and_refuse_bad_page_numbers(client):
    section = SectionFactory()
    ArticleFactory.create_batch(21, section=section)
    url = section.get_absolute_url()

    assert 'rel="next"' in client.get(url).content.decode()
    assert 'rel="prev"' in client.get(url, {"page": 2}).content.decode()
    for bad in ["3", "0", "-1", "abc", "9" * 30, "1.5"]:
        assert client.get(url, {"page": bad}).status_code == 404


def test_listing_query_count_is_constant(client, django_assert_max_num_queries):
    section = SectionFactory()
    for article in ArticleFactory.create_batch(20, section=section):
        BylineFactory(article=article)
        BylineFactory(article=article)

    with django_assert_max_num_queries(5):
        client.get(section.get_absolute_url())
    with django_assert_max_num_queries(4):
        client.get("/")


def test_unknown_pages_get_the_custom_404(client):
    response = client.get("/no-such-section/")

    assert response.status_code == 404
    assert "We can’t find that page" in response.content.decode()


def test_healthz_answers_ok_when_the_database_does(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_healthz_answers_503_when_the_database_does_not(client, monkeypatch):
    """A real refused connection: the database's port is pointed at a closed one."""
    connection.close()
    monkeypatch.setitem(connection.settings_dict, "PORT", "1")
    try:
        response = client.get("/healthz")
    finally:
        connection.close()

    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
