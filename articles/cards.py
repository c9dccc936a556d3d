"""Story cards made on write: each story's card HTML, stored when the story or anything its card shows changes.

Listings (home, sections, topics, authors, the archive) print a story's stored card (`articles.Card`) instead
of rendering `templates/articles/_card.html` for it, which was about half of those pages' time.

- What a card shows: the story (headline, address, summary, date, type), its section's name and address, its
  bylines (authors' names, roles), its lead picture (renditions, alt text) and, for a live story, whether the
  coverage is open. A change to any of these empties the cards it touches inside the change's own
  transaction (`forget()`), so no reader, and no cached page, ever gets the new rows beside the old card.
  After the commit the cards are made again (`remake_after_commit()`): the story's own, or the newest
  REMADE_AT_ONCE of the many a section rename touches; the rest wait for `manage.py refresh_cards --stale`.
  articles/publishing.py connects this to the models' signals.
- A card is shown only while its `version` is `version()`: a hash of the card templates and of sample cards
  rendered by the running code, so a deploy that changes what cards look like (a template, the summary's
  length, the renditions, MEDIA_URL, the time zone) retires every stored card at once.
- A story without a current card has it rendered on the request, as before: correctness never waits for
  a refill.
"""

import datetime
import hashlib
import re
from functools import lru_cache

from django.core.exceptions import ObjectDoesNotExist
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.models import prefetch_related_objects
from django.dispatch import receiver
from django.template import engines
from django.urls import get_script_prefix
from django.utils import timezone, translation
from markupsafe import Markup

from images.models import Image

from .live_read import mark_open_coverage
from .models import Article, Author, Byline, Card, Section, card_bylines

# The templates a card is made of: a change to any of them changes `version()`.
CARD_TEMPLATES = ["articles/_card.html", "articles/_byline.html", "images/_picture.html"]
# Cards made again right after a change's commit, newest first; a section rename may touch 100,000.
REMADE_AT_ONCE = 100
# Stories read, rendered and stored per transaction when making cards in bulk.
BATCH = 500
# A card's summary: escaped text, so it holds no "<".
SUMMARY = re.compile(r'<p class="card__summary">[^<]*</p>')


class StoredCard:
    """A listed story whose card was made on write: its key and the card, as the listing's page prints it."""

    __slots__ = ("pk", "stored_html")

    def __init__(self, pk, html):
        self.pk, self.stored_html = pk, Markup(html)


def render(story, is_lead=False):
    """The card of `story` (section, lead picture, `listed_bylines` and, if live, `coverage_open` loaded)."""
    macros = engines["jinja2"].env.get_template("articles/_card.html").module
    return str(macros.story_card(story, is_lead))


def with_snippet(card, snippet):
    """A story's card (stored or just rendered) as a search result: its summary replaced by the snippet
    (escaped unless it is safe HTML already, as articles.search.marked() makes it)."""
    paragraph = Markup('<p class="card__summary card__snippet">{}</p>').format(snippet)
    return Markup(SUMMARY.sub(lambda _: paragraph, card, count=1))


def version():
    """The version of the cards this process makes: stored cards of another version are not shown."""
    return version_for(get_script_prefix(), timezone.get_current_timezone_name(), translation.get_language())


@lru_cache(maxsize=16)
def version_for(script_prefix, time_zone, language):
    env = engines["jinja2"].env
    digest = hashlib.sha256()
    for name in CARD_TEMPLATES:
        digest.update(env.loader.get_source(env, name)[0].encode())
    for story in sample_stories():
        digest.update(render(story).encode() + render(story, is_lead=True).encode())
    return digest.hexdigest()[:16]


@receiver(setting_changed)
def forget_versions(**kwargs):
    version_for.cache_clear()


