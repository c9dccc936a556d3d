from datetime import UTC, timedelta

import html5lib
import pytest
from django.contrib.staticfiles import finders
from django.utils import dateformat, timezone, translation
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from articles.models import Article, Correction
from newsroom.jinja2 import QUICK_FORMATS

from .factories import (
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    CorrectionFactory,
    SectionFactory,
    TagFactory,
    staff_user,
)

pytestmark = pytest.mark.django_db


def home_layout(response):
    """What the home page shows, as readers see it: the lead, the featured stories, each section's stories."""
    document = html5lib.HTMLParser(namespaceHTMLElements=False).parse(response.content.decode())

    layout = {"lead": None, "featured": [], "sections": []}
    for section in document.iter("section"):
        cards = ["".join(h.itertext()) for h in section.iter() if "card__headline" in (h.get("class") or "")]
        heading = section.get("aria-labelledby") or ""
        if "lead" in (section.get("class") or ""):
            [layout["lead"]] = cards
        elif heading == "featured-heading":
            layout["featured"] = cards
        elif heading.startswith("section-"):
            name = "".join(section.find(f".//*[@id='{heading}']").itertext())
            layout["sections"].append((name, cards))
    return layout


def test_editors_choose_the_lead_and_featured_stories_and_the_rest_follows_by_section(client):
    world, sport = SectionFactory(name="World", order=1), SectionFactory(name="Sport", order=2)
    chosen_lead = ArticleFactory(section=world, headline="Chosen lead", home_rank=1)
    chosen_lead.published_at = timezone.now() - timedelta(days=2)
    chosen_lead.save()
    ArticleFactory(section=sport, headline="Second feature", home_rank=3)
    ArticleFactory(section=sport, headline="First feature", home_rank=2)
    ArticleFactory(section=world, headline="Newest world story")
    ArticleFactory(section=sport, headline="Newest sport story")
    ArticleFactory(section=world, headline="Placed draft", home_rank=1, status=Article.Status.DRAFT)

    response = client.get("/")

    assert home_layout(response) == {
        "lead": "Chosen lead",
        "featured": ["First feature", "Second feature"],
        "sections": [("World", ["Newest world story"]), ("Sport", ["Newest sport story"])],
    }
    assert "Placed draft" not in response.content.decode()


def test_home_shows_at_most_four_latest_stories_a_section(client):
    section = SectionFactory()
    ArticleFactory.create_batch(7, section=section)

    layout = home_layout(client.get("/"))

    [(_, stories)] = layout["sections"]
    assert len(stories) == 4
    assert layout["featured"] == []


def test_a_section_whose_newest_stories_are_featured_still_shows_its_next_four(client):
    section = SectionFactory()
    now = timezone.now()
    stories = [ArticleFactory(section=section, published_at=now - timedelta(hours=hours)) for hours in range(8)]
    for rank, story in enumerate(stories[:3], start=1):
        story.home_rank = rank
        story.save()

    layout = home_layout(client.get("/"))

    headlines = [story.headline for story in stories]
    assert layout["lead"] == headlines[0]
    assert layout["featured"] == headlines[1:3]
    assert layout["sections"] == [(section.name, headlines[3:7])]


def test_home_query_count_does_not_grow_with_stories_sections_or_bylines(client, django_assert_max_num_queries):
    for section in SectionFactory.create_batch(6):
        for article in ArticleFactory.create_batch(8, section=section):
            BylineFactory(article=article)
            BylineFactory(article=article)
    Article.objects.filter(pk__in=Article.objects.values("pk")[:4]).update(home_rank=2)

    # the section navigation, the home stories, their bylines
    with django_assert_max_num_queries(3):
        assert client.get("/").status_code == 200


def test_date_archives_list_stories_by_day_month_and_year(client):
    when = timezone.now() - timedelta(days=40)
    article = ArticleFactory(headline="Archived story", published_at=when)
    ArticleFactory(headline="Archived draft", published_at=when, status=Article.Status.DRAFT)
    local = timezone.localtime(when)

    for url in [
        "/archive/",
        f"/archive/{local.year}/",
        f"/archive/{local.year}/{local.month:02d}/",
        f"/archive/{local.year}/{local.month:02d}/{local.day:02d}/",
    ]:
        html = client.get(url).content.decode()
        assert article.get_absolute_url() in html, url
        assert "Archived draft" not in html
        assert html.count("<h1") == 1
    assert client.get(f"/archive/{local.year - 5}/").status_code == 404
    assert client.get(f"/archive/{local.year}/13/").status_code == 404
    assert client.get(f"/archive/{local.year}/", {"page": "2"}).status_code == 404
    assert client.get(f"/archive/{local.year}/", {"page": "x"}).status_code == 404


@pytest.mark.parametrize("view", ["section", "author", "tag", "archive"])
def test_paginated_listings_announce_next_and_previous_pages_in_the_head(client, view):
    section, author, tag = SectionFactory(), AuthorFactory(), TagFactory()
    for article in ArticleFactory.create_batch(41, section=section):
        BylineFactory(article=article, author=author)
        article.tags.add(tag)
    url = {"section": section, "author": author, "tag": tag}.get(view)
    url = url.get_absolute_url() if url else "/archive/"

    head = client.get(url, {"page": 2}).content.decode().split("</head>")[0]

    assert '<link rel="prev" href="?page=1">' in head
    assert '<link rel="next" href="?page=3">' in head
    assert client.get(url, {"page": 4}).status_code == 404


