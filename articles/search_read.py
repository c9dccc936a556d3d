"""The search page's read path on PostgreSQL: ranking the candidates and reading the page's stories.

Both are prepared statements (articles/readpath.py), planned once per connection: through the ORM they cost
more Python, compiling each query, than PostgreSQL spent running them (bench/README.md, "Search under load").
The stories pass `Article.objects.published()`'s own condition (`gate()`); tests/test_search_words.py checks
that they are the ORM's. Finding the candidates stays in articles/search.py: its plan depends on how common
the words are, so PostgreSQL plans it for each query.
"""

from functools import cache

from django.conf import settings

from .cards import version
from .live_read import mark_open_coverage
from .readpath import Cards, card_sql, gate, gate_params, run_prepared
from .search_sql import config_for

# The reader's query, parsed once per statement (a scalar subquery runs once), not once per row.
QUERY = "(SELECT websearch_to_tsquery(%s::regconfig, %s))"
# A story from today keeps its full score, one from last year half of it, one from ten years ago a tenth.
RECENCY = '1.0 / (1 + extract(epoch from now() - "story".published_at) / 31557600)'


@cache
def ranking_sql():
    story_gate = gate('"story"')[0]
    return f"""
        SELECT "story".id
        FROM articles_article "story"
        JOIN articles_searchdocument document ON document.article_id = "story".id
        WHERE "story".id = ANY(%s::bigint[]) AND {story_gate}
        ORDER BY ts_rank(document.vector, {QUERY}) * {RECENCY} DESC, "story".published_at DESC, "story".id DESC
    """


def ranked(q, candidates, now, using):
    """The candidates readers may see, best match first (headline A 1.0 ... bylines D 0.1, times recency)."""
    params = [candidates, *gate_params('"story"', now), config(), q]
    return [pk for (pk,) in run_prepared(using, "search_ranked", ranking_sql(), params)]


@cache
def page_sql():
    story_gate = gate('"story"')[0]
    extra = f""",
        (SELECT card.html FROM articles_card card WHERE card.article_id = "story".id AND card.version = %s),
        articles_snippet("story".body, {QUERY}, %s::regconfig)"""
    return card_sql(f'"story".id = ANY(%s::bigint[]) AND {story_gate}', "", extra=extra)


def page_stories(q, keys, now, using):
    """The stories of `keys` readers may see, in that order, as cards, each with its raw `snippet` and its
    card made on write, if current (`stored_html`, else None: articles/cards.py)."""
    params = [version(), config(), q, config(), keys, *gate_params('"story"', now)]
    rows = run_prepared(using, "search_page", page_sql(), params)
    cards = Cards(using)
    found = {}
    for row in rows:
        story = cards.story(row)
        story.stored_html, story.snippet = row[-2:]
        found[story.pk] = story
    stories = [found[pk] for pk in keys if pk in found]
    mark_open_coverage(stories)
    return stories


def config():
    return config_for(settings.LANGUAGE_CODE)
