"""What readers get of a live story: its page's entries and key events, and the update endpoint's answer.

The story itself comes from articles/readpath.py (or the ORM gate); its entries from
`LiveEntry.objects.published()`, a few small queries that the page cache keeps until an entry changes.

The update endpoint answers "what changed after `since`", where `since` is the `version` token the page
(or the previous answer) gave: the latest moment anything readers see of the entries changed. Every reader
who is up to date polls the same URL, which the page cache keeps until the next entry purges it.
"""

import datetime

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dates import MONTHS_3

from .models import Article, LiveCoverage, LiveEntry
from .models.live import epoch_micros

ENTRIES_PER_PAGE = 20
KEY_EVENTS_SHOWN = 20
# More changes than this since a reader's token: their page is told to reload instead.
MOST_CHANGES = 50


class NoSuchEntry(LookupError):
    pass


def time_label(moment, now):
    """An entry's time as the page shows it: "12:04", "Yesterday 23:10", "3 Dec 09:15", "3 Dec 2025, 09:15"."""
    moment, today = timezone.localtime(moment), timezone.localtime(now).date()
    clock = f"{moment:%H:%M}"
    if moment.date() == today:
        return clock
    if moment.date() == today - datetime.timedelta(days=1):
        return f"Yesterday {clock}"
    day = f"{moment.day} {MONTHS_3[moment.month].title()}"
    return f"{day} {clock}" if moment.year == today.year else f"{day} {moment.year}, {clock}"


def live_story(section, slug):
    """The published live story at `section`/`slug`, or a 404."""
    article = Article.objects.published().select_related("section").filter(slug=slug).first()
    if article is None or article.article_type != Article.Type.LIVE or article.section.slug != section:
        raise Http404("No such live story.")
    return article


def coverage_of(article):
    """The story's coverage record; an open one, not saved, when nobody has started or closed it yet."""
    return LiveCoverage.objects.filter(article=article).first() or LiveCoverage(article=article)


def poll_seconds():
    return settings.LIVE_POLL_SECONDS


def live_page(article, now, at=None, preview=False):
    """The live part of `article`'s page: coverage, key events and a page of entries, newest first.

    `at` (an entry's id, from "Show earlier updates" or a permalink) starts the page at that entry;
    NoSuchEntry when readers cannot see it or it is not a number. A `preview` shows the entries readers will
    see once the story is public.
    """
    entries = (LiveEntry.objects.ready(at=now) if preview else LiveEntry.objects.published(at=now)).filter(
        article=article
    )
    listed = entries
    if at is not None:
        is_key = at.isascii() and at.isdigit() and len(at) <= 18
        start = entries.filter(pk=at).values("posted_at", "pk").first() if is_key else None
        if start is None:
            raise NoSuchEntry(at)
        listed = entries.filter(
            Q(posted_at__lt=start["posted_at"]) | Q(posted_at=start["posted_at"], pk__lte=start["pk"])
        )
    shown = list(listed.for_page().newest_first()[: ENTRIES_PER_PAGE + 1])
    older = shown[ENTRIES_PER_PAGE] if len(shown) > ENTRIES_PER_PAGE else None
    shown = shown[:ENTRIES_PER_PAGE]
    key_events = list(entries.filter(key_event=True).newest_first()[:KEY_EVENTS_SHOWN])
    return {
        "coverage": coverage_of(article),
        "entries": shown,
        "older": older,
        "key_events": key_events,
        "shown_ids": {entry.pk for entry in shown},
        "version": LiveEntry.objects.filter(article=article).version(now),
        "at": at,
        "now": now,
        "time_label": time_label,
        "poll_seconds": poll_seconds(),
    }


def last_changed(live):
    """When anything readers see of the story's entries last changed (None: never), for Last-Modified."""
    return datetime.datetime.fromtimestamp(live["version"] / 1_000_000, tz=datetime.UTC) if live["version"] else None


def updates(article, since, now):
    """The update endpoint's answer for a reader whose page is at version `since` (microseconds)."""
    since_moment = datetime.datetime.fromtimestamp(min(since, epoch_micros(now)) / 1_000_000, tz=datetime.UTC)
    story_entries = LiveEntry.objects.filter(article=article)
    changed = list(story_entries.changed_since(since_moment, now).values_list("pk", flat=True)[: MOST_CHANGES + 1])
    coverage = coverage_of(article)
    answer = {
        "version": str(story_entries.version(now)),
        "ended": not coverage.is_open,
        "reload": len(changed) > MOST_CHANGES,
        "entries": [],
        "removed": [],
        "key_events_html": None,
    }
    if not changed or answer["reload"]:
        return answer
    entries = LiveEntry.objects.published(at=now).filter(article=article)
    visible = list(entries.filter(pk__in=changed).for_page().newest_first())
    context = {"now": now, "time_label": time_label, "article": article}
    answer["entries"] = [
        {
            "id": entry.pk,
            "posted_at": entry.posted_at.isoformat(),
            "html": render_to_string("articles/_live_entry.html", {**context, "entry": entry}),
        }
        for entry in visible
    ]
    answer["removed"] = sorted(set(changed) - {entry.pk for entry in visible})
    key_events = list(entries.filter(key_event=True).newest_first()[:KEY_EVENTS_SHOWN])
    answer["key_events_html"] = render_to_string(
        "articles/_live_key_events.html", {**context, "key_events": key_events, "shown_ids": None}
    )
    return answer


def mark_open_coverage(stories):
    """Set `coverage_open` on each live story among these story cards: its "Live" label shows while it is open.

    One query, and only when a live story is among them.
    """
    live = [story for story in stories if story and story.article_type == "live"]
    if not live:
        return
    ended = set(
        LiveCoverage.objects.filter(article__in=[story.pk for story in live], ended_at__isnull=False).values_list(
            "article_id", flat=True
        )
    )
    for story in live:
        story.coverage_open = story.pk not in ended
