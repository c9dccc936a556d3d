"""The allow-list for story HTML. Every save path runs through `clean_html` (Article.save)."""

import nh3

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


def clean_html(html):
    if not html:
        return ""
    return nh3.clean(
        html,
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
