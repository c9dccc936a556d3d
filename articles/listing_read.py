"""The home and section pages' stories through the read path (articles/readpath.py), with their stored cards.

A listed story comes back as its card made on write (articles/cards.py), a `StoredCard`: no story, section,
picture or bylines are read or built for it. A story whose card is missing, emptied or of another version
brings its card's data instead (story, section, picture, bylines, as one JSON array, only for such rows),
and becomes a model instance the page renders the card from, as before. Either way one query per page part.
"""

from functools import cache

from images.models import Image
from newsroom.replicas import reader_alias

from .cards import StoredCard, version
from .live_read import mark_open_coverage
from .models import Article, Section
from .models.gate import HOME_RECENT_STORIES, home_layout
from .readpath import (
    bylines,
    bylines_json,
    card_columns,
    columns,
    gate,
    gate_params,
    hydrate,
    json_row,
    run_prepared,
)


@cache
def listed_sql(condition, order_and_limit, html="card.html"):
    """Per story `condition` holds (alias "story"): its key, its current card's `html`, or else its card's data."""
    return f"""
        SELECT "story".id, {html},
               CASE WHEN card.article_id IS NULL THEN
                 (SELECT json_build_array(json_build_array({card_columns()}), {json_row(Section, "section")},
                                          CASE WHEN picture.id IS NULL THEN NULL ELSE {json_row(Image, "picture")} END,
                                          {bylines_json('"story"')})
                    FROM articles_section section
                    LEFT JOIN images_image picture ON picture.id = "story".lead_image_id
                   WHERE section.id = "story".section_id)
               END
        FROM articles_article "story"
        LEFT JOIN articles_card card ON card.article_id = "story".id AND card.version = %s
        WHERE {condition}
        {order_and_limit}
    """


def listed(rows, using):
    """`listed_sql()` rows as the page prints them: StoredCards, and stories to render with everything loaded."""
    shown, unmade = [], []
    for pk, html, data in rows:
        if data is None:
            shown.append(StoredCard(pk, html))
            continue
        story_row, section_row, picture_row, credits = data
        story = hydrate(Article, story_row, using)
        if story.body is None:  # not loaded (card_columns()): read from the database if anything asks
            del story.body
        story._state.fields_cache["section"] = hydrate(Section, section_row, using)
        story._state.fields_cache["lead_image"] = picture_row and hydrate(Image, picture_row, using)
        story.listed_bylines = bylines(credits, using)
        shown.append(story)
        unmade.append(story)
    mark_open_coverage(unmade)
    return shown


@cache
def home_sql():
    """The home page's candidates, newest first: the newest stories and the placed ones, without their cards."""
    newest, placed = gate('"newest"')[0], gate('"placed"')[0]
    return f"""
        SELECT "story".id, "story".home_rank, {columns(Section, "section")}
        FROM articles_article "story" JOIN articles_section section ON section.id = "story".section_id
        WHERE "story".id IN (
          (SELECT "newest".id FROM articles_article "newest" WHERE {newest}
           ORDER BY "newest".published_at DESC, "newest".id DESC LIMIT {HOME_RECENT_STORIES})
          UNION
          (SELECT "placed".id FROM articles_article "placed" WHERE "placed".home_rank IS NOT NULL AND {placed}))
        ORDER BY "story".published_at DESC, "story".id DESC
    """


class Candidate:
    """A story the home page may show, with what `home_layout()` reads of it."""

    def __init__(self, row, using, sections):
        self.pk, self.home_rank = row[:2]
        if row[2] not in sections:
            sections[row[2]] = hydrate(Section, row[2:], using)
        self.section = sections[row[2]]


@cache
def home_cards_sql():
    story_gate = gate('"story"')[0]
    lead_or_not = 'CASE WHEN "story".id = %s THEN card.lead_html ELSE card.html END'
    return listed_sql(f'"story".id = ANY(%s) AND {story_gate}', "", html=lead_or_not)


def home_page(now, using=None):
    """`Article.objects.published().home_page()`: its candidates, laid out, then the cards of those shown."""
    using = using or reader_alias()
    params = [*gate_params('"newest"', now), *gate_params('"placed"', now)]
    sections = {}
    candidates = [Candidate(row, using, sections) for row in run_prepared(using, "listing_home", home_sql(), params)]
    page = home_layout(candidates)
    lead = page["lead"] and page["lead"].pk
    shown = [candidate.pk for candidate in [page["lead"], *page["featured"]] if candidate]
    shown += [candidate.pk for _, candidates in page["sections"] for candidate in candidates]
    params = [lead, version(), shown, *gate_params('"story"', now)]
    rows = run_prepared(using, "listing_home_cards", home_cards_sql(), params)
    stories = {story.pk: story for story in listed(rows, using)}
    return {
        "lead": lead and stories.get(lead),
        "featured": [stories[c.pk] for c in page["featured"] if c.pk in stories],
        "sections": [
            (section, [stories[c.pk] for c in chosen if c.pk in stories]) for section, chosen in page["sections"]
        ],
    }


@cache
def section_sql(per_page, most):
    counted, story_gate = gate('"counted"')[0], gate('"story"')[0]
    stories = listed_sql(
        f'"story".section_id = found.id AND {story_gate}',
        f'ORDER BY "story".published_at DESC, "story".id DESC LIMIT {per_page} OFFSET %s',
    )
    return f"""
        SELECT {columns(Section, "found")}, total.count, listed.*
        FROM articles_section found
        CROSS JOIN LATERAL (SELECT count(*) FROM (SELECT FROM articles_article "counted"
                                                  WHERE "counted".section_id = found.id AND {counted}
                                                  LIMIT {most}) capped) total
        LEFT JOIN LATERAL ({stories}) listed ON true
        WHERE found.slug = %s
    """


def section_page(slug, number, per_page, most, now, using=None):
    """A section that has published stories, how many (up to `most`), and page `number` of them; or None."""
    using = using or reader_alias()
    params = [*gate_params('"counted"', now), version(), *gate_params('"story"', now), (number - 1) * per_page, slug]
    rows = run_prepared(using, f"listing_section_{per_page}_{most}", section_sql(per_page, most), params)
    width = len(Section._meta.concrete_fields)
    if not rows or not rows[0][width]:
        return None
    section = hydrate(Section, rows[0][:width], using)
    return section, rows[0][width], listed([row[width + 1 :] for row in rows if row[width + 1] is not None], using)
