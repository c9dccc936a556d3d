import xml.etree.ElementTree as ET
from datetime import timedelta

import feedparser
import pytest

from articles.models import Article, Byline, Correction

from .factories import (
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    CorrectionFactory,
    ImageFactory,
    SectionFactory,
    TagFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_identity")]

SITE = "https://news.test"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"


@pytest.fixture
def story():
    article = ArticleFactory(
        headline="Ferry fares frozen for a year",
        standfirst="The council keeps prices where they are.",
        body="<p>Full text of the ferry story.</p>",
        updated_at=None,
    )
    article.updated_at = article.published_at + timedelta(minutes=30)
    article.save()
    for position, name in enumerate(["Ana Ruiz", "Li Wei", "Sam Okafor"]):
        BylineFactory(article=article, author=AuthorFactory(name=name), position=position)
    article.tags.add(TagFactory(name="Ferries"), TagFactory(name="Fares"))
    return article


def test_site_rss_feed_lists_published_stories_with_dates_links_bylines_and_categories(client, story):
    ArticleFactory(headline="Unfinished draft", status=Article.Status.DRAFT)

    response = client.get("/feeds/rss/")
    feed = feedparser.parse(response.content)

    assert response["Content-Type"].startswith("application/rss+xml")
    assert feed.version == "rss20"
    assert feed.feed.title == "Riverport Chronicle"
    assert feed.feed.link == f"{SITE}/"
    [entry] = feed.entries
    assert entry.title == "Ferry fares frozen for a year"
    assert entry.link == f"{SITE}{story.get_absolute_url()}"
    assert entry.summary == "The council keeps prices where they are."
    assert entry.published_parsed[:6] == story.published_at.utctimetuple()[:6]
    assert [tag.term for tag in entry.tags] == [story.section.name, "Fares", "Ferries"]
    item = ET.fromstring(response.content).find("channel/item")
    assert [creator.text for creator in item.findall(DC_CREATOR)] == ["Ana Ruiz", "Li Wei", "Sam Okafor"]
    assert item.find(CONTENT_ENCODED) is None


def test_site_atom_feed_credits_every_byline_with_publish_and_update_times(client, story):
    feed = feedparser.parse(client.get("/feeds/atom/").content)

    assert feed.version == "atom10"
    [entry] = feed.entries
    assert entry.link == f"{SITE}{story.get_absolute_url()}"
    assert entry.published_parsed[:6] == story.published_at.utctimetuple()[:6]
    assert entry.updated_parsed[:6] == story.updated_at.utctimetuple()[:6]
    assert [(a.name, a.href) for a in entry.authors] == [
        (byline.author.name, f"{SITE}{byline.author.get_absolute_url()}") for byline in story.bylines.all()
    ]


def test_feeds_carry_the_full_sanitised_text_when_the_setting_asks(client, settings, story):
    settings.FEED_FULL_TEXT = True

    rss = ET.fromstring(client.get("/feeds/rss/").content)
    atom = feedparser.parse(client.get("/feeds/atom/").content)

    assert rss.find(f"channel/item/{CONTENT_ENCODED}").text == "<p>Full text of the ferry story.</p>"
    assert atom.entries[0].content[0].value == "<p>Full text of the ferry story.</p>"


def test_feed_announces_the_lead_image_as_an_enclosure(client, story):
    story.lead_image = ImageFactory()
    story.save()
    share = story.lead_image.share_rendition

    entry = feedparser.parse(client.get("/feeds/rss/").content).entries[0]
    html = client.get(story.get_absolute_url()).content.decode()

    assert entry.enclosures[0].href == f"{SITE}/media/{share.name}"
    assert int(entry.enclosures[0].length) > 1000
    assert entry.enclosures[0].type == "image/jpeg"
    assert f'<meta property="og:image" content="{SITE}/media/{share.name}">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html


def test_section_and_author_feeds_hold_only_their_own_stories(client, story):
    other = ArticleFactory(headline="Elsewhere entirely")
    author = story.bylines.first().author

    section_feed = feedparser.parse(client.get(f"/feeds/sections/{story.section.slug}/rss/").content)
    author_feed = feedparser.parse(client.get(f"/feeds/authors/{author.slug}/atom/").content)

    assert [e.title for e in section_feed.entries] == [story.headline]
    assert section_feed.feed.link == f"{SITE}{story.section.get_absolute_url()}"
    assert [e.title for e in author_feed.entries] == [story.headline]
    assert other.headline not in str(section_feed) + str(author_feed)
    assert client.get("/feeds/sections/no-such-section/rss/").status_code == 404
    assert client.get("/feeds/authors/nobody/atom/").status_code == 404


def test_corrections_feed_lists_corrections_newest_first(client, story):
    older = CorrectionFactory(article=story, note="The fare is £2, not £3.")
    CorrectionFactory(
        article=story,
        note="The ferry runs hourly.",
        kind=Correction.Kind.CLARIFICATION,
        created_at=older.created_at + timedelta(hours=1),
    )

    feed = feedparser.parse(client.get("/feeds/corrections/atom/").content)

    assert [e.summary for e in feed.entries] == ["The ferry runs hourly.", "The fare is £2, not £3."]
    assert feed.entries[0].title == f"Clarification: {story.headline}"
    assert feed.entries[0].link == f"{SITE}{story.get_absolute_url()}"


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/"])
def test_feed_revalidation_gets_304(client, story, url):
    first = client.get(url)

    assert first["Last-Modified"] and first["ETag"]
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
    assert client.get(url, headers={"if-modified-since": first["Last-Modified"]}).status_code == 304
    story.headline = "Ferry fares frozen for two years"
    story.updated_at = story.updated_at + timedelta(minutes=5)
    story.save()
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 200


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/", "/feeds/corrections/rss/", "section", "author"])
def test_feed_query_count_does_not_grow_with_stories(client, django_assert_max_num_queries, url):
    section, author = SectionFactory(), AuthorFactory()
    for article in ArticleFactory.create_batch(30, section=section):
        BylineFactory(article=article, author=author)
        BylineFactory(article=article, role=Byline.Role.PHOTOS)
        article.tags.add(TagFactory(), TagFactory())
        CorrectionFactory(article=article)
    url = {"section": f"/feeds/sections/{section.slug}/rss/", "author": f"/feeds/authors/{author.slug}/rss/"}.get(
        url, url
    )

    with django_assert_max_num_queries(4):
        assert client.get(url).status_code == 200
