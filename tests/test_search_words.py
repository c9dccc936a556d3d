"""The search's walk over stories' words in the row (SearchWords) and its read path (articles/search_read.py)."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Q
from django.template import engines
from django.utils import timezone
from markupsafe import Markup

from articles import cards, search_read
from articles import search as search_module
from articles.models import Article, Card, SearchDocument, SearchWords
from articles.search import SearchForm, newest_matches, search_archive, search_query, walked_matches
from articles.search_sql import MARK_START

from .factories import ArticleFactory, DraftFactory, SectionFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def small_walks(monkeypatch):
    """Five candidates from the newest twenty stories, so a test needs tens of stories, not thousands."""
    monkeypatch.setattr(search_module, "CANDIDATES", 5)
    monkeypatch.setattr(search_module, "WALKED", 20)


def stories_over_days(count, headline, **fields):
    now = timezone.now()
    return [ArticleFactory(headline=headline, published_at=now - timedelta(days=day), **fields) for day in range(count)]


@pytest.mark.parametrize("filters", ["none", "section", "dates"])
def test_a_walk_finds_the_same_newest_matches_as_the_word_index(small_walks, filters):
    world, sport = SectionFactory(slug="world"), SectionFactory(slug="sport")
    for index, story in enumerate(stories_over_days(30, "Harbour news", section=world)):
        if index % 3:
            story.headline = "Ferry timetable"
            story.section = sport if index % 2 else world
            story.save()
    chosen = {
        "none": {},
        "section": {"section": world},
        "dates": {
            "published_after": (timezone.now() - timedelta(days=20)).date(),
            "published_before": timezone.now().date(),
        },
    }[filters]

    walked, go_on_from = walked_matches("ferry", chosen)

    assert walked == newest_matches(Q(vector=search_query("ferry")), chosen, 5)
    assert len(walked) == 5 and go_on_from is None


def test_a_word_rarer_than_the_walk_can_tell_goes_on_from_the_oldest_story_walked(small_walks):
    stories = stories_over_days(40, "Harbour news")
    for story in stories[1:3] + stories[25:35]:  # two in the walk's twenty, the rest older
        story.headline = "Ferry timetable"
        story.save()

    walked, go_on_from = walked_matches("ferry", {})
    results = search_archive("ferry")

    assert walked == [stories[1].pk, stories[2].pk]
    assert go_on_from == stories[19].published_at
    assert {story.pk for story in results.stories} == {story.pk for story in stories[1:3] + stories[25:28]}
    assert results.more


def test_a_range_smaller_than_the_walk_is_walked_whole(small_walks):
    stories = stories_over_days(10, "Ferry timetable")

    assert walked_matches("ferry", {}) == ([story.pk for story in stories[:5]], None)
    assert walked_matches("harbour", {}) == ([], None)


@pytest.mark.parametrize("query", ['"harbour news"', "well-known", "the of and"])
def test_phrases_and_queries_without_a_word_are_never_walked(small_walks, query):
    """Stripped words cannot answer them: PostgreSQL must see that while planning and read nothing."""
    stories_over_days(30, "Harbour news is well-known and the best")
    statements = []

    def capture(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        found = walked_matches(query, {})
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {statements[0][0]}", statements[0][1])
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert found[0] == [] and found[1] is not None  # the word index goes on from the newest story
    assert "One-Time Filter: false" in plan, plan


def test_the_read_path_ranks_and_shows_only_what_the_publishing_gate_lets_through():
    hour, now = timedelta(hours=1), timezone.now()
    everyone = [
        ArticleFactory(headline="Zeppelin over the bay"),
        ArticleFactory(headline="Zeppelin lands", body="<p>A zeppelin landed.</p>"),
        DraftFactory(headline="Draft zeppelin"),
        ArticleFactory(headline="Review zeppelin", status=Article.Status.REVIEW),
        ArticleFactory(headline="Scheduled zeppelin", published_at=now + hour),
        ArticleFactory(headline="Withdrawn zeppelin", status=Article.Status.WITHDRAWN),
        ArticleFactory(headline="Expired zeppelin", expires_at=now - hour),
        ArticleFactory(headline="Expiring zeppelin", expires_at=now + hour),
    ]
    keys = [story.pk for story in everyone]
    visible = set(Article.objects.published().filter(pk__in=keys).values_list("pk", flat=True))

    ranked = search_read.ranked("zeppelin", keys, timezone.now(), "default")
    shown = search_read.page_stories("zeppelin", keys, timezone.now(), "default")

    assert len(visible) == 3
    assert set(ranked) == visible and len(ranked) == 3
    assert [story.pk for story in shown] == [pk for pk in keys if pk in visible]
    assert MARK_START in shown[1].snippet  # the raw snippet: articles.search turns its markers into <mark>
    assert {story.pk for story in search_archive("zeppelin").stories} == visible


def test_a_storys_words_follow_its_search_document_and_go_with_it():
    story = ArticleFactory(headline="Harbour", body="<p>Ferries</p>")
    story.body = "<p>Lighthouses</p>"
    story.save()

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT w.words = strip(d.vector), w.words::text, w.published_at = d.published_at"
            "  FROM articles_searchwords w JOIN articles_searchdocument d USING (article_id) WHERE article_id = %s",
            [story.pk],
        )
        in_step, words, same_date = cursor.fetchone()
    assert in_step and same_date
    assert "lighthous" in words and "ferri" not in words

    story.delete()
    assert not SearchWords.objects.filter(article_id=story.pk).exists()
    assert not SearchDocument.objects.filter(article_id=story.pk).exists()


@pytest.mark.parametrize("story", cards.sample_stories(), ids=lambda story: story.slug)
def test_a_search_result_is_the_storys_card_with_the_snippet_for_its_summary(story):
    card = cards.render(story)

    result = cards.with_snippet(card, Markup("the <mark>word</mark>"))

    assert card.count('class="card__summary"') == 1
    assert '<p class="card__summary card__snippet">the <mark>word</mark></p>' in result
    assert 'class="card__summary"' not in result
    assert result.replace('<p class="card__summary card__snippet">the <mark>word</mark></p>', "") == cards.SUMMARY.sub(
        "", card
    )


def test_a_snippet_that_is_plain_text_is_escaped():
    card = cards.render(cards.sample_stories()[0])

    assert "&lt;script&gt;" in cards.with_snippet(card, "<script>alert(1)</script>")


def test_the_search_page_shows_the_card_stored_for_a_story(client):
    story = ArticleFactory(
        headline="Lighthouse keepers", standfirst="<b>Keepers</b> </p> of the light", body="<p>The lighthouse.</p>"
    )
    cards.make([story.pk])
    Card.objects.filter(pk=story.pk).update(
        html=Card.objects.get(pk=story.pk).html.replace("card__meta", "card__meta stored")
    )

    html = client.get("/search/", {"q": "lighthouse"}).content.decode()

    assert 'class="card__meta stored"' in html
    assert '<p class="card__summary card__snippet">' in html and "<mark>lighthouse</mark>" in html
    assert "&lt;b&gt;Keepers" not in html  # the summary gave way to the snippet


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"q": "minsk", "section": "world", "published_after": "2020-01-01"},
        {"q": 'x" <b>' * 40, "section": "nowhere", "published_before": "9999-12-31", "published_after": "2021-02-30"},
        {"q": "Ærø “quotes” & <script>", "published_before": "1899-12-31"},
    ],
)
def test_the_search_form_fields_are_written_as_djangos_widgets_write_them(data):
    world = SectionFactory(slug="world", name="World & <Co>")
    form = SearchForm(data, sections=[world, SectionFactory(slug="sport", name="Sport")])
    form.is_valid()
    macro = engines["jinja2"].env.get_template("articles/_search_field.html").module.search_field

    def tidy(html):
        """Whitespace between tags aside, and the two spellings of an escaped quote (Jinja's and Django's)."""
        html = str(html).replace("&#34;", "&quot;").replace("&#39;", "&#x27;")
        return re.sub(r">\s+", ">", re.sub(r"\s+<", "<", html)).strip()

    for field in form:
        assert tidy(macro(field)) == tidy(f"{field.label_tag()} {field}")
