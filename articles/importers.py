"""Import stories from plain-text wire copy or JSON files.

Plain text: the first non-empty line is the headline (a repeat of it on the next
non-empty line is dropped); blank lines separate paragraphs.

JSON: one story object or a list of them:

    {
      "headline": "required",
      "standfirst": "",
      "body_html": "<p>...</p>",             sanitised like every other save
      "section": "world",                    a slug; created when missing
      "authors": ["Ana Ruiz", {"name": "Wire", "role": "additional"}],
                                             roles: by, additional, photos
      "tags": ["Belarus"],
      "dateline": "MINSK",
      "source": "Wire agency",
      "article_type": "news",                news, analysis, opinion, review, explainer
      "status": "published",                 draft, review, published, withdrawn
      "published_at": "2024-05-03T09:30:00+02:00",
      "seo_title": "",                       optional, at most 110 characters: the title in search results
      "seo_description": "",                 optional, at most 160: the summary in search results
      "social_headline": "",                 optional, at most 110: the title when the story is shared
      "social_description": "",              optional, at most 200: the text when the story is shared
      "external_id": "",                     optional: the source's stable id (live coverage)
      "live_entries": []                     optional: a live story's entries (articles/live_import.py)
    }

Left out or empty, the last four fall back to the headline and the standfirst.

A story that is published (by --publish or its own status) must pass the blocking items of
the publish checklist (articles/checklist.py); its advisory items are skipped.

The copy desk's checks (articles/copydesk/) run over each story: the faults a wire scrubber leaves (a
phrase glued to its own repeat, a possessive without its apostrophe) are mended unless `mend` is off, and
each story's report says what was mended and what is left for the desk.

A file (at most 10 MB) imports whole or not at all. A story already imported (same
headline and body, or the same external_id) is skipped, so importing a file twice adds nothing;
only a known story's new live entries are added, and a bad entry is refused on its own. Authors and
topics are matched by name (case and spacing aside), never by slug; a new section
goes last in the navigation.
"""

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import reversion
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.html import escape
from django.utils.text import slugify

from . import checklist, copydesk
from .live_import import add_live_entries, external_id_of, live_entries_of
from .models import (
    RESERVED_SECTION_SLUGS,
    Article,
    Author,
    Byline,
    HouseStyle,
    Section,
    Tag,
    validate_story_date,
)
from .sanitize import clean_text

DEFAULT_SECTION = "news"
MAX_FILE_MB = 10


class ImportFailed(Exception):
    pass


@dataclass
class CopyReport:
    """What the copy desk mended in one imported story, and what it left for the desk."""

    headline: str
    mended: list = field(default_factory=list)
    left: list = field(default_factory=list)

    def summary(self):
        parts = []
        if self.mended:
            fixes = "; ".join(f"“{f.shown}” → “{f.suggestion}”" for f in self.mended)
            parts.append(f"mended {len(self.mended)} ({fixes})")
        if self.left:
            counts = Counter(copydesk.CHECKS[f.check].lower() for f in self.left)
            kinds = ", ".join(f"{kind} {count}" for kind, count in counts.items())
            parts.append(f"{len(self.left)} left for the copy desk ({kinds})")
        return "; ".join(parts) or "nothing for the copy desk"


@dataclass
class ImportResult:
    created: list = field(default_factory=list)
    skipped: int = 0
    reports: list = field(default_factory=list)  # a CopyReport per story created
    entries_added: int = 0
    refused_entries: list = field(default_factory=list)


def parse_text(text):
    lines = text.strip().splitlines()
    if not lines:
        return [{}]
    headline = " ".join(lines[0].split())
    blocks = re.split(r"\n\s*\n", "\n".join(lines[1:]))
    paragraphs = [" ".join(block.split()) for block in blocks if block.strip()]
    if paragraphs and paragraphs[0] == headline:
        paragraphs = paragraphs[1:]
    body = "".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs)
    return [{"headline": headline, "body_html": body}]


def parse_json(text):
    data = json.loads(text)
    stories = data if isinstance(data, list) else [data]
    if not all(isinstance(story, dict) for story in stories):
        raise ValueError("expected a story object or a list of story objects")
    return stories


def read_stories(path):
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_MB * 1024 * 1024:
            raise ImportFailed(f"{path}: the file is larger than {MAX_FILE_MB} MB; split it into smaller files")
        # utf-8-sig: a byte order mark is not part of the headline.
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFailed(f"{path}: cannot read the file ({exc})") from exc
    if path.suffix.lower() == ".json":
        try:
            return parse_json(text)
        except RecursionError as exc:
            raise ImportFailed(f"{path}: not valid story JSON (nested too deeply)") from exc
        except ValueError as exc:
            raise ImportFailed(f"{path}: not valid story JSON ({exc})") from exc
    return parse_text(text)


