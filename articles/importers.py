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
      "published_at": "2024-05-03T09:30:00+02:00"
    }

A file imports whole or not at all. A story already imported (same headline and
body) is skipped, so importing a file twice adds nothing.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import escape
from django.utils.text import slugify

from .models import Article, Author, Byline, Section, Tag, validate_story_date

DEFAULT_SECTION = "news"


class ImportFailed(Exception):
    pass


@dataclass
class ImportResult:
    created: list = field(default_factory=list)
    skipped: int = 0


# Wire copy that went through a scrubber sometimes carries a phrase glued to its own
# repeat ("Defense MinistryDefense Ministry") or a possessive that lost its apostrophe
# ("Moscow s eventual").
# Two words or more: a glued single word ("World War II") is too often real.
GLUED_REPEAT = re.compile(r"\b([A-Z][\w'’-]*(?: [\w'’-]+){1,5})\1\b")
LOST_APOSTROPHE = re.compile(r"\b([A-Z][a-z]+) s\b")


def tidy_wire_text(text):
    text = GLUED_REPEAT.sub(r"\1", text)
    return LOST_APOSTROPHE.sub(r"\1's", text)


def parse_text(text):
    lines = text.strip().splitlines()
    if not lines:
        return [{}]
    headline = " ".join(lines[0].split())
    blocks = re.split(r"\n\s*\n", "\n".join(lines[1:]))
    paragraphs = [" ".join(block.split()) for block in blocks if block.strip()]
    if paragraphs and paragraphs[0] == headline:
        paragraphs = paragraphs[1:]
    body = "".join(f"<p>{escape(tidy_wire_text(paragraph))}</p>" for paragraph in paragraphs)
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
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFailed(f"{path}: cannot read the file ({exc})") from exc
    if path.suffix.lower() == ".json":
        try:
            return parse_json(text)
        except ValueError as exc:
            raise ImportFailed(f"{path}: not valid story JSON ({exc})") from exc
    return parse_text(text)


def _text(story, key, max_length=None):
    value = story.get(key) or ""
    if not isinstance(value, str):
        raise ValueError(f"“{key}” must be a string")
    if max_length and len(value.strip()) > max_length:
        raise ValueError(f"“{key}” is longer than {max_length} characters")
    return value.strip()


def _credit(entry):
    if isinstance(entry, str):
        name, role = entry, Byline.Role.BY
    elif isinstance(entry, dict):
        name, role = entry.get("name"), entry.get("role") or Byline.Role.BY
    else:
        name, role = None, None
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"an author needs a name, got {entry!r}")
    if role not in Byline.Role.values:
        raise ValueError(f"unknown byline role “{role}” (use one of {', '.join(Byline.Role.values)})")
    return name.strip(), role


def validate(story, *, publish, section_slug, author_name):
    """Return the story's fields, checked and normalised; raise ValueError on bad input."""
    headline = _text(story, "headline", max_length=200)
    if not headline:
        raise ValueError("the headline is missing")
    status = story.get("status") or Article.Status.DRAFT
    if status not in Article.Status.values:
        raise ValueError(f"unknown status “{status}” (use one of {', '.join(Article.Status.values)})")
    if publish:
        status = Article.Status.PUBLISHED
    article_type = story.get("article_type") or Article.Type.NEWS
    if article_type not in Article.Type.values:
        raise ValueError(f"unknown article_type “{article_type}”")
    published_at = story.get("published_at")
    if published_at:
        try:
            published_at = datetime.fromisoformat(published_at)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"published_at “{published_at}” is not an ISO 8601 date and time") from exc
        if published_at.tzinfo is None:
            raise ValueError("published_at needs a UTC offset, e.g. 2024-05-03T09:30:00+02:00")
        try:
            validate_story_date(published_at)
        except ValidationError as exc:
            raise ValueError(f"published_at: {exc.messages[0]}") from exc
    authors = story.get("authors") or ([author_name] if author_name else [])
    if not isinstance(authors, list):
        raise ValueError("authors must be a list")
    credits = [_credit(entry) for entry in authors]
    tags = story.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(tag, str) and 0 < len(tag.strip()) <= 80 for tag in tags):
        raise ValueError("tags must be a list of names of at most 80 characters")
    section = story.get("section") or section_slug or DEFAULT_SECTION
    if not isinstance(section, str) or not slugify(section):
        raise ValueError(f"section “{section}” is not a usable slug")
    return {
        "headline": headline,
        "standfirst": _text(story, "standfirst", max_length=600),
        "body": _text(story, "body_html"),
        "dateline": _text(story, "dateline", max_length=120),
        "source": _text(story, "source", max_length=120),
        "article_type": article_type,
        "status": status,
        "published_at": published_at or None,
        "section": slugify(section)[:80],
        "credits": credits,
        "tags": [tag.strip() for tag in tags],
    }


def fingerprint(fields):
    return hashlib.sha256(json.dumps([fields["headline"], fields["body"]]).encode()).hexdigest()


def unique_slug(headline):
    base = slugify(headline)[:190] or "story"
    slug, n = base, 2
    while Article.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_article(fields, import_key):
    section, _ = Section.objects.get_or_create(
        slug=fields["section"], defaults={"name": fields["section"].replace("-", " ").title()}
    )
    article = Article.objects.create(
        headline=fields["headline"],
        slug=unique_slug(fields["headline"]),
        standfirst=fields["standfirst"],
        body=fields["body"],
        section=section,
        dateline=fields["dateline"],
        source=fields["source"],
        article_type=fields["article_type"],
        status=fields["status"],
        published_at=fields["published_at"],
        import_key=import_key,
    )
    for position, (name, role) in enumerate(fields["credits"]):
        author, _ = Author.objects.get_or_create(slug=slugify(name)[:120], defaults={"name": name})
        Byline.objects.get_or_create(article=article, author=author, role=role, defaults={"position": position})
    for name in fields["tags"]:
        tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
        article.tags.add(tag)
    return article


def import_stories(stories, *, label, publish=False, section_slug=None, author_name=None):
    """Import every story of one file (named by `label` in messages), or none of them."""
    checked = []
    for number, story in enumerate(stories, start=1):
        try:
            fields = validate(story, publish=publish, section_slug=section_slug, author_name=author_name)
        except ValueError as exc:
            headline = story.get("headline") if isinstance(story.get("headline"), str) else ""
            raise ImportFailed(f"{label}: story {number}{f' ({headline!r})' if headline else ''}: {exc}") from exc
        checked.append(fields)
    result = ImportResult()
    with transaction.atomic(), reversion.create_revision():
        reversion.set_comment(f"Imported from {label}")
        for fields in checked:
            key = fingerprint(fields)
            if Article.objects.filter(import_key=key).exists():
                result.skipped += 1
            else:
                result.created.append(create_article(fields, key))
    return result


def import_file(path, **options):
    return import_stories(read_stories(path), label=str(path), **options)
