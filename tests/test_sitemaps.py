import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from articles.models import Article

from .factories import ArticleFactory, DraftFactory, SectionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_identity")]

SITE = "https://news.test"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def month_sitemap(moment):
    return f"{SITE}/sitemap-articles-{timezone.localtime(moment):%Y-%m}.xml"


def test_sitemap_index_points_at_sections_and_every_month_since_the_oldest_story(client):
    now = timezone.now()
    newest = ArticleFactory(published_at=now - timedelta(minutes=5))
    ArticleFactory(published_at=now - timedelta(days=70))
    ArticleFactory(published_at=now - timedelta(days=900), status=Article.Status.DRAFT)

    root = parse(client.get("/sitemap.xml"))

    entries = {s.findtext(f"{SM}loc"): s.findtext(f"{SM}lastmod") for s in root.iter(f"{SM}sitemap")}
    months = [loc for loc in entries if "sitemap-articles-" in loc]
    assert months[0] == month_sitemap(now) and month_sitemap(now - timedelta(days=70)) == months[-1]
    assert len(months) in (3, 4)  # 70 days back spans three or four calendar months
    assert set(entries) == {f"{SITE}/sitemap-sections.xml", *months}
    assert datetime.fromisoformat(entries[f"{SITE}/sitemap-sections.xml"]) == newest.published_at


def test_a_month_sitemap_lists_that_months_published_stories_only_with_their_last_update(client):
    now = timezone.now()
    live = ArticleFactory(updated_at=now - timedelta(minutes=5))
    ArticleFactory(status=Article.Status.DRAFT)
    ArticleFactory(published_at=now + timedelta(hours=1))
    old = ArticleFactory(published_at=now - timedelta(days=400))

    this_month = parse(client.get(month_sitemap(live.published_at).removeprefix(SITE)))
    that_month = parse(client.get(month_sitemap(old.published_at).removeprefix(SITE)))

    [url] = this_month.iter(f"{SM}url")
    assert url.findtext(f"{SM}loc") == f"{SITE}{live.get_absolute_url()}"
    assert datetime.fromisoformat(url.findtext(f"{SM}lastmod")) == live.updated_at
    assert [u.findtext(f"{SM}loc") for u in that_month.iter(f"{SM}url")] == [f"{SITE}{old.get_absolute_url()}"]


@pytest.mark.parametrize(
    "path", ["/sitemap-articles-2026-13.xml", "/sitemap-articles-0000-01.xml", "/sitemap-articles.xml"]
)
def test_a_month_that_cannot_exist_has_no_sitemap(client, path):
    assert client.get(path).status_code == 404


def test_section_sitemap_lists_every_section_with_a_published_story_on_the_site_url(client):
    world, sport = SectionFactory(name="World", slug="world"), SectionFactory(name="Sport", slug="sport")
    ArticleFactory(section=world)
    ArticleFactory(section=sport)
    DraftFactory(section=SectionFactory(name="Drafts only", slug="drafts-only"))
    SectionFactory(name="Empty", slug="empty")

    root = parse(client.get("/sitemap-sections.xml"))

    locs = [url.findtext(f"{SM}loc") for url in root.iter(f"{SM}url")]
    assert sorted(locs) == [f"{SITE}{sport.get_absolute_url()}", f"{SITE}{world.get_absolute_url()}"]


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

    month = f"/sitemap-articles-{timezone.localtime():%Y-%m}.xml"
    for url, queries in [("/sitemap.xml", 2), ("/sitemap-sections.xml", 2), (month, 2)]:
        with django_assert_max_num_queries(queries):
            assert client.get(url).status_code == 200


def test_robots_txt_names_both_sitemaps(client):
    response = client.get("/robots.txt")

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert f"Sitemap: {SITE}/news-sitemap.xml" in lines
    assert "Disallow: /admin/" in lines
