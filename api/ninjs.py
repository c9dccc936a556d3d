"""A story as IPTC ninjs 2.1 (News in JSON), for the content API and for anything that sends stories out.

Field names follow IPTC's schema, http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json; docs/api.md has
the mapping from the story's fields. Everything is absolute (settings.SITE_URL), so no request is needed.

Only a story readers may see carries its content. Any other story is a bare notice with its identity,
version and `pubstatus`: "withheld" while it is scheduled (with `embargoed`, its publication time), else
"canceled" (a draft, a story in review, withdrawn, expired, or never published): a receiver takes it down.
"""

from functools import lru_cache

from django.conf import settings

from articles.models import Byline
from articles.sanitize import plain_text
from articles.site import absolute_url
from images.models import Image
from images.renditions import CONTENT_TYPES, SHAPES, renditions

VERSION = "2.1"
SCHEMA = "http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json"
# The story's address in the content API (api/urls.py; tests/test_api_ninjs.py checks they agree): it
# never changes, where the page's address follows the section and slug.
STORY_PATH = "/api/v1/stories/{pk}/"
# A byline's role as the relationship of the person to the story.
PEOPLE_REL = {
    Byline.Role.BY: "author",
    Byline.Role.ADDITIONAL_REPORTING: "contributor",
    Byline.Role.PHOTOS: "photographer",
}


def story_uri(article):
    """The story's ninjs `uri`: its content API address, stable across slug and section changes."""
    return absolute_url(STORY_PATH.format(pk=article.pk))


def pubstatus(article):
    if article.is_published():
        return "usable"
    return "withheld" if article.is_scheduled else "canceled"


def story(article):
    """`article` as a ninjs 2.1 object (a dict ready for JSON); content only when readers may see it.

    For a published story this reads its bylines, topics and corrections: prefetch them for many stories
    (`Article.objects.for_detail()`).
    """
    status = pubstatus(article)
    item = {
        "uri": story_uri(article),
        "type": "text",
        "version": str(article.version),
        "versioncreated": article.modified_at.isoformat(),
        "pubstatus": status,
        "standard": {"name": "ninjs", "version": VERSION, "schema": SCHEMA},
    }
    if status == "withheld":
        item["embargoed"] = article.published_at.isoformat()
    if status != "usable":
        return item
    item["firstcreated"] = article.published_at.isoformat()
    item.update(content(article))
    return item


def content(article):
    credited = article.listed_bylines
    item = {
        "representationtype": "full",
        "language": settings.LANGUAGE_CODE,
        "slugline": article.slug,
        "headlines": [{"role": "main", "value": article.headline}],
        "descriptions": descriptions(article),
        "bodies": [
            {
                "role": "main",
                "contenttype": "text/html",
                "value": article.body,
                "charcount": len(plain_text(article.body)),
                "wordcount": article.word_count,
            }
        ],
        "genres": [{"name": article.get_article_type_display(), "literal": article.article_type}],
        "subjects": [
            {
                "name": article.section.name,
                "rel": "section",
                "literal": article.section.slug,
                "uri": absolute_url(article.section.get_absolute_url()),
            },
            *(
                {"name": tag.name, "rel": "about", "literal": tag.slug, "uri": absolute_url(tag.get_absolute_url())}
                for tag in article.tags.all()
            ),
        ],
        "renditions": [{"name": "page", "href": article.canonical_url, "contenttype": "text/html"}],
    }
    if article.seo_title:
        item["headlines"].append({"role": "seo", "value": article.seo_title})
    if article.social_headline:
        item["headlines"].append({"role": "social", "value": article.social_headline})
    if credited:
        item["by"] = "; ".join(f"{role} {', '.join(a.name for a in authors)}" for role, authors in article.credits)
        for field, organisations in (("people", False), ("organisations", True)):
            if found := [contributor(b) for b in credited if b.author.is_organisation == organisations]:
                item[field] = found
    if article.dateline:
        item["located"] = article.dateline
    if article.source:
        item["infosources"] = [{"name": article.source, "role": "source"}]
    if article.expires_at:
        item["expires"] = article.expires_at.isoformat()
    if article.lead_image_id:
        item["associations"] = [picture(article.lead_image)]
    return item


def descriptions(article):
    found = [{"role": "summary", "contenttype": "text/plain", "value": article.summary}]
    if article.seo_description:
        found.append({"role": "seo", "contenttype": "text/plain", "value": article.seo_description})
    if article.social_description:
        found.append({"role": "social", "contenttype": "text/plain", "value": article.social_description})
    found += [
        {"role": correction.kind, "contenttype": "text/plain", "value": correction.note}
        for correction in article.public_corrections
    ]
    return found


def contributor(byline):
    return {
        "name": byline.author.name,
        "rel": PEOPLE_REL.get(byline.role, byline.role),
        "literal": byline.author.slug,
        "uri": absolute_url(byline.author.get_absolute_url()),
    }


def picture(image):
    """The lead picture as a ninjs association: what it shows (alt), its caption, credit and every rendition."""
    item = {
        "name": "leadpicture",
        "uri": absolute_url_of(image.file.url),
        "type": "picture",
        "representationtype": "partial",
        "renditions": picture_renditions(image),
    }
    described = [("alt", image.alt_text), ("caption", image.caption)]
    item["descriptions"] = [
        {"role": role, "contenttype": "text/plain", "value": text} for role, text in described if text
    ]
    if image.credit:
        item["by"] = image.credit
    return item


def picture_renditions(image):
    """Each rendition the site makes of `image`, named `<shape>-<width>-<format>` (e.g. "lead-960-jpeg")."""
    found = remembered_renditions(
        settings.SITE_URL, settings.MEDIA_URL, image.file.name, image.width, image.height, image.focal_x, image.focal_y
    )
    return [dict(rendition) for rendition in found]


@lru_cache(maxsize=4096)
def remembered_renditions(site_url, media_url, name, width, height, focal_x, focal_y):
    """The renditions of a picture, from everything their names and URLs follow from: a page of 20 story
    cards names over 200, and working their URLs out each time cost a tenth of the content API's list."""
    image = Image(file=name, width=width, height=height, focal_x=focal_x, focal_y=focal_y)
    return tuple(
        {
            "name": f"{shape}-{made.width}-{made.format}",
            "href": absolute_url_of(made.url),
            "contenttype": CONTENT_TYPES[made.format],
            "width": made.width,
            "height": made.height,
        }
        for shape in SHAPES
        for made in renditions(image, shape)
    )


def absolute_url_of(url):
    """A storage URL made absolute: object storage gives full URLs already, local media gives a path."""
    return url if "://" in url else absolute_url(url)
