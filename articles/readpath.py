"""The reader pages' hot read path: hand-written SQL where the ORM measured too slow (bench/README.md).

The article page's story, section, picture, bylines, topics, corrections and related stories come back in
one query, and the navigation in another, instead of the ORM's seven: most of their cost was Django
compiling querysets and PostgreSQL planning them, not running them. Each query is a prepared statement,
planned once per database connection. The rows become ordinary model instances with their relations
filled in, so the templates, the metadata and every model method work on them unchanged. The home and
section pages read their stories, with the cards stored for them, through articles/listing_read.py.

The publishing gate is not written here: `gate()` compiles `Article.objects.published()`'s own condition
once per table alias and reuses its SQL with the time of each request. tests/test_read_path.py proves both
paths agree on every story state and render the same page.

PostgreSQL only (JSON aggregates, prepared statements: connections must be pooled per session, not per
transaction); on SQLite the views take the ORM path. Without `using`, it reads the database the request reads
(`newsroom.replicas.reader_alias()`: a replica for an anonymous reader when there are replicas).
"""

import datetime
import re
import weakref
from functools import cache

from django.db import connections
from django.db.models.base import ModelState

from images.models import Image
from newsroom import timestamps
from newsroom.replicas import reader_alias

from .models import Article, Author, Byline, Correction, Section, Tag
from .models.gate import RELATED_SHOWN

# A time no real request has: compiled into the gate, then replaced by the request's own time.
GATE_TIME = datetime.datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=datetime.UTC)


# Per open database connection, the statements already prepared on it.
PREPARED = weakref.WeakKeyDictionary()


def supported(using=None):
    return connections[using or reader_alias()].vendor == "postgresql"


def run_prepared(using, name, sql, params):
    """The rows of `sql` (with %s placeholders), as a statement prepared once on this connection."""
    connection = connections[using]
    with connection.cursor() as cursor:
        prepared = PREPARED.setdefault(connection.connection, set())
        if name not in prepared:
            numbered = iter(range(1, len(params) + 1))
            # Straight on the driver's cursor: bookkeeping, not one of the page's queries.
            cursor.cursor.execute(f"PREPARE {name} AS " + re.sub("%s", lambda _: f"${next(numbered)}", sql))
            prepared.add(name)
        cursor.execute(f"EXECUTE {name} ({', '.join(['%s'] * len(params))})", params)
        return cursor.fetchall()


@cache
def gate(alias):
    """`Article.objects.published()`'s condition as SQL on table alias `alias`, with its parameters."""
    query = Article.objects.published(at=GATE_TIME).query
    where = query.where.relabeled_clone({Article._meta.db_table: alias})
    sql, params = where.as_sql(query.get_compiler("default"), connections["default"])
    return sql, tuple(params)


def gate_params(alias, now):
    return [now if value == GATE_TIME else value for value in gate(alias)[1]]


def columns(model, alias):
    return ", ".join(f'{alias}."{field.column}"' for field in model._meta.concrete_fields)


def json_row(model, alias):
    return f"json_build_array({columns(model, alias)})"


def read_time(value):
    """A time inside a JSON row (ISO text); past Python's range, its nearest readable time, as the ORM reads it."""
    if value is None:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:  # a year BC, after 9999, or infinity
        return timestamps.FIRST_UTC if value.startswith("-") else timestamps.LAST_UTC
    return min(max(moment, timestamps.FIRST_UTC), timestamps.LAST_UTC)


@cache
def readers(model, from_json):
    """Per concrete field, what turns its raw value into the model's value (None: nothing to do)."""
    connection = connections["default"]
    found = []
    for field in model._meta.concrete_fields:
        if from_json and field.get_internal_type() == "DateTimeField":
            found.append(read_time)
        elif not from_json and hasattr(field, "from_db_value"):  # JSONField: PostgreSQL hands Django the text
            found.append(lambda value, field=field: field.from_db_value(value, None, connection))
        else:
            found.append(None)
    return tuple(found)


@cache
def attnames(model):
    return tuple(field.attname for field in model._meta.concrete_fields)


def hydrate(model, values, using):
    """A model instance from a row of all its concrete fields (a JSON array or columns), as the ORM builds it.

    Built as `Model.from_db()` leaves it, without running `Model.__init__`, which took a third of the home
    page's time: these models have no init signals (tests/test_read_path.py checks).
    """
    instance = model.__new__(model)
    reading = zip(readers(model, isinstance(values, list)), values, strict=True)
    instance.__dict__.update(
        zip(attnames(model), [read(value) if read else value for read, value in reading], strict=True)
    )
    instance._state = ModelState()
    instance._state.adding, instance._state.db = False, using
    return instance


def fill_prefetched(instance, name, model, rows):
    """Set what `instance.<name>.all()` returns, as prefetch_related does."""
    queryset = model._default_manager.none()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


@cache
def story_sql(by="slug"):
    story_gate, related_gate = gate('"story"')[0], gate('"related"')[0]
    return f"""
        SELECT {columns(Article, '"story"')}, {columns(Section, "section")},
          CASE WHEN picture.id IS NULL THEN NULL ELSE {json_row(Image, "picture")} END,
          {bylines_json('"story"')},
          (SELECT json_agg({json_row(Tag, "tag")} ORDER BY tag.name)
             FROM articles_article_tags topic JOIN articles_tag tag ON tag.id = topic.tag_id
            WHERE topic.article_id = "story".id),
          (SELECT json_agg({json_row(Correction, "correction")} ORDER BY correction.created_at DESC, correction.id DESC)
             FROM articles_correction correction WHERE correction.article_id = "story".id),
          (SELECT json_agg(json_build_array("related".id, "related".headline, "related".slug,
                                            "related".published_at, {json_row(Section, "related_section")})
                           ORDER BY listed.place)
             FROM jsonb_array_elements_text("story".related_ids) WITH ORDINALITY AS listed(id, place)
             JOIN articles_article "related" ON "related".id = listed.id::bigint
             JOIN articles_section related_section ON related_section.id = "related".section_id
            WHERE {related_gate})
        FROM articles_article "story"
        JOIN articles_section section ON section.id = "story".section_id
        LEFT JOIN images_image picture ON picture.id = "story".lead_image_id
        WHERE "story".{by} = %s AND {story_gate}
    """


