"""Every kind of public URL, for the tests that throw hostile input at all of them (XSS, bad input)."""

from django.utils.timezone import localtime

# Paths, or functions of a published story (with one author and one tag) giving one.
PUBLIC_SURFACES = [
    lambda article: "/",
    lambda article: article.get_absolute_url(),
    lambda article: article.section.get_absolute_url(),
    lambda article: f"{article.section.get_absolute_url()}?page=1",
    lambda article: article.authors.get().get_absolute_url(),
    lambda article: article.tags.get().get_absolute_url(),
    lambda article: f"/archive/{article.published_at:%Y}/",
    "/archive/",
    "/corrections/",
    "/policies/corrections/",
    "/feeds/rss/",
    "/feeds/atom/",
    lambda article: f"/feeds/sections/{article.section.slug}/rss/",
    lambda article: f"/feeds/sections/{article.section.slug}/atom/",
    lambda article: f"/feeds/authors/{article.authors.get().slug}/rss/",
    lambda article: f"/feeds/authors/{article.authors.get().slug}/atom/",
    "/feeds/corrections/rss/",
    "/feeds/corrections/atom/",
    "/sitemap.xml",
    "/sitemap-sections.xml",
    lambda article: f"/sitemap-articles-{localtime(article.published_at):%Y-%m}.xml",
    "/news-sitemap.xml",
    "/robots.txt",
    "/search/?q=alert",
]


def surface_paths(article):
    """The public paths that show `article`."""
    return [surface(article) if callable(surface) else surface for surface in PUBLIC_SURFACES]
