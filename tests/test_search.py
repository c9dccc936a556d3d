from datetime import timedelta

import hypothesis
import pytest
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from articles import search as search_module
from articles import views
from articles.importers import import_file
from articles.management.commands.load_demo import SAMPLE_STORY
from articles.models import Article, Byline
from articles.search import MAX_QUERY_LENGTH
from articles.search_sql import follow_language_setting

from .factories import (
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    DraftFactory,
    SectionFactory,
    TagFactory,
    staff_user,
)

pytestmark = pytest.mark.django_db
SAMPLE = str(SAMPLE_STORY)


def search(client, **params):
    response = client.get("/search/", params)
    return response, response.content.decode()


def test_every_page_has_a_search_form_in_the_header(client):
    html = client.get("/").content.decode()

    assert '<form role="search" aria-label="Site" class="site-search" action="/search/" method="get">' in html


def test_search_page_without_a_query_shows_the_form_and_no_message(client):
    response, html = search(client)

    assert response.status_code == 200
    assert 'name="q"' in html
    assert "Type a word" not in html


def test_empty_search_asks_for_a_word(client):
    response, html = search(client, q="   ")

    assert response.status_code == 200
    assert "Type a word, a name or a phrase to search the archive." in html


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("x" * 5000, 400, "Please shorten your search to 200 characters or fewer."),
        ('"unbalanced quotes', 200, "No published stories match"),
        ("&|!:*() militia:* & !", 200, "No published stories match"),
        ("'; DROP TABLE articles_article; --", 200, "No published stories match"),
    ],
)
def test_bad_queries_get_a_normal_page_with_a_message(client, query, status, message):
    ArticleFactory(headline="Bridge reopens")

    response, html = search(client, q=query)

    assert response.status_code == status
    assert message in html
    assert '<form class="search-form"' in html


def test_bad_filters_are_refused_with_a_message(client):
    response, html = search(client, q="bridge", section="no-such-section", published_after="yesterday")

    assert response.status_code == 400
    assert "There is no such section; choose one from the list." in html
    assert "Enter a valid date." in html


def test_search_finds_a_published_story_on_any_database(client):
    ArticleFactory(headline="Bridge reopens after repairs", body="<p>Traffic flows again.</p>")
    ArticleFactory(headline="Council meets")

    response, html = search(client, q="bridge")

    assert response.status_code == 200
    assert "Bridge reopens after repairs" in html
    assert "Council meets" not in html
    assert "1 story matches" in html


def test_drafts_scheduled_withdrawn_and_expired_stories_are_never_found(client):
    hour = timedelta(hours=1)
    DraftFactory(headline="Secret zeppelin draft", body="<p>zeppelin</p>")
    ArticleFactory(headline="Scheduled zeppelin", published_at=timezone.now() + hour)
    ArticleFactory(headline="Withdrawn zeppelin", status=Article.Status.WITHDRAWN)
    ArticleFactory(headline="Expired zeppelin", expires_at=timezone.now() - hour)
    ArticleFactory(headline="Live zeppelin story")

    response, html = search(client, q="zeppelin")

    assert "Live zeppelin story" in html
    assert "1 story matches" in html
    for hidden in ["Secret", "Scheduled zeppelin", "Withdrawn zeppelin", "Expired zeppelin"]:
        assert hidden not in html


def test_filters_narrow_results_by_section_and_date(client):
    world, sport = SectionFactory(slug="world"), SectionFactory(slug="sport")
    old = timezone.now() - timedelta(days=400)
    ArticleFactory(headline="Harbour story in world", section=world)
    ArticleFactory(headline="Harbour story in sport", section=sport)
    ArticleFactory(headline="Old harbour story in world", section=world, published_at=old)

    _, by_section = search(client, q="harbour", section="world")
    _, by_date = search(client, q="harbour", published_before=(old + timedelta(days=1)).date().isoformat())

    assert "Harbour story in world" in by_section and "Old harbour story in world" in by_section
    assert "in sport" not in by_section
    assert "Old harbour story in world" in by_date and "Harbour story in world<" not in by_date


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("query", "wanted", "unwanted", "wanted_body", "unwanted_body"),
    [
        ('"Minsk agreements"', "Talks", "Trade", "Back to the Minsk agreements.", "Minsk signed trade agreements."),
        ("militia -Lukashenko", "History", "Plan", "The militia of 1812.", "Lukashenko orders a militia."),
        (
            'militia -"Minsk agreements"',
            "Drill",
            "Pact",
            "The militia drilled near Minsk under new agreements.",
            "The militia and the Minsk agreements.",
        ),
    ],
    ids=[
        "phrase search finds the exact phrase only",
        "a minus word excludes stories with it",
        "a minus phrase excludes only the phrase",
    ],
)
def test_readers_search_syntax(client, query, wanted, unwanted, wanted_body, unwanted_body):
    ArticleFactory(headline=wanted, body=f"<p>{wanted_body}</p>")
    ArticleFactory(headline=unwanted, body=f"<p>{unwanted_body}</p>")

    _, html = search(client, q=query)

    assert f">{wanted}<" in html
    assert f">{unwanted}<" not in html


