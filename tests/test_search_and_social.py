"""A story's SEO title, meta description, social headline and social description: where readers' tools see them."""

import json

import html5lib
import pytest
from django.core.management import CommandError, call_command
from reversion.models import Version

from articles.models import Article

from .factories import ArticleFactory, staff_user
from .test_revisions import revision_url, save_in_admin
from .test_workflow import change_url, client_for, form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_identity")]

WORDING = {
    "seo_title": "Riverport tram line: route, stops and fares",
    "seo_description": "Everything about the new tram line: twelve stops, fares from €1.50, first tram at 5am.",
    "social_headline": "The tram is back in Riverport after 60 years",
    "social_description": "Twelve stops, one line, and a city that waited six decades.",
}


def head(client, article):
    """What the story page's <head> tells browsers, search engines and social networks."""
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    document = html5lib.HTMLParser(namespaceHTMLElements=False).parse(response.content.decode())
    meta = {}
    for tag in document.iter("meta"):
        key = tag.get("property") or tag.get("name")
        if key:
            meta[key] = tag.get("content")
    [json_ld] = [script.text for script in document.iter("script") if script.get("type") == "application/ld+json"]
    return document.find(".//title").text, meta, json.loads(json_ld)


def test_story_page_uses_the_search_and_social_wording_where_each_belongs(client):
    article = ArticleFactory(headline="Tram line opens", standfirst="Twelve stops, one line.", **WORDING)

    title, meta, data = head(client, article)

    assert title == "Riverport tram line: route, stops and fares | Riverport Chronicle"
    assert meta["description"] == WORDING["seo_description"]
    assert meta["og:title"] == meta["twitter:title"] == WORDING["social_headline"]
    assert meta["og:description"] == meta["twitter:description"] == WORDING["social_description"]
    # Google shows the NewsArticle's own headline; the SEO title rides along as its alternative.
    assert data["headline"] == "Tram line opens"
    assert data["alternativeHeadline"] == WORDING["seo_title"]
    assert data["description"] == WORDING["seo_description"]


def test_story_page_without_them_falls_back_to_headline_and_standfirst(client):
    article = ArticleFactory(headline="Tram line opens", standfirst="Twelve stops, one line.")

    title, meta, data = head(client, article)

    assert title == "Tram line opens | Riverport Chronicle"
    assert meta["description"] == "Twelve stops, one line."
    assert meta["og:title"] == meta["twitter:title"] == "Tram line opens"
    assert meta["og:description"] == meta["twitter:description"] == "Twelve stops, one line."
    assert data["headline"] == "Tram line opens"
    assert data["description"] == "Twelve stops, one line."
    assert "alternativeHeadline" not in data


def test_feeds_keep_the_real_headline(client):
    ArticleFactory(headline="Tram line opens", **WORDING)

    feed = client.get("/feeds/rss/").content.decode()

    assert "Tram line opens" in feed
    assert WORDING["seo_title"] not in feed and WORDING["social_headline"] not in feed


def test_editor_writes_the_search_and_social_wording_in_the_story_form(client):
    editor = client_for(staff_user("Editor"))
    article = ArticleFactory(headline="Tram line opens")
    form = editor.get(change_url(article)).content.decode()
    assert "Search and social" in form and 'name="seo_description"' in form

    typed = {**WORDING, "seo_title": "Tram\x07 line:\tfares"}
    response = editor.post(change_url(article), form_data(article, **typed))

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.seo_title == "Tram line: fares"  # plain text: controls go, the tab becomes a space
    assert [getattr(article, name) for name in Article.SEARCH_AND_SOCIAL[1:]] == [
        WORDING["seo_description"],
        WORDING["social_headline"],
        WORDING["social_description"],
    ]
    title, _, _ = head(client, article)
    assert title == "Tram line: fares | Riverport Chronicle"


def test_too_long_a_meta_description_is_a_form_error_with_the_text_kept():
    editor = client_for(staff_user("Editor"))
    article = ArticleFactory()
    too_long = "Fares. " * 30

    response = editor.post(change_url(article), form_data(article, seo_description=too_long))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Ensure this value has at most 160 characters" in page
    assert too_long.strip() in page


def test_json_import_takes_the_search_and_social_wording(tmp_path):
    path = tmp_path / "stories.json"
    path.write_text(
        json.dumps({"headline": "Tram line opens", "status": "published", "source": "Wire agency", **WORDING})
    )

    call_command("import_articles", str(path))

    article = Article.objects.get()
    assert {name: getattr(article, name) for name in Article.SEARCH_AND_SOCIAL} == WORDING


@pytest.mark.parametrize(
    "story, message",
    [
        ({"seo_title": "x" * 111}, "“seo_title” is longer than 110 characters"),
        ({"seo_description": "x" * 161}, "“seo_description” is longer than 160 characters"),
        ({"social_headline": ["Trams"]}, "“social_headline” must be a string"),
        ({"social_description": "x" * 201}, "“social_description” is longer than 200 characters"),
    ],
)
def test_json_import_refuses_search_and_social_wording_that_does_not_fit(tmp_path, capsys, story, message):
    path = tmp_path / "stories.json"
    path.write_text(json.dumps({"headline": "Tram line opens", **story}))

    with pytest.raises(CommandError):
        call_command("import_articles", str(path))

    assert message in capsys.readouterr().err
    assert not Article.objects.exists()


def test_restoring_a_revision_brings_the_search_and_social_wording_back_and_the_page_compares_it():
    editor = client_for(staff_user("Editor"))
    story = ArticleFactory(headline="Tram line opens")
    save_in_admin(editor, story, **WORDING)
    first = Version.objects.get_for_object(story).first()
    save_in_admin(editor, story, seo_title="", social_headline="Trams return")

    page = editor.get(revision_url(story, first)).content.decode()
    assert '<th scope="row">SEO title</th>' in page and "<del>Riverport" in page
    editor.post(revision_url(story, first), {"base_version": story.version})

    story.refresh_from_db()
    assert {name: getattr(story, name) for name in Article.SEARCH_AND_SOCIAL} == WORDING


def test_a_clashing_save_shows_the_social_headline_side_by_side():
    alice, bob = client_for(staff_user("Editor", "alice")), client_for(staff_user("Editor", "bob"))
    story = ArticleFactory(headline="Tram line opens")
    opened = form_data(story)
    alice.post(change_url(story), form_data(story, social_headline="Trams are back"))

    response = bob.post(change_url(story), {**opened, "social_headline": "All aboard"})

    page = response.content.decode()
    assert response.status_code == 200 and 'class="conflict"' in page
    assert '<th scope="row">Social headline</th>' in page and "Trams are back" in page
    assert 'name="resolve_social_headline"' in page
