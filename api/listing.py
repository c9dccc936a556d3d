"""The content API's lists: the filters a request names, and the page of stories they hold, newest first.

On PostgreSQL a page of stories is one prepared statement through articles/readpath.py (its story cards and
the publishing gate's own SQL), as the section pages are read; elsewhere (SQLite) the same rows come through
the ORM from `Article.objects.published()`. tests/test_api_lists.py checks both paths agree.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, prefetch_related_objects
from django.utils import timezone

from articles import readpath
from articles.models import EARLIEST_YEAR, LATEST_YEAR, Article, Byline, Tag
from newsroom.replicas import reader_alias

from . import cursors

DEFAULT_LIMIT, MOST_LIMIT = 20, 100
TYPES = [value for value, _ in Article.Type.choices]
# Each filter as SQL on readpath's "story" alias; its %s take the filter's values, in order.
CONDITIONS = {
    "section": '"story".section_id IN (SELECT id FROM articles_section WHERE slug = %s)',
    "tag": """EXISTS (SELECT FROM articles_article_tags topic JOIN articles_tag tag ON tag.id = topic.tag_id
                      WHERE topic.article_id = "story".id AND tag.slug = %s)""",
    "author": """EXISTS (SELECT FROM articles_byline byline JOIN articles_author author ON author.id = byline.author_id
                         WHERE byline.article_id = "story".id AND author.slug = %s)""",
    "type": '"story".article_type = %s',
    "published_after": '"story".published_at >= %s',
    "published_before": '"story".published_at < %s',
    "updated_since": '("story".modified_at >= %s OR "story".updated_at >= %s)',
    "after": '("story".published_at, "story".id) < (%s, %s)',
}


class BadFilter(ValueError):
    """A parameter that makes no sense: a 400 naming it (`fields`: every such parameter, and why)."""

    def __init__(self, name, message, fields=None):
        super().__init__(message)
        self.message, self.fields = message, fields or {name: message}


@dataclass
class StoryFilters:
    """What a request for stories narrows them by; `after` is the cursor's story: (published_at, id)."""

    section: str | None = None
    tag: str | None = None
    author: str | None = None
    type: str | None = None
    published_after: datetime.datetime | None = None
    published_before: datetime.datetime | None = None
    updated_since: datetime.datetime | None = None
    after: tuple | None = None
    limit: int = DEFAULT_LIMIT
    names: list = field(default_factory=list)

    def values(self, name):
        value = getattr(self, name)
        if name == "updated_since":
            return [value, value]
        return list(value) if name == "after" else [value]


def story_filters(section, tag, author, type, published_after, published_before, updated_since, cursor, limit):
    """The request's filters, read and checked; BadFilter names the first that makes no sense."""
    if type is not None and type not in TYPES:
        raise BadFilter("type", f"“type” is one of: {', '.join(TYPES)}.")
    filters = StoryFilters(
        section=section,
        tag=tag,
        author=author,
        type=type,
        published_after=moment("published_after", published_after),
        published_before=moment("published_before", published_before),
        updated_since=moment("updated_since", updated_since),
        after=position(cursor, datetime.datetime, int),
        limit=page_size(limit),
    )
    filters.names = [name for name in CONDITIONS if getattr(filters, name) is not None]
    return filters


def moment(name, text):
    """An ISO 8601 date or date and time (a date is its first moment; no offset: the site's time zone)."""
    if text is None:
        return None
    problem = f"“{name}” is a date (2025-03-01) or a date and time (2025-03-01T09:30:00Z)"
    try:
        value = datetime.datetime.fromisoformat(text) if len(text) <= 40 else None
    except ValueError:
        value = None
    if value is None:
        raise BadFilter(name, f"{problem}.")
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise BadFilter(name, f"{problem}, from {EARLIEST_YEAR} to {LATEST_YEAR}.")
    return value if value.tzinfo else timezone.make_aware(value)


