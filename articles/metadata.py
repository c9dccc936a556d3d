"""What a story tells other systems about itself: Open Graph, Twitter cards and schema.org JSON-LD, as Python data.

The article template loops over these and serialises them safely; the story model knows nothing of these
vocabularies. An editor's social headline and description are for shares (Open Graph, Twitter); the SEO title
and meta description are for search engines (<title>, the description and JSON-LD). JSON-LD's `headline` stays
the story's own headline, which Google shows for a NewsArticle; an SEO title rides along as `alternativeHeadline`.
Each falls back to the headline and the summary.
"""

from django.conf import settings

from .models import Article, LiveCoverage, LiveEntry
from .sanitize import plain_text
from .site import absolute_url, og_locale, publisher

# schema.org's NewsArticle subtypes for the story types that have one.
SCHEMA_TYPES = {
    Article.Type.ANALYSIS: "AnalysisNewsArticle",
    Article.Type.OPINION: "OpinionNewsArticle",
    Article.Type.REVIEW: "ReviewNewsArticle",
    Article.Type.EXPLAINER: "BackgroundNewsArticle",
}


def opengraph(article):
    """Open Graph properties as (property, content) pairs; `article:tag` and `article:author` repeat."""
    properties = [
        ("og:type", "article"),
        ("og:title", article.social_headline or article.headline),
        ("og:description", article.social_description or article.summary),
        ("og:url", article.canonical_url),
        ("og:site_name", settings.SITE_NAME),
        ("og:locale", og_locale()),
    ]
    if article.lead_image_id:
        share = article.lead_image.share_rendition
        properties += [
            ("og:image", article.lead_image_url),
            ("og:image:width", share.width),
            ("og:image:height", share.height),
            ("og:image:alt", article.lead_image.alt_text),
        ]
    # A draft has no publication time yet: its preview leaves the times out.
    if article.published_at:
        properties.append(("article:published_time", article.published_at.isoformat()))
    if article.last_updated:
        properties.append(("article:modified_time", article.last_updated.isoformat()))
    properties.append(("article:section", article.section.name))
    properties += [("article:author", absolute_url(b.author.get_absolute_url())) for b in article.listed_bylines]
    properties += [("article:tag", tag.name) for tag in article.tags.all()]
    return properties


def twitter_card(article):
    card = {
        "twitter:card": "summary_large_image" if article.lead_image_url else "summary",
        "twitter:title": article.social_headline or article.headline,
        "twitter:description": article.social_description or article.summary,
    }
    if article.lead_image_url:
        card["twitter:image"] = article.lead_image_url
    return card


def schema_author(author):
    """A contributor as a schema.org author: agencies, desks and "Staff" are organisations."""
    kind = "Organization" if author.is_organisation else "Person"
    return {"@type": kind, "name": author.name, "url": absolute_url(author.get_absolute_url())}


def credited_organisation(article):
    """Who wrote a story without a byline, for search engines: its source (an agency), else the publisher."""
    return {"@type": "Organization", "name": article.source} if article.source else publisher()


def structured_data(article):
    """schema.org JSON-LD for search engines, as a dict; the template serialises it safely."""
    data = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPES.get(article.article_type, "NewsArticle"),
        "headline": article.headline,
        "description": article.seo_description or article.summary,
        "url": article.canonical_url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": article.canonical_url},
        "author": [schema_author(b.author) for b in article.listed_bylines] or [credited_organisation(article)],
        "publisher": publisher(),
        "articleSection": article.section.name,
        "keywords": [tag.name for tag in article.tags.all()],
        "inLanguage": settings.LANGUAGE_CODE,
        "wordCount": article.word_count,
    }
    if article.published_at:  # a draft seen in preview has no date yet
        data["datePublished"] = article.published_at.isoformat()
        data["dateModified"] = article.last_updated.isoformat()
    if article.seo_title and article.seo_title != article.headline:
        data["alternativeHeadline"] = article.seo_title
    if article.dateline:
        data["dateline"] = article.dateline
    if article.lead_image_url:
        data["image"] = [article.lead_image_url]
    if article.article_type == Article.Type.LIVE:
        data.update(live_blog(article))
    corrections = article.public_corrections
    if corrections:
        data["correction"] = [
            {"@type": "CorrectionComment", "text": c.note, "datePublished": c.created_at.isoformat()}
            for c in corrections
        ]
    return data


def live_blog(article):
    """A live story as Google's LiveBlogPosting: its coverage times and every entry readers may see."""
    coverage = LiveCoverage.objects.filter(article=article).first() or LiveCoverage(article=article)
    data = {"@type": "LiveBlogPosting"}
    if coverage.start:
        data["coverageStartTime"] = coverage.start.isoformat()
    if coverage.ended_at:
        data["coverageEndTime"] = coverage.ended_at.isoformat()
    entries = LiveEntry.objects.published().filter(article=article).prefetch_related("authors").newest_first()
    data["liveBlogUpdate"] = [
        {
            "@type": "BlogPosting",
            "headline": entry.title,
            "url": f"{article.canonical_url}#{entry.anchor}",
            "datePublished": entry.posted_at.isoformat(),
            "dateModified": max(entry.posted_at, entry.changed_at).isoformat(),
            "articleBody": " ".join(plain_text(entry.body).split()),
            "author": [schema_author(author) for author in entry.authors.all()] or [credited_organisation(article)],
        }
        for entry in entries
    ]
    return data
