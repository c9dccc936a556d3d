"""Stories and what they name, as the content API's JSON: what the story's page shows, as plain data.

Every URL is absolute (settings.SITE_URL). A list's stories are cards (`card`, no body: `stories/<id>/`
has it); a single story (`story`) adds the body, corrections and related stories.
"""

from articles.site import absolute_url, path_to

from . import ninjs


def api_url(name, **kwargs):
    return absolute_url(path_to(f"api:{name}", **kwargs))


def section(found):
    return {
        "id": found.pk,
        "name": found.name,
        "slug": found.slug,
        "url": absolute_url(found.get_absolute_url()),
        "description": found.description,
    }


def section_ref(found):
    return {"id": found.pk, "name": found.name, "slug": found.slug, "url": absolute_url(found.get_absolute_url())}


def author(found, bio=False):
    data = {
        "id": found.pk,
        "name": found.name,
        "slug": found.slug,
        "url": absolute_url(found.get_absolute_url()),
        "organisation": found.is_organisation,
    }
    if bio:
        data["bio"] = found.bio
    return data


def topic(tag):
    return {"id": tag.pk, "name": tag.name, "slug": tag.slug, "url": absolute_url(tag.get_absolute_url())}


def picture(image):
    """A library picture: what it shows (alt), caption, credit, and every rendition the site makes of it."""
    if image is None:
        return None
    return {
        "id": image.pk,
        "alt": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
        "width": image.width,
        "height": image.height,
        "renditions": [
            {
                "name": made["name"],
                "url": made["href"],
                "content_type": made["contenttype"],
                "width": made["width"],
                "height": made["height"],
            }
            for made in ninjs.picture_renditions(image)
        ],
    }


def moment(value):
    return value.isoformat() if value else None


def card(article):
    """A story as a listing shows it. Its bylines and topics must be loaded (`Article.objects.for_listing()`,
    readpath's cards, and `tags` prefetched)."""
    data = {
        "id": article.pk,
        "url": article.canonical_url,
        "api_url": api_url("story", id=article.pk),
        "headline": article.headline,
        "standfirst": article.standfirst,
        "summary": article.summary,
        "type": article.article_type,
        "type_label": article.get_article_type_display(),
        "section": section_ref(article.section),
        "bylines": [
            {"role": byline.role, "role_label": byline.role_label, "author": author(byline.author)}
            for byline in article.listed_bylines
        ],
        "topics": [topic(tag) for tag in article.tags.all()],
        "dateline": article.dateline,
        "source": article.source,
        "published_at": moment(article.published_at),
        "updated_at": moment(article.updated_at),
        "modified_at": moment(article.modified_at),
        "expires_at": moment(article.expires_at),
        "word_count": article.word_count,
        "reading_minutes": article.reading_minutes,
        "lead_picture": picture(article.lead_image),
        "live": None,
    }
    if article.article_type == article.Type.LIVE:
        data["live"] = {
            "open": getattr(article, "coverage_open", True),
            "entries_url": api_url("entries", id=article.pk),
        }
    return data


def story(article, related):
    """A story as its page shows it: the card, the sanitised body, corrections and related stories."""
    data = card(article)
    data["body"] = article.body
    data["corrections"] = [
        {"kind": correction.kind, "note": correction.note, "created_at": moment(correction.created_at)}
        for correction in article.public_corrections
    ]
    data["related"] = [
        {
            "id": other.pk,
            "headline": other.headline,
            "url": other.canonical_url,
            "api_url": api_url("story", id=other.pk),
            "published_at": moment(other.published_at),
        }
        for other in related
    ]
    return data


def live_entry(entry, story_url):
    return {
        "id": entry.pk,
        "url": f"{story_url}#{entry.anchor}",
        "headline": entry.headline,
        "title": entry.title,
        "body": entry.body,
        "posted_at": moment(entry.posted_at),
        "changed_at": moment(entry.changed_at),
        "key_event": entry.key_event,
        "authors": [author(person) for person in entry.authors.all()],
        "picture": picture(entry.image),
    }
