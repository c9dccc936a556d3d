"""Control characters never reach a page, a feed or a sitemap: every save cleans plain text, and feeds and
sitemaps leave out what XML cannot carry in rows stored before that."""

from xml.etree import ElementTree

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article, Author, Correction, Policy, Section, Tag
from articles.sanitize import clean_html, clean_text

from .factories import ArticleFactory, BylineFactory, ImageFactory, TagFactory, staff_user
from .test_workflow import form_data

pytestmark = pytest.mark.django_db

FEEDS_AND_SITEMAPS = [
    "/feeds/rss/",
    "/feeds/atom/",
    "/feeds/corrections/rss/",
    "/feeds/corrections/atom/",
    "/news-sitemap.xml",
    "/sitemap.xml",
    "/sitemap-sections.xml",
]


def assert_valid_xml(client, paths):
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        ElementTree.fromstring(response.content)  # raises on what XML 1.0 forbids


def test_editor_pastes_a_vertical_tab_and_the_feeds_stay_valid(client):
    story = ArticleFactory()
    editor = Client()
    editor.force_login(staff_user("Editor"))

    response = editor.post(
        reverse("admin:articles_article_change", args=[story.pk]),
        form_data(story, headline="Flood\x0bwarning\x1b lifted", standfirst="Line one\x0bline two\x1b.\tEnd"),
    )

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.headline == "Flood warning lifted"
    assert story.standfirst == "Line one\nline two.\tEnd"  # Word's line break kept as one; tab kept
    assert_valid_xml(client, FEEDS_AND_SITEMAPS + [f"/feeds/sections/{story.section.slug}/rss/"])


def test_feeds_and_sitemaps_stay_valid_xml_with_controls_stored_before_they_were_refused(client):
    story = ArticleFactory()
    story.tags.add(TagFactory())
    byline = BylineFactory(article=story)
    Correction.objects.create(article=story, note="Fixed")
    # As stored by an older version: straight into the table, past save().
    Article.objects.filter(pk=story.pk).update(
        headline="Bad\x0bheadline\x1f", standfirst="Bad\x0bstandfirst", body="<p>Bad\x0cbody</p>"
    )
    Author.objects.filter(pk=byline.author_id).update(name="Bad\x08author", bio="\x1e")
    Section.objects.filter(pk=story.section_id).update(name="Bad\x01section", description="\x02")
    Tag.objects.update(name="Bad\x03tag")
    Correction.objects.update(note="Bad\x04note")

    assert_valid_xml(
        client,
        FEEDS_AND_SITEMAPS
        + [
            f"/feeds/sections/{story.section.slug}/atom/",
            f"/feeds/authors/{byline.author.slug}/rss/",
            f"/feeds/authors/{byline.author.slug}/atom/",
        ],
    )
    assert "Badheadline" in client.get("/news-sitemap.xml").content.decode()
    assert "Badheadline" in client.get("/feeds/atom/").content.decode()
    assert client.get(story.get_absolute_url()).status_code == 200


def test_every_plain_text_field_drops_control_characters_on_save():
    story = ArticleFactory(
        headline="A\x00B", standfirst="C\x07\r\nD", dateline="E\x1bF", source="G\x9fH", body="<p>I\x0bJ\x00</p>"
    )
    author = Author.objects.create(name="K\x01L", bio="M\x02N")
    tag = Tag.objects.create(name="O\x03P")
    section = Section.objects.create(name="Q\x04R", description="S\x05T")
    correction = Correction.objects.create(article=story, note="U\x06V")
    policy = Policy.objects.create(title="W\x0eX", slug="w", body="Y\x0fZ\n\nZ")
    image = ImageFactory(alt_text="a\x10b", caption="c\x11d", credit="e\x12f", source="g\x13h")

    story.refresh_from_db()
    assert (story.headline, story.standfirst, story.dateline, story.source) == ("AB", "C\nD", "EF", "GH")
    assert story.body == "<p>I\nJ</p>"
    assert (author.name, author.bio, tag.name, section.name, section.description) == ("KL", "MN", "OP", "QR", "ST")
    assert (correction.note, policy.title, policy.body) == ("UV", "WX", "YZ\n\nZ")
    assert (image.alt_text, image.caption, image.credit, image.source) == ("ab", "cd", "ef", "gh")


def test_clean_text_keeps_every_script_and_line_breaks_only_where_lines_belong():
    text = "Иван\u00a0Петров — 村上 ✓ 🔥 e\u0301 \u202eRTL\u2028"
    assert clean_text(text, multiline=False) == text
    assert clean_text("one\ttwo\nthree\x85four", multiline=False) == "one two three four"
    assert clean_text("one\ttwo\nthree\x85four", multiline=True) == "one\ttwo\nthree\nfour"
    assert clean_text("\ufeffHeadline\ud800\uffff", multiline=False) == "Headline"


def test_story_html_loses_control_characters_too():
    assert clean_html("<p>a\x00b\x1b[31mc\x7f</p>") == "<p>ab[31mc</p>"
