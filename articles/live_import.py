"""A wire story's live entries, imported: the `live_entries` of the JSON import contract (articles/importers.py).

    "external_id": "afp-2024-0503-minsk",      stable, from the source: the story is found by it again
    "live_entries": [{"id": "e1", "posted_at": "2024-05-03T09:30:00+02:00", "headline": "",
                      "body_html": "<p>...</p>", "key_event": false, "authors": ["Ana Ruiz"]}]

Importing a story whose `external_id` is known adds the entries it does not have yet (by entry `id`) and
changes nothing else, so an agency's live feed can be imported every minute. A bad entry is refused with a
message naming it; the others are kept.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from .models import Author, LiveEntry, LiveEntryChange, validate_story_date
from .sanitize import clean_html, clean_text

MAX_ID_LENGTH = LiveEntry._meta.get_field("external_id").max_length
HEADLINE_LENGTH = LiveEntry._meta.get_field("headline").max_length
AUTHOR_NAME_LENGTH = Author._meta.get_field("name").max_length


def external_id_of(story):
    """The story's `external_id`, checked; "" when it has none."""
    value = story.get("external_id")
    if value in (None, ""):
        return ""
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise ValueError("external_id must be a string")
    value = clean_text(str(value), multiline=False).strip()
    if not value or len(value) > MAX_ID_LENGTH:
        raise ValueError(f"external_id must be 1 to {MAX_ID_LENGTH} characters")
    return value


def live_entries_of(story):
    """The story's `live_entries` as a list (not checked one by one yet); ValueError if it is not a list."""
    entries = story.get("live_entries") or []
    if not isinstance(entries, list):
        raise ValueError("live_entries must be a list of entry objects")
    return entries


def checked_entry(entry):
    """An entry's fields, checked and normalised; ValueError saying what is wrong."""
    if not isinstance(entry, dict):
        raise ValueError("is not an object")
    entry_id = entry.get("id")
    if isinstance(entry_id, bool) or not isinstance(entry_id, str | int) or not str(entry_id).strip():
        raise ValueError("needs an “id” (a string)")
    entry_id = clean_text(str(entry_id), multiline=False).strip()[:MAX_ID_LENGTH]
    body = entry.get("body_html")
    if not isinstance(body, str) or not clean_html(body):
        raise ValueError("needs a “body_html”")
    headline = entry.get("headline") or ""
    if not isinstance(headline, str) or len(headline) > HEADLINE_LENGTH:
        raise ValueError(f"“headline” must be a string of at most {HEADLINE_LENGTH} characters")
    posted_at = entry.get("posted_at")
    try:
        posted_at = datetime.fromisoformat(posted_at)
        validate_story_date(posted_at)
    except (TypeError, ValueError, ValidationError) as exc:
        raise ValueError("needs a “posted_at” in ISO 8601 with a UTC offset") from exc
    if posted_at.tzinfo is None:
        raise ValueError("“posted_at” needs a UTC offset, e.g. 2024-05-03T09:30:00+02:00")
    authors = entry.get("authors") or []
    if not isinstance(authors, list) or not all(
        isinstance(name, str) and 0 < len(name.strip()) <= AUTHOR_NAME_LENGTH for name in authors
    ):
        raise ValueError(f"“authors” must be a list of names of at most {AUTHOR_NAME_LENGTH} characters")
    return {
        "external_id": entry_id,
        "posted_at": posted_at,
        "headline": headline,
        "body": body,
        "key_event": entry.get("key_event") is True,
        "authors": [" ".join(clean_text(name, multiline=False).split()) for name in authors],
    }


def add_live_entries(article, entries, label):
    """Add the entries `article` does not have yet; return (how many were added, messages for refused ones)."""
    known = set(article.live_entries.exclude(external_id="").values_list("external_id", flat=True))
    added, refused = 0, []
    for number, raw in enumerate(entries, start=1):
        try:
            fields = checked_entry(raw)
        except ValueError as exc:
            refused.append(f"{label}: live entry {number} refused: it {exc}")
            continue
        if fields["external_id"] in known:
            continue
        names = fields.pop("authors")
        try:
            with transaction.atomic():
                entry = LiveEntry.objects.create(article=article, **fields)
                for name in names:
                    author = Author.objects.filter(name__iexact=name).order_by("pk").first()
                    entry.authors.add(author or Author.objects.create(name=name))
                entry.record(LiveEntryChange.Action.POSTED, None)
        except (ValidationError, IntegrityError) as exc:
            # IntegrityError: another run imported the same entry since this one looked.
            refused.append(f"{label}: live entry {number} refused: {exc}")
            continue
        known.add(fields["external_id"])
        added += 1
    return added, refused