@pytest.mark.postgres
def test_matches_from_every_date_window_are_found_once_newest_first(client, monkeypatch):
    """The candidates come from a week, a year, five years and the rest, each window after the last."""
    monkeypatch.setattr(search_module, "CANDIDATES", 4)
    now = timezone.now()
    for days, headline in [(2, "This week"), (100, "This year"), (1000, "Three years"), (4000, "Eleven years")]:
        ArticleFactory(headline=f"{headline} lighthouse", published_at=now - timedelta(days=days))
    ArticleFactory(headline="Oldest lighthouse", published_at=now - timedelta(days=5000))

    _, html = search(client, q="lighthouse")

    assert "More than 4 stories match" in html
    for headline in ["This week", "This year", "Three years", "Eleven years"]:
        assert html.count(f">{headline} lighthouse<") == 1
    assert "Oldest lighthouse" not in html


@pytest.mark.postgres
def test_a_common_word_ranks_its_newest_two_hundred_matches_over_ten_pages(client):
    now = timezone.now()
    for number in range(201):
        ArticleFactory(headline=f"Harbour story {number}", published_at=now - timedelta(hours=number))

    _, first = search(client, q="harbour")
    _, tenth = search(client, q="harbour", page=10)
    response, _ = search(client, q="harbour", page=11)

    assert "More than 200 stories match" in first
    assert "Page 10 of 10" in tenth and ">Harbour story 199<" in tenth
    assert "Harbour story 200<" not in first + tenth
    assert response.status_code == 404


@pytest.mark.postgres
def test_a_search_in_past_dates_starts_from_the_last_week_they_allow(
    client, monkeypatch, django_assert_max_num_queries
):
    """The newest matches of an old range are found in its last week, not after looking through the weeks since."""
    monkeypatch.setattr(search_module, "CANDIDATES", 3)
    end = timezone.now() - timedelta(days=3000)
    for days in range(5):
        ArticleFactory(headline=f"Lighthouse {days}", published_at=end - timedelta(days=days))

    # As a word search's queries (test_search_runs_a_constant_number_of_queries) with one date window.
    with django_assert_max_num_queries(8):
        _, html = search(client, q="lighthouse", published_before=end.date().isoformat())

    assert "More than 3 stories match" in html
    for days in range(3):
        assert f">Lighthouse {days}<" in html
    assert ">Lighthouse 4<" not in html


@pytest.mark.postgres
def test_a_phrase_with_more_candidates_than_are_read_says_how_far_back_it_looked(client, monkeypatch):
    monkeypatch.setattr(search_module, "PHRASE_CANDIDATES", 3)
    now = timezone.now()
    for days in (1, 2, 3):
        ArticleFactory(
            headline=f"Cranes {days}",
            body="<p>The harbour has new cranes.</p>",
            published_at=now - timedelta(days=days),
        )
    ArticleFactory(headline="Old crane", body="<p>A harbour crane fell.</p>", published_at=now - timedelta(days=900))

    _, recent = search(client, q='"harbour crane"')
    _, older = search(client, q='"harbour crane"', published_before=(now - timedelta(days=10)).date().isoformat())

    assert "No story since" in recent and "has this exact phrase" in recent
    assert "Old crane" in older and "Cranes 1" not in older


@pytest.mark.postgres
def test_a_headline_match_ranks_above_a_body_only_match(client):
    ArticleFactory(headline="Budget vote delayed", body="<p>The harbour was quiet.</p>")
    ArticleFactory(
        headline="Harbour reopens", body="<p>Ships are back.</p>", published_at=timezone.now() - timedelta(days=300)
    )

    _, html = search(client, q="harbour")

    assert html.index("Harbour reopens") < html.index("Budget vote delayed")


@pytest.mark.postgres
def test_the_snippet_marks_the_matched_words_and_escapes_the_copy(client):
    ArticleFactory(headline="Port", body="<p>Dockers &amp; <b>crane</b> drivers <i>&lt;script&gt;</i> strike.</p>")

    _, html = search(client, q="cranes")

    assert "Dockers &amp; <mark>crane</mark> drivers &lt;script&gt; strike" in html
    assert "<script>" not in html