def test_pages_declare_the_site_language_and_a_section_page_marks_its_navigation_link(client, settings):
    settings.LANGUAGE_CODE = "en-gb"
    world, sport = SectionFactory(name="World"), SectionFactory(name="Sport")
    ArticleFactory(section=world)
    ArticleFactory(section=sport)

    html = client.get(world.get_absolute_url()).content.decode()

    assert '<html lang="en-gb">' in html
    assert f'<a href="{world.get_absolute_url()}" aria-current="page">World</a>' in html
    assert f'<a href="{sport.get_absolute_url()}">Sport</a>' in html
    assert "aria-current" not in client.get("/").content.decode()


def test_every_page_offers_the_site_feeds_and_sections_and_authors_their_own(client):
    section, author = SectionFactory(), AuthorFactory(name="Ana Ruiz")
    article = ArticleFactory(section=section)
    BylineFactory(article=article, author=author)

    for url in ["/", article.get_absolute_url(), "/corrections/", "/archive/"]:
        head = client.get(url).content.decode().split("</head>")[0]
        assert '<link rel="alternate" type="application/rss+xml" title="The Newsroom (RSS)" href="/feeds/rss/">' in head
        assert 'type="application/atom+xml" title="The Newsroom (Atom)" href="/feeds/atom/"' in head
    section_head = client.get(section.get_absolute_url()).content.decode().split("</head>")[0]
    author_head = client.get(author.get_absolute_url()).content.decode().split("</head>")[0]
    assert f'href="/feeds/sections/{section.slug}/rss/"' in section_head
    assert f'href="/feeds/sections/{section.slug}/atom/"' in section_head
    assert f'href="/feeds/authors/{author.slug}/rss/"' in author_head
    assert f'href="/feeds/authors/{author.slug}/atom/"' in author_head


def test_corrections_page_lists_corrections_and_clarifications_newest_first_with_the_policy(client):
    article = ArticleFactory(headline="Port budget story")
    older = CorrectionFactory(article=article, note="The budget is £4m, not £40m.")
    CorrectionFactory(
        article=article,
        kind=Correction.Kind.CLARIFICATION,
        note="The figure excludes staff costs.",
        created_at=older.created_at + timedelta(hours=1),
    )
    CorrectionFactory(article=article, kind=Correction.Kind.UPDATE, note="Adds the mayor's reply.")
    hidden = ArticleFactory(status=Article.Status.WITHDRAWN)
    CorrectionFactory(article=hidden, note="Correction on a withdrawn story.")

    html = client.get("/corrections/").content.decode()

    assert html.index("The figure excludes staff costs.") < html.index("The budget is £4m, not £40m.")
    assert article.get_absolute_url() in html
    assert "Adds the mayor's reply." not in html
    assert "withdrawn story" not in html
    assert 'href="/policies/corrections/"' in html
    assert 'href="/feeds/corrections/rss/"' in html


def test_listing_pages_run_a_constant_number_of_queries(client, django_assert_max_num_queries):
    author, tag = AuthorFactory(), TagFactory()
    for article in ArticleFactory.create_batch(25):
        BylineFactory(article=article, author=author)
        BylineFactory(article=article)
        article.tags.add(tag, TagFactory())
        CorrectionFactory(article=article)
        CorrectionFactory(article=article, kind=Correction.Kind.CLARIFICATION)

    for url in [author.get_absolute_url(), tag.get_absolute_url()]:
        with django_assert_max_num_queries(5):
            assert client.get(url).status_code == 200

    with django_assert_max_num_queries(5):
        assert client.get("/corrections/").status_code == 200
    # the generic year view also looks up the years before and after, for its navigation
    with django_assert_max_num_queries(8):
        assert client.get(f"/archive/{timezone.localtime().year}/").status_code == 200


def test_favicon_ico_leads_to_the_sites_icon_and_every_page_links_it(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.ico"
    assert "max-age=86400" in response["Cache-Control"]
    with Image.open(finders.find("favicon.ico")) as icon:
        assert icon.format == "ICO" and (32, 32) in icon.info["sizes"]
    ArticleFactory()
    assert '<link rel="icon" href="/static/favicon.ico" sizes="any">' in client.get("/").content.decode()


def test_the_admin_links_the_sites_icon_too(client):
    client.force_login(staff_user("Editor"))

    for url in ["/admin/", "/admin/articles/article/", "/admin/articles/article/add/"]:
        assert '<link rel="icon" href="/static/favicon.ico" sizes="any">' in client.get(url).content.decode(), url


@settings(max_examples=200, deadline=None)
@given(moment=st.datetimes(timezones=st.just(UTC)), language=st.sampled_from(["en", "be", "ru", "de"]))
def test_card_dates_written_out_read_as_djangos_date_format(moment, language):
    with translation.override(language):
        for format_string, quick in QUICK_FORMATS.items():
            assert quick(moment) == dateformat.format(moment, format_string)
