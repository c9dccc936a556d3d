"""Names in any script get a readable, stable, unique slug, and every page and feed that shows them answers."""

import json
from importlib import import_module
from urllib.parse import quote
from xml.etree import ElementTree

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from articles.models import Article, Author, Section, Tag

from .factories import ArticleFactory, SectionFactory, staff_user
from .test_workflow import form_data

pytestmark = pytest.mark.django_db

NAMES = [
    ("Иван Петров", "иван-петров"),
    ("Αλέξης Τσίπρας", "αλέξης-τσίπρας"),
    ("نجيب محفوظ", "نجيب-محفوظ"),
    ("דוד גרוסמן", "דוד-גרוסמן"),
    ("村上春樹", "村上春樹"),
    ("Tomás Ñúñez", "tomás-ñúñez"),
    ("🔥", "author"),
    ("!!!", "author"),
]


def import_json(tmp_path, stories, name="stories.json"):
    path = tmp_path / name
    path.write_text(json.dumps(stories), encoding="utf-8")
    call_command("import_articles", str(path), "--publish")


def assert_feed_parses(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    ElementTree.fromstring(response.content)


@pytest.mark.parametrize(("name", "slug"), NAMES)
def test_a_name_in_any_script_gets_a_readable_slug_and_a_page(client, name, slug):
    author = Author.objects.create(name=name)
    ArticleFactory().bylines.create(author=author)

    assert author.slug == slug
    assert client.get(author.get_absolute_url()).status_code == 200
    assert client.get(reverse("articles:author_feed_atom", kwargs={"slug": slug})).status_code == 200
    author.name = "Renamed"
    author.save()
    assert Author.objects.get(pk=author.pk).slug == slug  # stable: addresses do not move with the name


def test_cyrillic_authors_and_topics_import_as_separate_records_and_every_surface_answers(tmp_path, client):
    import_json(
        tmp_path,
        {
            "headline": "Минск готовит ополчение",
            "body_html": "<p>Текст.</p>",
            "section": "Беларусь",
            "authors": ["Иван Петров", "Анна Смирнова"],
            "tags": ["Беларусь"],
        },
    )

    article = Article.objects.get()
    assert sorted(Author.objects.values_list("name", "slug")) == [
        ("Анна Смирнова", "анна-смирнова"),
        ("Иван Петров", "иван-петров"),
    ]
    assert (article.slug, article.section.slug, article.tags.get().slug) == (
        "минск-готовит-ополчение",
        "беларусь",
        "беларусь",
    )
    # reverse() percent-encodes the IRI: the URL in feeds and sitemaps is plain ASCII.
    assert article.get_absolute_url() == f"/{quote('беларусь')}/{quote('минск-готовит-ополчение')}/"
    for path in [
        article.get_absolute_url(),
        article.section.get_absolute_url(),
        article.tags.get().get_absolute_url(),
        *(author.get_absolute_url() for author in Author.objects.all()),
        "/",
    ]:
        assert client.get(path).status_code == 200, path
    for path in [
        "/feeds/rss/",
        "/feeds/atom/",
        f"/feeds/sections/{quote('беларусь')}/rss/",
        f"/feeds/authors/{quote('иван-петров')}/atom/",
        "/sitemap-sections.xml",
        "/news-sitemap.xml",
    ]:
        assert_feed_parses(client, path)
    assert article.canonical_url.endswith(article.get_absolute_url())
    assert article.get_absolute_url() in client.get("/news-sitemap.xml").content.decode()


@pytest.mark.postgres  # SQLite's case-insensitive match folds only ASCII: there "иван петров" is someone new
def test_an_emoji_author_is_never_credited_as_someone_else(tmp_path):
    import_json(tmp_path, {"headline": "First", "authors": ["Иван Петров"]}, "one.json")
    import_json(tmp_path, {"headline": "Second", "authors": ["🔥"]}, "two.json")
    import_json(tmp_path, {"headline": "Third", "authors": ["иван  петров"]}, "three.json")

    bylines = dict(Article.objects.values_list("headline", "bylines__author__name"))
    assert bylines == {"First": "Иван Петров", "Second": "🔥", "Third": "Иван Петров"}
    assert Author.objects.get(name="🔥").slug == "author"


def test_topics_that_slug_alike_stay_separate_and_spacing_does_not_make_a_new_one(tmp_path):
    wire = {"source": "Wire"}
    import_json(
        tmp_path, {"headline": "One", "tags": ["U.S.", "US", "New York", "New  York", "!!!"], **wire}, "one.json"
    )
    import_json(tmp_path, {"headline": "Two", "tags": ["E.U."], **wire}, "two.json")
    import_json(tmp_path, {"headline": "Three", "tags": ["EU", "???"], **wire}, "three.json")

    assert dict(Tag.objects.values_list("name", "slug")) == {
        "U.S.": "us",
        "US": "us-2",
        "New York": "new-york",
        "!!!": "topic",
        "E.U.": "eu",
        "EU": "eu-2",
        "???": "topic-2",
    }


def test_a_new_section_never_takes_an_address_the_site_uses():
    assert Section.objects.create(name="Admin").slug == "admin-2"
    assert Section.objects.create(name="Sitemap").slug == "sitemap-2"
    assert Section.objects.create(name="🔥").slug == "section"


def test_editor_adds_topics_authors_and_sections_in_cyrillic_without_typing_a_slug():
    client = Client()
    client.force_login(staff_user("Editor"))

    for model, data in [
        ("tag", {"name": "Беларусь", "slug": ""}),
        ("author", {"name": "Иван Петров", "slug": "", "bio": ""}),
        ("section", {"name": "Общество", "slug": "", "description": "", "order": "0"}),
        ("tag", {"name": "🔥", "slug": ""}),
    ]:
        response = client.post(reverse(f"admin:articles_{model}_add"), data)
        assert response.status_code == 302, (model, data)

    assert Tag.objects.get(name="Беларусь").slug == "беларусь"
    assert Tag.objects.get(name="🔥").slug == "topic"
    assert Author.objects.get().slug == "иван-петров"
    assert Section.objects.get().slug == "общество"


def test_admin_form_prepopulates_slugs_in_any_script():
    """The admin's slug script keeps Cyrillic only when told the field allows Unicode."""
    client = Client()
    client.force_login(staff_user("Editor"))

    for model in ["article", "tag", "author", "section"]:
        html = client.get(reverse(f"admin:articles_{model}_add")).content.decode()
        assert "&quot;allowUnicode&quot;: true" in html, model


def test_editor_saves_a_story_with_an_empty_slug_and_gets_a_unique_one():
    section = SectionFactory()
    ArticleFactory(headline="Выборы", slug="выборы", section=section)
    story = ArticleFactory(headline="Выборы", slug="old", section=section)
    client = Client()
    client.force_login(staff_user("Editor"))

    response = client.post(
        reverse("admin:articles_article_change", args=[story.pk]), form_data(story, slug="", headline="Выборы")
    )

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.slug == "выборы-2"
    assert Client().get(story.get_absolute_url()).status_code == 200


def test_rows_left_with_an_empty_slug_by_the_old_importer_get_one_when_migrating(client):
    """Migration 0012 mends what the ASCII-only slugs left behind: pages that answered 500."""
    story = ArticleFactory(headline="Минск", section=SectionFactory(name="Беларусь"))
    author = Author.objects.create(name="Иван Петров")
    story.bylines.create(author=author)
    Article.objects.filter(pk=story.pk).update(slug="")
    Author.objects.filter(pk=author.pk).update(slug="")
    Section.objects.filter(pk=story.section_id).update(slug="")

    import_module("articles.migrations.0012_unicode_names").fill_empty_slugs(apps, None)

    story = Article.objects.get(pk=story.pk)
    assert (story.slug, story.section.slug, story.authors.get().slug) == ("минск", "беларусь", "иван-петров")
    assert client.get(story.get_absolute_url()).status_code == 200
    assert client.get("/feeds/rss/").status_code == 200