@pytest.mark.postgres
def test_tags_and_bylines_are_searchable_and_follow_edits(client):
    article = ArticleFactory(headline="Weather")
    tag = TagFactory(name="Heatwave")
    article.tags.add(tag)
    BylineFactory(article=article, author=AuthorFactory(name="Olga Petrova"), role=Byline.Role.PHOTOS)

    assert ">Weather<" in search(client, q="heatwave")[1]
    assert ">Weather<" in search(client, q="Petrova")[1]

    tag.name = "Drought"
    tag.save()
    article.tags.clear()
    article.tags.add(TagFactory(name="Monsoon"))
    article.headline = "Rain at last"
    article.save()

    assert ">Rain at last<" in search(client, q="monsoon")[1]
    assert "Rain at last" not in search(client, q="heatwave")[1]


@pytest.mark.postgres
def test_a_misspelt_name_from_the_sample_story_gets_a_suggestion(client):
    import_file(SAMPLE, publish=True, author_name="Wire staff")

    response, html = search(client, q="Lukashenka militia")

    assert response.status_code == 200
    assert "No published stories match" in html
    assert 'Did you mean: <a href="?q=Lukashenko+militia">Lukashenko militia</a>?' in html
    assert "Minsk wants to create" in search(client, q="Lukashenko militia")[1]


@pytest.mark.postgres
def test_words_only_found_in_drafts_are_never_suggested(client):
    DraftFactory(headline="Embargoed", body="<p>Zorblatt resigns.</p>")
    ArticleFactory(headline="Public story")

    _, html = search(client, q="Zorblat")

    assert "Did you mean" not in html
    assert "Zorblatt" not in html


@pytest.mark.postgres
@pytest.mark.parametrize(
    "hidden",
    [
        {"status": Article.Status.DRAFT, "published_at": None},
        {"published_at": timezone.now() + timedelta(days=1)},
        {"expires_at": timezone.now() - timedelta(hours=1)},
        {"status": Article.Status.WITHDRAWN},
    ],
    ids=["draft", "scheduled", "expired", "withdrawn"],
)
@pytest.mark.parametrize(
    "query", ["Zorblat", "Zorblat or Minks", "-Minks Zorblat", '"Zorblat Minks"', 'Minks -"Zorblat"']
)
def test_words_of_stories_readers_cannot_see_are_never_suggested(client, hidden, query):
    """Whatever the query's form, a suggested word comes from a story readers can see."""
    ArticleFactory(headline="Embargoed", body="<p>Zorblatt resigns in Minsk.</p>", **hidden)
    ArticleFactory(headline="Public story", body="<p>Snow in Minsk.</p>")

    _, html = search(client, q=query)

    assert "Zorblatt" not in html
    assert "Embargoed" not in html


@pytest.mark.postgres
def test_a_misspelt_word_next_to_a_hidden_one_is_still_corrected(client):
    DraftFactory(headline="Embargoed", body="<p>Zorblatt resigns.</p>")
    ArticleFactory(headline="Public story", body="<p>Snow in Minsk.</p>")

    _, html = search(client, q="Zorblat or Minks")

    assert 'Did you mean: <a href="?q=Zorblat+or+Minsk">Zorblat or Minsk</a>?' in html


@pytest.mark.postgres
def test_a_suggestion_skips_a_nearer_hidden_word_for_a_published_one(client):
    DraftFactory(headline="Embargoed", body="<p>Lukashenkas visit.</p>")
    ArticleFactory(headline="Public story", body="<p>Lukashenko visits.</p>")

    _, html = search(client, q="Lukashenka")

    assert 'Did you mean: <a href="?q=Lukashenko">Lukashenko</a>?' in html
    assert "Lukashenkas" not in html


@pytest.mark.postgres
@pytest.mark.parametrize("query", ["-" * 33, " - " * 33 + "minsk", "minsk " + "-" * 40 + " militia"])
def test_a_query_the_full_text_parser_cannot_read_gets_a_notice(client, query):
    ArticleFactory(headline="Minsk")

    response, html = search(client, q=query)

    assert response.status_code == 200
    assert "This search has too many symbols to read" in html
    assert '<form class="search-form"' in html


@pytest.mark.postgres
@hypothesis.settings(
    max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.sampled_from(["-", "-" * 33, '"', " or ", "!", "(", ")", "minsk", " ", "<->", ":*", "&", "|"]))
    .map("".join)
    .map(lambda text: text[:MAX_QUERY_LENGTH])
)
def test_no_mix_of_search_operators_is_a_server_error(client, query):
    response, _ = search(client, q=query)

    assert response.status_code in (200, 400)