def shown(value):
    """A value from the file as an error message quotes it: on one line, escapes visible, not too long."""
    text = f"“{repr(value)[1:-1]}”" if isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else f"{text[:59]}…"


def _text(story, key, max_length=None, multiline=False):
    value = story.get(key) or ""
    if not isinstance(value, str):
        raise ValueError(f"“{key}” must be a string")
    value = clean_text(value, multiline=multiline).strip()
    if max_length and len(value) > max_length:
        raise ValueError(f"“{key}” is longer than {max_length} characters")
    return value


def _name(value):
    """A person's or topic's name as it is stored and matched: no controls, single spaces."""
    return " ".join(clean_text(value, multiline=False).split())


def _credit(entry):
    if isinstance(entry, str):
        name, role = entry, Byline.Role.BY
    elif isinstance(entry, dict):
        name, role = entry.get("name"), entry.get("role") or Byline.Role.BY
    else:
        name, role = None, None
    name = _name(name) if isinstance(name, str) else ""
    if not name:
        raise ValueError(f"an author needs a name, got {shown(entry)}")
    if len(name) > Author._meta.get_field("name").max_length:
        raise ValueError(f"the author name “{name[:40]}…” is longer than 120 characters")
    if role not in Byline.Role.values:
        raise ValueError(f"unknown byline role {shown(role)} (use one of {', '.join(Byline.Role.values)})")
    return name, role


def validate(story, *, publish, section_slug, author_name):
    """Return the story's fields, checked and normalised; raise ValueError on bad input."""
    headline = _text(story, "headline", max_length=200)
    if not headline:
        raise ValueError("the headline is missing")
    status = story.get("status") or Article.Status.DRAFT
    if status not in Article.Status.values:
        raise ValueError(f"unknown status {shown(status)} (use one of {', '.join(Article.Status.values)})")
    if publish:
        status = Article.Status.PUBLISHED
    live_entries = live_entries_of(story)
    article_type = story.get("article_type") or (Article.Type.LIVE if live_entries else Article.Type.NEWS)
    if article_type not in Article.Type.values:
        raise ValueError(f"unknown article_type {shown(article_type)}")
    if live_entries and article_type != Article.Type.LIVE:
        raise ValueError("live_entries belong to a story whose article_type is “live”")
    published_at = story.get("published_at")
    if published_at:
        try:
            published_at = datetime.fromisoformat(published_at)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"published_at {shown(published_at)} is not an ISO 8601 date and time") from exc
        if published_at.tzinfo is None:
            raise ValueError("published_at needs a UTC offset, e.g. 2024-05-03T09:30:00+02:00")
        try:
            validate_story_date(published_at)
        except ValidationError as exc:
            raise ValueError(f"published_at: {exc.messages[0]}") from exc
        # Inside the allowed years no offset can carry a time past the ends of Python's calendar.
        published_at = published_at.astimezone(UTC)
    authors = story.get("authors") or ([author_name] if author_name else [])
    if not isinstance(authors, list):
        raise ValueError("authors must be a list")
    credits = [_credit(entry) for entry in authors]
    tags = story.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(tag, str) and 0 < len(_name(tag)) <= 80 for tag in tags):
        raise ValueError("tags must be a list of names of at most 80 characters")
    section = story.get("section") or section_slug or DEFAULT_SECTION
    if not isinstance(section, str) or not slugify(section, allow_unicode=True):
        raise ValueError(f"section {shown(section)} is not a usable slug")
    section = slugify(section, allow_unicode=True)[:80].strip("-_")
    if section in RESERVED_SECTION_SLUGS:
        raise ValueError(f"section “{section}” is an address the site uses itself; choose another")
    return {
        "headline": headline,
        "standfirst": _text(story, "standfirst", max_length=600, multiline=True),
        "body": _text(story, "body_html", multiline=True),
        "dateline": _text(story, "dateline", max_length=120),
        "source": _text(story, "source", max_length=120),
        **{
            name: _text(story, name, max_length=Article._meta.get_field(name).max_length)
            for name in Article.SEARCH_AND_SOCIAL
        },
        "article_type": article_type,
        "status": status,
        "published_at": published_at or None,
        "section": section,
        "credits": credits,
        "tags": [_name(tag) for tag in tags],
        "external_id": external_id_of(story),
        "live_entries": live_entries,
    }


