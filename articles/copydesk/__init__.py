"""The copy desk: the house style and the faults wire copy arrives with, found in a story's text.

Pure functions over text; the style guide and the house's settings come in as a `House`. A story body is
read as readers read it: tags, attributes, script and URLs are skipped, entities count as the characters
they stand for, and runs of spaces as the one space a browser shows. Each finding's `start` and `end` are
offsets (in characters, as Python counts them) into the field's text as given, HTML and all, so a fix
replaces `text[start:end]` with `suggestion` (escaped, in a body). A finding whose span holds markup, or
only part of an entity, has no suggestion: it is fixed by hand.
"""

import re
from dataclasses import dataclass, fields

from django.utils.html import escape

from .checks import BLOCK_CHECKS, House, StyleRule, quote_marks
from .reading import body_blocks, text_blocks

__all__ = [
    "CHECKS",
    "FIELDS",
    "MENDED_ON_IMPORT",
    "Finding",
    "House",
    "StyleRule",
    "apply",
    "check_field",
    "check_story",
    "mend",
]

CHECKS = {
    "style": "House style",
    "glued": "Glued repeat",
    "repeat": "Repeated words",
    "apostrophe": "Missing apostrophe",
    "spacing": "Spacing",
    "quotes": "Unbalanced quotes",
    "brackets": "Unbalanced brackets",
    "curly-quotes": "Straight quotes",
    "long-sentence": "Long sentence",
    "long-paragraph": "Long paragraph",
    "headline-case": "Headline case",
}
# What the importer mends unless told not to: faults a wire scrubber leaves, never the writer's choices.
MENDED_ON_IMPORT = frozenset({"glued", "apostrophe"})
FIELD_CHECKS = {
    "headline": [
        "style",
        "glued",
        "repeat",
        "apostrophe",
        "spacing",
        "quotes",
        "brackets",
        "curly-quotes",
        "headline-case",
    ],
    "standfirst": [
        "style",
        "glued",
        "repeat",
        "apostrophe",
        "spacing",
        "quotes",
        "brackets",
        "curly-quotes",
        "long-sentence",
    ],
    "body": [
        *("style", "glued", "repeat", "apostrophe", "spacing", "quotes", "brackets", "curly-quotes"),
        *("long-sentence", "long-paragraph"),
    ],
}
FIELDS = tuple(FIELD_CHECKS)  # the story's fields the desk reads, in the order it reports them
CONTEXT = 30  # characters of text on either side of a finding, for the panel
URL = re.compile(r"(?:https?://|ftp://|www\.)[^\s<>\"“”]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    check: str
    message: str
    start: int
    end: int
    text: str  # the field's text at start:end, markup and entities as they stand
    suggestion: str | None = None  # what readers should read there instead; None: fixed by hand
    field: str = ""
    shown: str = ""  # the text as readers read it
    before: str = ""
    after: str = ""
    ignored: bool = False

    def as_json(self):
        return {f.name: getattr(self, f.name) for f in fields(self)}


def urls(text):
    if "://" not in text and "www." not in text.lower() and "@" not in text:
        return []
    return [match.span() for match in URL.finditer(text)]


def check_field(field, value, house):
    """Every finding in one field's text: the body is read as HTML, the headline and standfirst as written."""
    value = value or ""
    blocks = body_blocks(value) if field == "body" else text_blocks(value)
    checks = FIELD_CHECKS.get(field, FIELD_CHECKS["standfirst"])
    quotes = quote_marks(blocks) if "quotes" in checks else [[] for _ in blocks]
    findings = []
    for block, unbalanced in zip(blocks, quotes, strict=True):
        text, links = block.text, urls(block.text)
        hits = [(name, hit) for name in checks if name in BLOCK_CHECKS for hit in BLOCK_CHECKS[name](block, house)]
        for name, (start, end, suggestion, message) in [*hits, *(("quotes", hit) for hit in unbalanced)]:
            if start >= end or any(start < link_end and link_start < end for link_start, link_end in links):
                continue
            source_start, source_end, exact = block.source_span(start, end)
            findings.append(
                Finding(
                    check=name,
                    message=message,
                    start=source_start,
                    end=source_end,
                    text=value[source_start:source_end],
                    suggestion=suggestion if exact else None,
                    field=field,
                    shown=text[start:end],
                    before=text[max(0, start - CONTEXT) : start],
                    after=text[end : end + CONTEXT],
                )
            )
    findings.sort(key=lambda finding: (finding.start, finding.end, finding.check))
    return findings


def check_story(house, *, headline="", standfirst="", body=""):
    """The findings in a story's headline, standfirst and body, in that order."""
    values = {"headline": headline, "standfirst": standfirst, "body": body}
    return [finding for name, value in values.items() for finding in check_field(name, value, house)]


def apply(value, findings, *, html=False):
    """The text with the findings' suggestions in place, and the findings applied, in order.

    Applied from the end, so each offset still holds; one that overlaps a finding after it is left out.
    """
    taken, applied = len(value) + 1, []
    for finding in sorted(findings, key=lambda f: (f.start, f.end), reverse=True):
        if finding.suggestion is None or finding.end > taken:
            continue
        replacement = escape(finding.suggestion) if html else finding.suggestion
        value = value[: finding.start] + replacement + value[finding.end :]
        taken = finding.start
        applied.append(finding)
    return value, applied[::-1]


def mend(field, value, house, *, checks=MENDED_ON_IMPORT):
    """The field with the findings of `checks` fixed, and those findings: (text, mended)."""
    value = value or ""
    found = [finding for finding in check_field(field, value, house) if finding.check in checks]
    return apply(value, found, html=field == "body")