def position(cursor, *kinds):
    if cursor is None:
        return None
    try:
        return tuple(cursors.decode(cursor, *kinds))
    except cursors.BadCursor as exc:
        raise BadFilter("cursor", "“cursor” is not one this API gave: start again without it.") from exc


def page_size(limit):
    if limit is None:
        return DEFAULT_LIMIT
    if not (limit.isascii() and limit.isdigit() and len(limit) <= 3 and 1 <= int(limit) <= MOST_LIMIT):
        raise BadFilter("limit", f"“limit” is a whole number from 1 to {MOST_LIMIT}.")
    return int(limit)


def stories_page(filters, now, full=False):
    """The page of published stories the filters hold, newest first, and the cursor after it (None: the end).

    Cards with their topics; `full` gives each story everything its page shows instead (ninjs).
    """
    by_read_path = readpath.supported() and not full
    stories = read_path_cards(filters, now) if by_read_path else orm_stories(filters, now, full)
    following = None
    if len(stories) > filters.limit:
        stories = stories[: filters.limit]
        following = cursors.encode(stories[-1].published_at, stories[-1].pk)
    if not full:
        with_topics(stories, by_read_path)
    return stories, following


TOPICS_SQL = f"""
    SELECT topic.article_id, {readpath.columns(Tag, "tag")}
    FROM articles_article_tags topic JOIN articles_tag tag ON tag.id = topic.tag_id
    WHERE topic.article_id = ANY(%s) ORDER BY tag.name
"""


def with_topics(stories, by_read_path=None):
    """Fill each story's topics (`story.tags.all()`): one prepared statement on PostgreSQL, the ORM elsewhere."""
    if not (readpath.supported() if by_read_path is None else by_read_path):
        prefetch_related_objects(stories, "tags")
        return
    using = reader_alias()
    found = {story.pk: [] for story in stories}
    for article_id, *tag in readpath.run_prepared(using, "api_topics", TOPICS_SQL, [list(found)]):
        found[article_id].append(readpath.hydrate(Tag, tag, using))
    for story in stories:
        readpath.fill_prefetched(story, "tags", Tag, found[story.pk])


def read_path_cards(filters, now):
    condition = " AND ".join([readpath.gate('"story"')[0], *(CONDITIONS[name] for name in filters.names)])
    sql = readpath.card_sql(condition, 'ORDER BY "story".published_at DESC, "story".id DESC LIMIT %s')
    params = [*readpath.gate_params('"story"', now), *(v for name in filters.names for v in filters.values(name))]
    using = reader_alias()
    # One prepared statement for each set of filters used.
    name = "api_stories_" + "".join("1" if name in filters.names else "0" for name in CONDITIONS)
    rows = readpath.run_prepared(using, name, sql, [*params, filters.limit + 1])
    return readpath.Cards(using).stories(rows)


def orm_stories(filters, now, full):
    stories = Article.objects.published(at=now)
    if filters.section is not None:
        stories = stories.filter(section__slug=filters.section)
    if filters.tag is not None:
        stories = stories.filter(tags__slug=filters.tag)
    if filters.author is not None:
        credited = Byline.objects.filter(article=OuterRef("pk"), author__slug=filters.author)
        stories = stories.filter(Exists(credited))
    if filters.type is not None:
        stories = stories.filter(article_type=filters.type)
    if filters.published_after is not None:
        stories = stories.filter(published_at__gte=filters.published_after)
    if filters.published_before is not None:
        stories = stories.filter(published_at__lt=filters.published_before)
    if filters.updated_since is not None:
        stories = stories.filter(Q(modified_at__gte=filters.updated_since) | Q(updated_at__gte=filters.updated_since))
    if filters.after is not None:
        published_at, pk = filters.after
        stories = stories.filter(Q(published_at__lt=published_at) | Q(published_at=published_at, pk__lt=pk))
    stories = stories.for_detail() if full else stories.for_listing()
    return list(stories.order_by("-published_at", "-id")[: filters.limit + 1])