def sample_stories():
    """Unsaved stories with every part a card can show, for `version()`: rendered, they change as the code does."""
    section = Section(name="Section & Co", slug="section")
    picture = Image(file="images/sample.jpg", width=1600, height=1000, alt_text="Alt <text>", focal_x=30, focal_y=70)
    bylines = [
        Byline(author=Author(name=name, slug=f"author-{n}"), role=role)
        for n, (name, role) in enumerate([("Ann", "by"), ("Bo", "by"), ("Cy", "additional"), ("Di", "photos")])
    ]
    # Every type (each label), a live story open and closed, with and without a picture and a standfirst (none:
    # the summary is the body's opening, cut short).
    kinds = [(article_type, True) for article_type in Article.Type.values] + [(Article.Type.LIVE, False)]
    stories = []
    for n, (article_type, coverage_open) in enumerate(kinds):
        story = Article(
            pk=n + 1,
            headline=f"Story “{n}” <b>",
            slug=f"story-{n}",
            standfirst="" if n % 2 else f"Standfirst & {n}",
            body="<p>" + "word " * 300 + "</p>",
            article_type=article_type,
            published_at=datetime.datetime(2001, 2, 3, 23, 30, tzinfo=datetime.UTC),
            section=section,
            lead_image=None if n % 3 else picture,
        )
        story.listed_bylines, story.coverage_open = bylines[: n % 4 + 1], coverage_open
        stories.append(story)
    return stories


def make(pks, using=DEFAULT_DB_ALIAS):
    """Make and store the cards of those of these stories that are published or scheduled; how many were made.

    Each batch locks its cards' rows before reading the stories. A change that commits meanwhile empties its
    cards (`forget()`) after the batch commits, since it waits for the lock, so a card made from the rows as
    they were never outlives them; the rows of cards not made yet are inserted first, to be locked too.
    """
    made = 0
    current = version()
    for start in range(0, len(pks), BATCH):
        batch = pks[start : start + BATCH]
        with transaction.atomic(using=using):
            Card.objects.using(using).bulk_create([Card(article_id=pk) for pk in batch], ignore_conflicts=True)
            locked = Card.objects.using(using).select_for_update().filter(pk__in=batch).order_by("pk")
            locked = list(locked.values_list("pk", flat=True))
            stories = list(Article.objects.using(using).published_or_scheduled().filter(pk__in=locked).for_listing())
            mark_open_coverage(stories)
            cards = [Card(article_id=s.pk, version=current, html=render(s), lead_html=render(s, True)) for s in stories]
            Card.objects.using(using).bulk_create(
                cards, update_conflicts=True, unique_fields=["article"], update_fields=["version", "html", "lead_html"]
            )
        made += len(cards)
    return made


def forget(stories):
    """Empty the cards of `stories` (a queryset on the database written to) in the current transaction.

    An upsert, not an update: a card being made by another transaction right now waits for this one and is
    emptied after it; a story without a card row gets an empty one, which a card made later locks.
    """
    sql, params = stories.order_by().values("id").query.sql_with_params()
    with connections[stories.db].cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {Card._meta.db_table} (article_id, version, html, lead_html)
                SELECT DISTINCT story.id, '', '', '' FROM ({sql}) story WHERE true
                ON CONFLICT (article_id) DO UPDATE SET version = '', html = '', lead_html = ''""",
            params,
        )


def remake_after_commit(stories):
    """After the commit, make again the cards of the newest REMADE_AT_ONCE of `stories` that readers may get."""

    def remake():
        newest = stories.published_or_scheduled().order_by("-published_at", "-id").values_list("pk", flat=True)
        make(list(newest[:REMADE_AT_ONCE]), stories.db)

    # A card that failed to be made is rendered on each request until refresh_cards: not worth a failed save.
    transaction.on_commit(remake, using=stories.db, robust=True)


def changed(stories):
    """What a change to what the cards of `stories` show does: empty them now, make them again after commit.

    On the database written to, whatever reads go to: a reader's request may be reading a replica.
    """
    stories = stories.using(router.db_for_write(Card))
    forget(stories)
    remake_after_commit(stories)


def stale(stories):
    """Those of `stories` whose card is missing, emptied or of another version than this code's."""
    return stories.exclude(card__version=version())


def listed(stories):
    """Stories of a listing (`for_cards()`) as its page prints them, in order: each with a current card as a
    StoredCard, the others ready to be rendered (bylines and live coverage loaded, in one query each)."""
    current, shown, unmade = version(), [], []
    for story in stories:
        try:
            card = story.card
        except ObjectDoesNotExist:
            card = None
        if card is not None and card.version == current:
            shown.append(StoredCard(story.pk, card.html))
        else:
            shown.append(story)
            unmade.append(story)
    prefetch_related_objects(unmade, card_bylines())
    mark_open_coverage(unmade)
    return shown
