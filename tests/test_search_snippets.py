"""Search result snippets: the body around the first match, its words marked, however far down it comes.

The database reads a part of the body from just before the first word that begins like a query word, and
the whole body when that part has no match (articles_snippet in articles/search_sql.py).
"""

import re

import pytest

from .factories import ArticleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

FILLER = "The council met again on Tuesday and spoke about the budget. "


def snippet(client, query):
    html = client.get("/search/", {"q": query}).content.decode()
    [found] = re.findall(r'<p class="card__summary card__snippet">(.*?)</p>', html, re.S)
    return found


def test_a_match_far_down_a_long_story_is_shown_marked(client):
    ArticleFactory(headline="Harbour", body=f"<p>{FILLER * 60}</p><p>Then the old harbour crane fell over.</p>")

    shown = snippet(client, "cranes")

    assert "old harbour <mark>crane</mark> fell over" in shown
    assert not shown.startswith("The council met again on Tuesday")


def test_a_word_whose_stem_is_not_how_it_begins_is_marked(client):
    """'citi' is the stem of "city": the story is still shown with the word marked."""
    ArticleFactory(headline="Council", body=f"<p>{FILLER * 30}</p><p>The city will pay for the new bridge.</p>")

    assert "The <mark>city</mark> will pay" in snippet(client, "cities")


def test_a_word_that_only_begins_like_the_query_does_not_hide_a_later_match(client):
    """'sky' begins "skyline", which does not match; the match ("skies") comes long after it."""
    ArticleFactory(
        headline="Weather", body=f"<p>The skyline was grey. {FILLER * 30}</p><p>Tomorrow brings clear skies.</p>"
    )

    assert "Tomorrow brings clear <mark>skies</mark>" in snippet(client, "sky")


def test_a_part_cut_inside_a_link_shows_no_piece_of_its_markup(client):
    """The part read starts 300 characters before the match and ends 700 after it: here both cuts fall in a link."""
    before = '<a href="https://example.com/' + "a" * 320 + '" title="x y">crane</a>'
    after = ' driver <a href="https://example.com/' + "b" * 700 + '" title="x y">union</a>'
    article = ArticleFactory(headline="Port", body=f"<p>{FILLER * 5}{before}{after} strike.</p>")
    hit = article.body.index("crane")
    assert article.body.rindex("<a", 0, hit - 300) > article.body.rindex(">", 0, hit - 300)
    assert article.body.rindex("<a", 0, hit + 700) > article.body.rindex(">", 0, hit + 700)

    shown = snippet(client, "crane")

    assert "<mark>crane</mark> driver" in shown
    for markup in ["title", "href", "example.com", "&gt;", "&lt;", "&quot;", "aaa", "bbb"]:
        assert markup not in shown


def test_a_story_found_by_its_headline_shows_its_bodys_first_fifteen_words(client):
    ArticleFactory(headline="Harbour crane", body=f"<p>&quot;{FILLER * 20}</p>")

    shown = snippet(client, "crane")

    assert shown.strip() == "&quot;The council met again on Tuesday and spoke about the budget. The council met again"
