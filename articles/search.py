"""Search over the published archive: PostgreSQL full-text search, a plain substring match on SQLite.

Ranking on PostgreSQL: the newest CANDIDATES stories that match (all of them, for most queries) are
scored by ts_rank over the weighted document (headline A 1.0, standfirst and tags B 0.4, body C 0.2,
bylines D 0.1) multiplied by a recency factor 1 / (1 + age in years): a story from today keeps its
full score, one from last year half of it, one from ten years ago a tenth. So a headline match
(1.0) of two years ago still outranks a body-only mention (0.2) from this morning, and among equally
relevant stories the newer comes first. Capping the candidates keeps a query for a word that half the
archive contains about as fast as one for a rare name; the count then says "more than ...", and an older
story beyond the newest 200 matches (ten pages) is reached with a date range. Each candidate costs a read
of its word positions (about 5 KB, out of the row) to rank it; the stories a common word's walk by date
passes over cost only their words without positions, kept in rows of their own (`walked_matches()`).
Ranking and reading the page run in articles/search_read.py.

An exact phrase costs more: a GIN index knows which stories hold the words, not where, so PostgreSQL
re-reads the word positions of every story that has them all. Only the newest PHRASE_CANDIDATES such
stories are read; when there are more, the page says how far back it looked and a date range goes further.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from html import unescape

from django import forms
from django.conf import settings
from django.contrib.postgres.search import SearchQuery
from django.core.paginator import InvalidPage, Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import DatabaseError, OperationalError, connections, transaction
from django.db.models import BooleanField, F, Func, Q, TextField
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from psycopg2.errors import QueryCanceled

from newsroom.replicas import reader_alias

from . import search_read
from .live_read import mark_open_coverage
from .models import Article, SearchDocument, SearchWords, Section
from .search_sql import MARK_START, MARK_STOP, config_for

PAGE_SIZE = 20
CANDIDATES = 200
PHRASE_CANDIDATES = 2500
MAX_QUERY_LENGTH = 200
# A phrase of very common words makes PostgreSQL re-read most of the archive: stop it, and say what helps.
TIME_LIMIT_MS = 800
TOO_SLOW = "This search matches too much of the archive to rank in time; add a less common word or a date range."
UNREADABLE = "This search has too many symbols to read; use words, and at most a few quotes, minus signs and “or”."
# Dates a search may filter by: beyond them a date is a typo, and a day after 9999-12-31 cannot be computed.
EARLIEST_DATE, LATEST_DATE = date(1900, 1, 1), date(2200, 12, 31)
DATE_RANGE = [
    MinValueValidator(EARLIEST_DATE, "Enter a date in 1900 or later."),
    MaxValueValidator(LATEST_DATE, "Enter a date in 2200 or earlier."),
]
# A word's newest matches are looked for among this many newest stories first (`walked_matches()`).
WALKED = 2000
# Then a week back first, in at most this many windows.
FIRST_WINDOW = timedelta(days=7)
LONGEST_WINDOW = timedelta(days=100 * 366)
WINDOWS = 4
# "Did you mean": the nearest words of the word list looked at for each word of the query.
SUGGESTION_CANDIDATES = 5
# A phrase operator in a tsquery's text: <-> (next word) or <N> (N positions on).
PHRASE_OPERATOR = re.compile(r"<(?:-|\d+)>")


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search for",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={"max_length": f"Please shorten your search to {MAX_QUERY_LENGTH} characters or fewer."},
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    section = forms.ModelChoiceField(
        Section.objects.with_published_stories(),
        to_field_name="slug",
        required=False,
        empty_label="All sections",
        error_messages={"invalid_choice": "There is no such section; choose one from the list."},
    )
    published_after = forms.DateField(
        label="From",
        required=False,
        validators=DATE_RANGE,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    published_before = forms.DateField(
        label="To",
        required=False,
        validators=DATE_RANGE,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, sections=None, **kwargs):
        """`sections`: the page's own list of sections with stories (its navigation's), offered without a query."""
        super().__init__(*args, **kwargs)
        if sections is not None:
            field = self.fields["section"]
            field.widget.choices = [("", field.empty_label), *((section.slug, str(section)) for section in sections)]

    def clean(self):
        cleaned = super().clean()
        after, before = cleaned.get("published_after"), cleaned.get("published_before")
        if after and before and after > before:
            raise forms.ValidationError("The “From” date comes after the “To” date.")
        return cleaned


@dataclass
class Results:
    page: object
    count: int
    more: bool = False
    suggestion: str = ""
    notice: str = ""
    stories: list = field(default_factory=list)
    # An exact phrase with more candidate stories than were read: the oldest date looked at.
    searched_since: datetime | None = None


def full_text():
    return connections[reader_alias()].vendor == "postgresql"


def search_query(text):
    """Readers' syntax: "a phrase", -excluded, either or other; anything else is read as plain words."""
    return SearchQuery(text, search_type="websearch", config=config_for(settings.LANGUAGE_CODE))