@pytest.mark.postgres
def test_an_editor_searching_the_admin_with_an_unreadable_query_gets_a_message(client):
    client.force_login(staff_user("Editor"))
    DraftFactory(headline="Draft about reservoirs")

    response = client.get("/admin/articles/article/", {"q": "-" * 33})

    assert response.status_code == 200
    assert "This search has too many symbols to read" in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("published_before", "9999-12-31", "Enter a date in 2200 or earlier."),
        ("published_after", "9999-12-31", "Enter a date in 2200 or earlier."),
        ("published_after", "0001-01-01", "Enter a date in 1900 or later."),
        ("published_before", "1899-12-31", "Enter a date in 1900 or later."),
    ],
)
def test_a_date_out_of_range_is_a_form_error(client, field, value, message):
    ArticleFactory(headline="Minsk")

    response, html = search(client, q="minsk", **{field: value})

    assert response.status_code == 400
    assert message in html
    assert f'value="{value}"' in html


@pytest.mark.postgres
def test_a_query_of_only_stop_words_says_so(client):
    ArticleFactory()

    response, html = search(client, q="the and of")

    assert response.status_code == 200
    assert "Your search has only very common words" in html


@pytest.mark.postgres
def test_search_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    for number in range(25):
        article = ArticleFactory(headline=f"Harbour story {number}")
        BylineFactory(article=article)
        BylineFactory(article=article, role=Byline.Role.PHOTOS)

    # Sections (for the menu and the filter both), the time limit, candidates (at most four date windows), ranking,
    # the page, its bylines; plus, inside a test's transaction, the savepoint around the time limit and its release.
    with django_assert_max_num_queries(11):
        response, html = search(client, q="harbour")

    assert "25 stories match" in html
    assert 'href="?q=harbour&amp;page=2" rel="next"' in html


@pytest.mark.postgres
def test_a_phrase_search_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    for number in range(25):
        BylineFactory(article=ArticleFactory(headline=f"Harbour story {number}"))

    # As a word search, plus the query's parsed form (with the planner settings for phrases) and the phrase
    # check of the candidates.
    with django_assert_max_num_queries(13):
        response, html = search(client, q='"harbour story"')

    assert "25 stories match" in html


@pytest.mark.postgres
def test_admin_article_search_uses_the_full_text_index_and_finds_drafts(admin_client):
    DraftFactory(headline="Draft about reservoirs", body="<p>Water levels fall.</p>")
    ArticleFactory(headline="Unrelated")

    html = admin_client.get("/admin/articles/article/", {"q": "reservoir"}).content.decode()

    assert "Draft about reservoirs" in html
    assert "Unrelated" not in html


@pytest.mark.postgres
def test_a_story_moved_to_another_section_is_found_under_its_new_section(client):
    world, sport = SectionFactory(slug="world"), SectionFactory(slug="sport")
    article = ArticleFactory(headline="Marathon route", section=world)

    article.section = sport
    article.save()

    assert "Marathon route" in search(client, q="marathon", section="sport")[1]
    assert "Marathon route" not in search(client, q="marathon", section="world")[1]


@pytest.mark.postgres
def test_a_draft_published_by_a_bulk_update_is_found_right_away(client):
    draft = DraftFactory(headline="Lighthouse keeper retires")
    assert "Lighthouse keeper" not in search(client, q="lighthouse")[1]

    Article.objects.filter(pk=draft.pk).update(status=Article.Status.PUBLISHED, published_at=timezone.now())

    assert "Lighthouse keeper retires" in search(client, q="lighthouse")[1]


@pytest.mark.postgres
def test_search_follows_the_site_language_setting(client, settings):
    ArticleFactory(headline="Die Regierungen beschließen neue Gesetze")
    settings.LANGUAGE_CODE = "de"

    follow_language_setting()

    assert "Die Regierungen beschließen" in search(client, q="Regierung")[1]
    with connection.cursor() as cursor:
        cursor.execute("SELECT articles_search_config()::text")
        assert cursor.fetchone()[0] == "german"


@pytest.mark.postgres
def test_the_search_page_explains_the_syntax_where_full_text_search_runs(client):
    _, html = search(client)

    assert "Use quotes for an exact phrase" in html
    assert "exactly as typed" not in html


def test_the_demo_search_on_sqlite_advertises_only_what_it_does(client, monkeypatch):
    """The embedded demo matches the text as typed: no phrase, minus or "or" syntax is offered there."""
    monkeypatch.setattr(search_module, "full_text", lambda: False)
    monkeypatch.setattr(views, "full_text", lambda: False)
    ArticleFactory(headline="Minsk agreements signed")

    _, html = search(client, q="Minsk agreements")

    assert ">Minsk agreements signed<" in html
    assert "Finds stories that contain what you type, exactly as typed (capitals aside), newest first." in html
    assert "Use quotes" not in html and "<code>or</code>" not in html
