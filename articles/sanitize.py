"""What text may be stored: the allow-list for story HTML (`clean_html`, Article.save) and the characters
plain text may hold (`clean_text`, every model's save()); `xml_text` for what feeds and sitemaps write."""

import re
from html import unescape

import nh3
from django.db import models
from django.utils.html import strip_tags

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "strong",
    "b",
    "em",
    "i",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "figure",
    "figcaption",
    "img",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}
# Relative URLs (our own /media/ uploads, internal links) pass; any other scheme,
# javascript: and data: among them, is dropped.
URL_SCHEMES = {"http", "https", "mailto"}


# Controls that break lines (Word's manual line break is a vertical tab) become a line break or a space.
LINE_BREAKING_CONTROLS = re.compile("\r\n?|[\x0b\x0c\x1c-\x1f\x85]")
# Every other C0 and C1 control, DEL, lone surrogates (from JSON "\\ud800"), the byte order mark and the
# two non-characters XML refuses: nothing a reader can see, and each breaks a feed, the database or both.
INVISIBLE_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ud800-\udfff\ufeff\ufffe\uffff]")
# What XML 1.0 cannot carry at all, for text stored before it was cleaned.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean_text(text, *, multiline):
    """Plain text without control characters; tab and newline stay where lines belong (`multiline`)."""
    if not text:
        return text
    text = INVISIBLE_CONTROLS.sub("", LINE_BREAKING_CONTROLS.sub("\n", text))
    return text if multiline else text.replace("\n", " ").replace("\t", " ")


def clean_text_fields(instance):
    """Clean every plain-text field of a model instance in place: called first in each model's save()."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField) and not field.choices:
            value = getattr(instance, field.attname)
            if isinstance(value, str):
                setattr(instance, field.attname, clean_text(value, multiline=isinstance(field, models.TextField)))


def xml_text(text):
    """`text` without the characters XML 1.0 forbids, so a feed or sitemap stays well-formed."""
    return NOT_XML.sub("", text) if isinstance(text, str) else text


# Where one block of story HTML ends and the next begins: words on either side are separate words.
BLOCK_BOUNDARY = re.compile(r"</?(?:p|br|hr|h[2-4]|ul|ol|li|blockquote|figure|figcaption|table|caption|t[rdh])\b[^>]*>")


def plain_text(html):
    """The words of story HTML, as readers read them: blocks apart, entities as characters."""
    return unescape(strip_tags(BLOCK_BOUNDARY.sub(" ", html)))


def clean_html(html):
    if not html:
        return ""
    return nh3.clean(
        clean_text(html, multiline=True),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        # Every link gets rel="noopener": needed on external links, harmless on internal ones.
        link_rel="noopener",
        strip_comments=True,
        # Body pictures sit below the headline and lead picture: the browser fetches them as readers scroll.
        # One attribute only: nh3 adds several in no fixed order, and the body must clean to the same text.
        set_tag_attribute_values={"img": {"loading": "lazy"}},
    ).strip()