def readable(text):
    """Whether PostgreSQL's websearch parser can read the text: a long run of operators overflows its stack."""
    try:
        with transaction.atomic(using=reader_alias()), connections[reader_alias()].cursor() as cursor:
            cursor.execute("SELECT websearch_to_tsquery(%s::regconfig, %s)", [config_for(settings.LANGUAGE_CODE), text])
    except DatabaseError:
        return False
    return True


def marked(snippet):
    """ts_headline output as safe HTML: entities decoded, everything escaped, then only our markers become <mark>."""
    return mark_safe(escape(unescape(snippet.strip())).replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>"))


def filtered(rows, section=None, published_after=None, published_before=None):
    """Stories, or their search documents, narrowed by the reader's filters."""
    if section:
        rows = rows.filter(section=section)
    if published_after:
        rows = rows.filter(published_at__gte=timezone.make_aware(datetime.combine(published_after, time.min)))
    if published_before:
        rows = rows.filter(published_at__lt=end_of(published_before))
    return rows


def end_of(day):
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def range_end(filters, now):
    """The newest time the reader's dates allow: searches look back from there."""
    before = filters.get("published_before")
    return min(now, end_of(before)) if before else now


def page_of(items, number):
    try:
        return Paginator(items, PAGE_SIZE).page(number or 1)
    except InvalidPage as exc:
        raise Http404("No such page.") from exc


def search_archive(q, page_number=1, **filters):
    """One page of published stories matching q, best first, in a small constant number of queries."""
    stories = filtered(Article.objects.published(), **filters)
    if not full_text():
        return substring_results(q, stories, page_number)
    try:
        # The reader's database: the time limit must hold on the connection the ORM's queries below use.
        with transaction.atomic(using=reader_alias()):
            with connections[reader_alias()].cursor() as cursor:
                cursor.execute("SET LOCAL statement_timeout = %s", [TIME_LIMIT_MS])
            return ranked_results(q, stories, page_number, filters)
    except OperationalError as exc:
        if not isinstance(exc.__cause__, QueryCanceled):
            raise
        return Results(page=None, count=0, notice=TOO_SLOW)
    except DatabaseError:
        # Asked only after a failure, so a search that works costs no extra query.
        if readable(q):
            raise
        return Results(page=None, count=0, notice=UNREADABLE)


def ranked_results(q, stories, page_number, filters):
    query = search_query(q)
    searched_since = None
    if '"' in q:
        newest, searched_since = newest_phrase_matches(q, query, filters)
    else:
        newest, newer = walked_matches(q, filters)
        if newer:
            newest = newest_matches(Q(vector=query), filters, CANDIDATES, newest, newer)
    now, using = timezone.now(), reader_alias()
    ranked = search_read.ranked(q, newest, now, using)
    page = page_of(ranked, page_number)
    results = Results(page=page, count=len(ranked), more=len(newest) == CANDIDATES, searched_since=searched_since)
    if not ranked:
        if searched_since:
            results.notice = (
                f"No story since {date_format(timezone.localtime(searched_since), 'j F Y')} has this exact phrase; "
                "set “To” to an earlier date to search further back."
            )
        else:
            results.notice, results.suggestion = diagnosis(q, stories)
        return results
    results.stories = search_read.page_stories(q, page.object_list, now, using)
    for article in results.stories:
        article.snippet = marked(article.snippet)
    return results


def keyed(column, keys):
    """`column = ANY(keys)` with the keys as one array parameter. `__in` compiles a parameter per key: for 500
    candidates on both sides of the ranking join that was about 10 ms of Python and 2 ms of planning."""
    return RawSQL(f"{column} = ANY(%s::bigint[])", [list(keys)], output_field=BooleanField())


def walked_matches(q, filters):
    """The newest CANDIDATES documents' ids matching q, newest first, as far as a walk over the newest WALKED
    documents in the reader's section and dates finds them; and the time to go on from (None: they are all).

    For a word in at least one story in ten, the commonest kind of search: the walk reads each story's words
    from the row (articles.models.SearchWords), where reading full vectors out of TOAST cost four times as much.
    For a rarer word `newest_matches()` goes on from the oldest story walked. Queries with a phrase (hyphenated
    words too) or no searchable word are not walked: stripped words cannot answer them, and PostgreSQL sees
    that while planning, so their walk reads nothing and they start from the newest story.
    """
    now = timezone.now()
    stories = filtered(SearchWords.objects.filter(published_at__lte=now), **filters).order_by("-published_at")
    walk, walk_params = stories.values("article_id", "published_at", "words")[:WALKED].query.sql_with_params()
    oldest, oldest_params = stories.values("published_at")[WALKED - 1 : WALKED].query.sql_with_params()
    query = "websearch_to_tsquery(%s::regconfig, %s)"
    walkable = f"numnode({query}) > 0 AND {query}::text !~ '<(?:-|\\d+)>'"
    words = [config_for(settings.LANGUAGE_CODE), q] * 2
    with connections[reader_alias()].cursor() as cursor:
        cursor.execute(
            # Ordered as the walk reads them: PostgreSQL sorts nothing, and stops at the CANDIDATES-th match.
            f"SELECT article_id FROM ({walk}) walked WHERE {walkable} AND words @@ {query}"
            f" ORDER BY published_at DESC LIMIT %s",
            [*walk_params, *words, *words[:2], CANDIDATES],
        )
        found = [pk for (pk,) in cursor.fetchall()]
        if len(found) == CANDIDATES:
            return found, None
        # The oldest story walked (None: the reader's range holds fewer), or the newest if nothing was walked.
        cursor.execute(f"SELECT {walkable}, CASE WHEN {walkable} THEN ({oldest}) END", [*words, *words, *oldest_params])
        walked, oldest_walked = cursor.fetchone()
    return (found, oldest_walked) if walked else ([], range_end(filters, now))


def newest_matches(condition, filters, limit, found=(), newer=None):
    """Ids of the newest `limit` documents meeting condition, newest first, from the search table alone; after
    a walk, `found` are those it found and `newer` the time to go on from (inclusive).

    Looked for in the last week first (the last week the reader's dates allow), then further back in windows
    sized by how many matches the time already covered held (twice what that rate needs), the last window
    open-ended: PostgreSQL intersects the word index with the date index, so a common word never makes it
    re-read the whole archive, and no window reads a story an earlier one has read.
    """
    now = timezone.now()
    documents = filtered(SearchDocument.objects.filter(condition, published_at__lte=now), **filters)
    if found:
        documents = documents.exclude(keyed("articles_searchdocument.article_id", found))
    start = range_end(filters, now)
    newest, newer = list(found), newer or start
    for attempt in range(WINDOWS):
        covered = start - newer
        span = covered * 8 if not newest else covered * 2 * (limit - len(newest)) / len(newest)
        span = min(span, LONGEST_WINDOW) if covered else FIRST_WINDOW
        recent = documents.filter(published_at__lte=newer)
        if attempt < WINDOWS - 1:
            recent = recent.filter(published_at__gt=newer - span)
        newest += recent.order_by("-published_at").values_list("article_id", flat=True)[: limit - len(newest)]
        if len(newest) == limit:
            break
        newer -= span
    return newest


def newest_phrase_matches(q, query, filters):
    """Ids of the newest CANDIDATES documents matching a query with a phrase, and the date searched back to.

    The newest PHRASE_CANDIDATES documents with all the words (the phrase operators read as "and") are
    checked for the phrases. With more such documents than that, the oldest date checked comes back too
    (None when every candidate was checked).
    """
    with connections[reader_alias()].cursor() as cursor:
        # PostgreSQL cannot tell how rare a phrase is and may walk the archive by date re-reading every story;
        # without plain index scans it intersects the word and date indexes instead. Without sequential scans
        # it checks the candidates below by key.
        cursor.execute(
            "SET LOCAL enable_indexscan = off; SET LOCAL enable_seqscan = off; "
            "SELECT websearch_to_tsquery(%s::regconfig, %s)::text",
            [config_for(settings.LANGUAGE_CODE), q],
        )
        text = cursor.fetchone()[0]
    if "!" in text:
        # Read as "and", an excluded phrase would exclude stories that have its words apart: check them all.
        return newest_matches(Q(vector=query), filters, CANDIDATES), None
    all_words = RawSQL(
        "articles_searchdocument.vector @@ %s::tsquery", [PHRASE_OPERATOR.sub("&", text)], output_field=BooleanField()
    )
    candidates = newest_matches(all_words, filters, PHRASE_CANDIDATES)
    # Only these candidates are read, by key: ts_match_vq() is what @@ calls, but as a function call the GIN
    # index cannot answer it (which would re-read every document with the words).
    has_phrase = Func(F("vector"), query, function="ts_match_vq", output_field=BooleanField())
    matches = SearchDocument.objects.filter(has_phrase, keyed("articles_searchdocument.article_id", candidates))
    newest = list(matches.order_by("-published_at").values_list("article_id", flat=True)[:CANDIDATES])
    searched_since = None
    if len(candidates) == PHRASE_CANDIDATES:
        # Asked only then: reading 2,500 dates with the ids cost more than this query.
        searched_since = SearchDocument.objects.values_list("published_at", flat=True).get(pk=candidates[-1])
    return newest, searched_since


def substring_results(q, stories, page_number):
    """The embedded (SQLite) fallback: stories containing the words as typed, newest first."""
    matching = stories.filter(Q(headline__icontains=q) | Q(standfirst__icontains=q) | Q(body__icontains=q))
    page = page_of(matching.for_listing(), page_number)
    results = Results(page=page, count=page.paginator.count, stories=list(page.object_list))
    mark_open_coverage(results.stories)
    for article in results.stories:
        article.snippet = article.summary
    return results


def diagnosis(q, stories):
    """Why nothing was found: a notice when the query has no searchable word, else a spelling suggestion.

    The word list holds the words of every story, drafts too, and stories go live and expire by time alone:
    so each word suggested is checked, as the page is made, to be in one of `stories` (published, filtered).
    """
    words = [word.lower() for word in re.findall(r"[^\W\d_]{3,40}", q)]
    config = config_for(settings.LANGUAGE_CODE)
    candidate = SearchQuery(RawSQL("candidate.word", (), output_field=TextField()), config=config)
    in_a_story = stories.filter(search_document__vector=candidate).order_by()
    in_a_story_sql, in_a_story_params = in_a_story.values("pk").query.sql_with_params()
    with connections[reader_alias()].cursor() as cursor:
        cursor.execute(
            "SELECT numnode(websearch_to_tsquery(%s::regconfig, %s)), ARRAY("
            "  SELECT coalesce(("
            "    SELECT candidate.word FROM ("
            "      SELECT s.word, s.word <-> t.word AS distance FROM articles_searchword s WHERE s.word %% t.word"
            "       ORDER BY distance LIMIT %s) candidate"
            f"    WHERE EXISTS ({in_a_story_sql})"
            "     ORDER BY candidate.distance LIMIT 1), t.word)"
            "  FROM unnest(%s::text[]) WITH ORDINALITY AS t(word, n) ORDER BY t.n)",
            [config, q, SUGGESTION_CANDIDATES, *in_a_story_params, words],
        )
        nodes, fixes = cursor.fetchone()
    if not nodes:
        return "Your search has only very common words (like “the” or “and”); add a more specific one.", ""
    corrections = {word: fix for word, fix in zip(words, fixes, strict=True) if word != fix}
    if not corrections:
        return "", ""

    def corrected(match):
        fix = corrections.get(match.group().lower(), match.group())
        return fix.capitalize() if match.group()[0].isupper() else fix

    suggestion = re.sub(r"[^\W\d_]{3,40}", corrected, q)
    # Offered only when the whole suggestion finds stories, not just each word.
    if stories.filter(search_document__vector=search_query(suggestion)).exists():
        return "", suggestion
    return "", ""