def article_page(slug, now, using=None, by="slug"):
    """The published story at `slug` with everything its page shows, and its related stories; None if none.

    Related stories are those stored on the story (`related_ids`) that pass the gate, best first; a story
    whose list was never worked out gets `related_to()`. `by="id"` finds the story by its key instead.
    """
    using = using or reader_alias()
    params = [*gate_params('"related"', now), slug, *gate_params('"story"', now)]
    rows = run_prepared(using, f"readpath_story_{by}", story_sql(by), params)
    if not rows:
        return None
    row = rows[0]
    article_width, section_width = len(Article._meta.concrete_fields), len(Section._meta.concrete_fields)
    article = hydrate(Article, row[:article_width], using)
    section = hydrate(Section, row[article_width : article_width + section_width], using)
    picture, credits, tags, corrections, related = row[article_width + section_width :]
    article._state.fields_cache["section"] = section
    article._state.fields_cache["lead_image"] = picture and hydrate(Image, picture, using)
    article.listed_bylines = bylines(credits, using)
    fill_prefetched(article, "tags", Tag, [hydrate(Tag, tag, using) for tag in tags or ()])
    fill_prefetched(
        article, "corrections", Correction, [hydrate(Correction, correction, using) for correction in corrections or ()]
    )
    if article.related_ids is None:
        return article, list(Article.objects.using(using).published().related_to(article))
    return article, related_stories(related or (), using)


def related_stories(rows, using):
    stories = []
    for pk, headline, slug, published_at, section_row in rows[:RELATED_SHOWN]:
        story = Article.from_db(
            using,
            ["id", "headline", "slug", "published_at"],
            [pk, headline, slug, read_time(published_at)],
        )
        story._state.fields_cache["section"] = hydrate(Section, section_row, using)
        stories.append(story)
    return stories


@cache
def navigation_sql():
    story_gate = gate('"story"')[0]
    return f"""
        SELECT {columns(Section, "section")} FROM articles_section section
        WHERE EXISTS (SELECT FROM articles_article "story" WHERE "story".section_id = section.id AND {story_gate})
        ORDER BY section."order", section.name
    """


def navigation(now, using=None):
    """The sections that have a story readers may see, in the editors' order: `with_published_stories()`."""
    using = using or reader_alias()
    rows = run_prepared(using, "readpath_navigation", navigation_sql(), gate_params('"story"', now))
    return [hydrate(Section, row, using) for row in rows]


def bylines_json(story):
    # Each author by its key: a join made the generic plan hash all authors for every story.
    return f"""(SELECT json_agg(json_build_array({json_row(Byline, "byline")},
                                                (SELECT {json_row(Author, "author")} FROM articles_author author
                                                  WHERE author.id = byline.author_id))
                              ORDER BY byline.position, byline.id)
                FROM articles_byline byline WHERE byline.article_id = {story}.id)"""


def card_columns():
    """A card's story: every column, but the body only where the summary is made from it (no standfirst)."""
    body = '"story"."body"'
    return columns(Article, '"story"').replace(body, f"""CASE WHEN "story".standfirst = '' THEN {body} END""")


@cache
def card_sql(condition, order_and_limit, extra=""):
    """Story cards (story, section, picture, bylines) for the stories `condition` holds, on alias "story";
    `extra`: more columns after them."""
    return f"""
        SELECT {card_columns()}, {columns(Section, "section")}, {columns(Image, "picture")},
               {bylines_json('"story"')}{extra}
        FROM articles_article "story"
        JOIN articles_section section ON section.id = "story".section_id
        LEFT JOIN images_image picture ON picture.id = "story".lead_image_id
        WHERE {condition}
        {order_and_limit}
    """


class Cards:
    """Story cards from `card_sql()` rows, whose first `width` columns belong to something else.

    Each section is built once, however many of its stories there are.
    """

    def __init__(self, using, width=0):
        self.using, self.sections, self.ends = using, {}, {}
        for model in (Article, Section, Image):
            self.ends[model] = slice(width, width + len(model._meta.concrete_fields))
            width = self.ends[model].stop
        self.bylines_at = width

    def section(self, row):
        values = row[self.ends[Section]]
        if values[0] not in self.sections:
            self.sections[values[0]] = hydrate(Section, values, self.using)
        return self.sections[values[0]]

    def story(self, row):
        story = hydrate(Article, row[self.ends[Article]], self.using)
        if story.body is None:  # not loaded (card_columns()): read from the database if anything asks
            del story.body
        story._state.fields_cache["section"] = self.section(row)
        picture = row[self.ends[Image]]
        story._state.fields_cache["lead_image"] = hydrate(Image, picture, self.using) if picture[0] else None
        story.listed_bylines = bylines(row[self.bylines_at], self.using)
        return story

    def stories(self, rows):
        return [self.story(row) for row in rows]


def bylines(rows, using):
    found = []
    for byline_row, author_row in rows or ():
        byline = hydrate(Byline, byline_row, using)
        byline._state.fields_cache["author"] = hydrate(Author, author_row, using)
        found.append(byline)
    return found