def fingerprint(fields):
    """The story's import key: its source's external_id when it has one (the story may change), else its text."""
    if fields["external_id"]:
        return hashlib.sha256(json.dumps(["external_id", fields["external_id"]]).encode()).hexdigest()
    return hashlib.sha256(json.dumps([fields["headline"], fields["body"]]).encode()).hexdigest()


def find_or_create_section(slug):
    """The section with this slug, or a new one, last in the navigation; ValueError when its name is taken."""
    section = Section.objects.filter(slug=slug).first()
    if section:
        return section
    name = slug.replace("-", " ").title()
    namesake = Section.objects.filter(name__iexact=name).first()
    if namesake:
        raise ValueError(f"there is no section “{slug}”, and the section “{namesake}” has the slug “{namesake.slug}”")
    last = Section.objects.aggregate(last=models.Max("order"))["last"]
    return Section.objects.create(slug=slug, name=name, order=0 if last is None else last + 1)


def create_article(fields, import_key):
    article = Article.objects.create(
        headline=fields["headline"],
        standfirst=fields["standfirst"],
        body=fields["body"],
        section=find_or_create_section(fields["section"]),
        dateline=fields["dateline"],
        source=fields["source"],
        **{name: fields[name] for name in Article.SEARCH_AND_SOCIAL},
        article_type=fields["article_type"],
        status=fields["status"],
        published_at=fields["published_at"],
        import_key=import_key,
    )
    for position, (name, role) in enumerate(fields["credits"]):
        # By name, never by slug: "🔥" and "Иван Петров" are two people whatever their slugs.
        author = Author.objects.filter(name__iexact=name).order_by("pk").first() or Author.objects.create(name=name)
        Byline.objects.get_or_create(article=article, author=author, role=role, defaults={"position": position})
    for name in fields["tags"]:
        tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
        article.tags.add(tag)
    return article


def copy_edit(fields, house, mend):
    """Mend the story's wire faults in place (unless `mend` is off); say what was mended and what is left."""
    mended = []
    for name in copydesk.FIELDS if mend else []:
        # A mend never lengthens the text ("Moscow s" -> "Moscow's"), so a field stays within its limit.
        fields[name], fixed = copydesk.mend(name, fields[name], house)
        mended += fixed
    left = copydesk.check_story(house, **{name: fields[name] for name in copydesk.FIELDS})
    return CopyReport(fields["headline"], mended, left)


def import_stories(stories, *, label, publish=False, section_slug=None, author_name=None, mend=True):
    """Import every story of one file (named by `label` in messages), or none of them.

    `mend`: fix the wire faults the copy desk may fix unasked (copydesk.MENDED_ON_IMPORT); off, copy comes as it came.
    """
    checked, house = [], HouseStyle.house()
    for number, story in enumerate(stories, start=1):
        try:
            fields = validate(story, publish=publish, section_slug=section_slug, author_name=author_name)
        except ValueError as exc:
            headline = story.get("headline") if isinstance(story.get("headline"), str) else ""
            raise ImportFailed(f"{label}: story {number}{f' ({headline[:60]!r})' if headline else ''}: {exc}") from exc
        fields["copy_report"] = copy_edit(fields, house, mend)
        checked.append(fields)
    result = ImportResult()
    with transaction.atomic(), reversion.create_revision():
        reversion.set_comment(f"Imported from {label}")
        refused = []
        for number, fields in enumerate(checked, start=1):
            key = fingerprint(fields)
            story = f"{label}: story {number} ({fields['headline'][:60]!r})"
            if Article.objects.filter(import_key=key).exists():
                result.skipped += 1
                add_entries(result, Article.objects.get(import_key=key), fields, story)
                continue
            try:
                article = create_article(fields, key)
            except ValueError as exc:
                raise ImportFailed(f"{story}: {exc}") from exc
            except IntegrityError as exc:
                # Another import saved the same story (or a namesake's slug) since this one looked.
                raise ImportFailed(f"{story}: being imported by another run at the same time; try again") from exc
            if article.status == Article.Status.PUBLISHED:
                # Checked as saved, bylines included; a refusal rolls the whole file back.
                blocking, _advisory = checklist.open_items(checklist.Attempt.as_stored(article))
                if blocking:
                    refused.append(f"{story}: cannot be published: it needs {'; '.join(blocking).lower()}")
            result.created.append(article)
            result.reports.append(fields["copy_report"])
            add_entries(result, article, fields, story)
        if refused:
            raise ImportFailed("\n".join(refused))
    return result


def add_entries(result, article, fields, story):
    added, refused = add_live_entries(article, fields["live_entries"], story)
    result.entries_added += added
    result.refused_entries += refused


def import_file(path, **options):
    return import_stories(read_stories(path), label=str(path), **options)
