"""Hostile text from every Unicode category, through the importer and the admin, never breaks a public surface:
every page, feed, sitemap and search answers below 500, and feeds and sitemaps parse as XML."""

import io
import itertools
import json
from urllib.parse import quote
from xml.etree import ElementTree

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from articles.models import Article, Author, Tag

from .factories import SectionFactory, staff_user
from .public_surfaces import surface_paths
from .test_article_metadata import JSON_LD

pytestmark = pytest.mark.django_db

BOUNDED = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SPECIAL = [
    "\x00",
    "\x0b",
    "\x1b[31m",
    "\x85",
    "\x9f",
    "\ufeff",
    "\uffff",
    "\ud800",  # a lone surrogate: JSON can carry one ("\ud800"), PostgreSQL cannot
    "\u202eevil",
    "\u200f\u05e9\u05dc\u05d5\u05dd",
    "e" + "\u0301" * 50,
    "🔥",
    "👩🏽‍🚒",
    "!!!",
    "Иван Петров",
    "Беларусь",
    "村上春樹",
    "نجيب محفوظ",
    "admin",
    "  spaced   out  ",
    "]]></news:title><x>",
    "<script>alert(1)</script>",
    "a" * 300,
    "\u4e00" * 250,
]
# Every category but surrogates (st.characters leaves them out; SPECIAL has one).
hostile = st.one_of(
    st.text(max_size=40),
    st.sampled_from(SPECIAL),
    st.lists(st.sampled_from(SPECIAL), min_size=2, max_size=4).map("".join),
)
# Hostile text the importer takes as a headline or a name (short enough, something visible), so stories
# get published; tests/test_import_failures.py has what it refuses.
usable_headline = hostile.map(lambda text: f"{text[:60]} x")
usable_name = st.one_of(usable_headline, st.sampled_from([text for text in SPECIAL if 0 < len(text.strip()) < 80]))
# What a browser can send: UTF-8 has no lone surrogates.
typed = hostile.map(lambda text: text.encode("utf-8", "replace").decode())
unique = itertools.count()


def assert_every_surface_answers(article):
    event("every surface checked")
    client = Client()
    for path in [*surface_paths(article), f"/search/?q={quote(article.headline)}"]:
        response = client.get(path)
        assert response.status_code < 500, path
        if path.startswith("/feeds/") or path.endswith(".xml"):
            assert response.status_code == 200, path
            ElementTree.fromstring(response.content)
    page = client.get(article.get_absolute_url())
    if page.status_code == 200:
        [payload] = JSON_LD.findall(page.content.decode())
        assert json.loads(payload)["author"]


@BOUNDED
@given(
    headline=usable_headline,
    standfirst=hostile,
    author=usable_name,
    tag=usable_name,
    section=st.one_of(st.none(), hostile),
)
def test_hostile_text_through_the_importer_never_breaks_a_public_surface(
    tmp_path, headline, standfirst, author, tag, section
):
    body = f"<p>{standfirst}</p><p>Story {next(unique)}</p>"
    story = {"headline": headline, "standfirst": standfirst, "body_html": body, "authors": [author], "tags": [tag]}
    path = tmp_path / "wire.json"
    path.write_text(json.dumps({**story, "section": section, "dateline": headline, "source": author}))
    stderr = io.StringIO()

    try:
        call_command("import_articles", str(path), "--publish", stdout=io.StringIO(), stderr=stderr)
    except CommandError:
        assert len(stderr.getvalue().strip().splitlines()) == 1, stderr.getvalue()
        return

    assert_every_surface_answers(Article.objects.latest("id"))


@BOUNDED
@given(headline=typed, standfirst=typed, author=typed, tag=typed, source=typed, type_slug=st.booleans())
def test_hostile_text_through_the_admin_never_breaks_a_public_surface(
    headline, standfirst, author, tag, source, type_slug
):
    editor = Client()
    editor.force_login(staff_user("Editor"))
    section = SectionFactory()
    n = next(unique)
    # Names made unique per example: the admin rightly refuses a second topic of the same name. Slugs are
    # typed, or left for the site to fill.
    posted = [
        editor.post(
            reverse("admin:articles_author_add"),
            {"name": f"{author}{n}", "slug": f"author-{n}" if type_slug else "", "bio": standfirst},
        ),
        editor.post(
            reverse("admin:articles_tag_add"), {"name": f"{tag}{n}"[-80:], "slug": f"tag-{n}" if type_slug else ""}
        ),
    ]
    assert all(response.status_code < 500 for response in posted)
    author, tag = Author.objects.order_by("id").last(), Tag.objects.order_by("id").last()
    data = {
        "headline": headline,
        "slug": f"story-{n}" if type_slug else "",
        "standfirst": standfirst,
        "body": f"<p>{standfirst}</p>",
        "section": section.pk,
        "article_type": "news",
        "tags": [tag.pk] if tag else [],
        "dateline": headline[:120],
        "source": source[:120],
        "status": "published",
        "published_at_0": "",
        "published_at_1": "",
        "bylines-TOTAL_FORMS": "1",
        "bylines-INITIAL_FORMS": "0",
        "bylines-MIN_NUM_FORMS": "0",
        "bylines-MAX_NUM_FORMS": "1000",
        "bylines-0-author": author.pk if author else "",
        "bylines-0-role": "by",
        "bylines-0-position": "0",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
        "corrections-MIN_NUM_FORMS": "0",
        "corrections-MAX_NUM_FORMS": "1000",
    }
    before = Article.objects.count()

    response = editor.post(reverse("admin:articles_article_add"), data)

    assert response.status_code < 500
    if Article.objects.count() > before and author and tag:
        assert_every_surface_answers(Article.objects.latest("id"))
