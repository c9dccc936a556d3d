import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from articles.models import Article

from .factories import ArticleFactory, SectionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_identity")]

SITE = "https://news.test"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def test_sitemap_index_points_at_sections_and_articles_with_lastmod(client):
    article = ArticleFactory(updated_at=timezone.now() - timedelta(minutes=5))

    root = parse(client.get("/sitemap.xml"))

    entries = {s.findtext(f"{SM}loc"): s.findtext(f"{SM}lastmod") for s in root.iter(f"{SM}sitemap")}
    assert set(entries) == {f"{SITE}/sitemap-sections.xml", f"{SITE}/sitemap-articles.xml"}
    assert datetime.fromisoformat(entries[f"{SITE}/sitemap-articles.xml"]) == article.updated_at
    assert datetime.fromisoformat(entries[f"{SITE}/sitemap-sections.xml"]) == article.published_at


def test_article_sitemap_lists_published_stories_only_with_their_last_update(client):
    live = ArticleFactory()
    ArticleFactory(status=Article.Status.DRAFT)
    ArticleFactory(published_at=timezone.now() + timedelta(hours=1))

    root = parse(client.get("/sitemap-articles.xml"))

    [url] = root.iter(f"{SM}url")
    assert url.findtext(f"{SM}loc") == f"{SITE}{live.get_absolute_url()}"
    assert datetime.fromisoformat(url.findtext(f"{SM}lastmod")) == live.published_at


def test_section_sitemap_lists_every_section_on_the_site_url(client):
    world, empty = SectionFactory(name="World", slug="world"), SectionFactory(name="Empty", slug="empty")
    ArticleFactory(section=world)

    root = parse(client.get("/sitemap-sections.xml"))

    locs = [url.findtext(f"{SM}loc") for url in root.iter(f"{SM}url")]
    assert sorted(locs) == [f"{SITE}{empty.get_absolute_url()}", f"{SITE}{world.get_absolute_url()}"]


def test_news_sitemap_holds_only_the_last_48_hours_with_news_tags(client):
    fresh = ArticleFactory(
        headline="Harbour “reopens” & traders cheer", published_at=timezone.now() - timedelta(hours=47)
    )
    ArticleFactory(headline="Old news", published_at=timezone.now() - timedelta(hours=49))
    ArticleFactory(headline="Draft news", status=Article.Status.DRAFT)

    root = parse(client.get("/news-sitemap.xml"))

    [url] = root.iter(f"{SM}url")
    assert url.findtext(f"{SM}loc") == f"{SITE}{fresh.get_absolute_url()}"
    news = url.find(f"{NEWS}news")
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "Riverport Chronicle"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "en"
    assert datetime.fromisoformat(news.findtext(f"{NEWS}publication_date")) == fresh.published_at
    assert news.findtext(f"{NEWS}title") == "Harbour “reopens” & traders cheer"


def test_news_sitemap_stops_at_1000_stories(client, django_assert_max_num_queries):
    section, now = SectionFactory(), timezone.now()
    Article.objects.bulk_create(
        Article(
            headline=f"Story {n}",
            slug=f"bulk-{n}",
            section=section,
            status=Article.Status.PUBLISHED,
            published_at=now - timedelta(minutes=n + 1),
        )
        for n in range(1001)
    )

    with django_assert_max_num_queries(3):
        root = parse(client.get("/news-sitemap.xml"))

    assert len(list(root.iter(f"{SM}url"))) == 1000
    assert "bulk-1000" not in ET.tostring(root, encoding="unicode")


def test_sitemaps_run_a_constant_number_of_queries(client, django_assert_max_num_queries):
    for section in SectionFactory.create_batch(5):
        ArticleFactory.create_batch(10, section=section)

    for url, queries in [("/sitemap.xml", 4), ("/sitemap-sections.xml", 2), ("/sitemap-articles.xml", 2)]:
        with django_assert_max_num_queries(queries):
            assert client.get(url).status_code == 200


def test_robots_txt_names_both_sitemaps(client):
    response = client.get("/robots.txt")

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert f"Sitemap: {SITE}/news-sitemap.xml" in lines
    assert "Disallow: /admin/" in lines
