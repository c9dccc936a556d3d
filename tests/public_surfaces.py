"""Every kind of public URL, for the tests that throw hostile input at all of them (XSS, bad input)."""

from django.urls import Resolver404, resolve

# Public surfaces. STORY_PAGES always exist. SITE_SURFACES are paths (or functions of the story giving
# one) that other branches add: feeds, sitemaps, search. A path this branch does not route to a view of
# its own (it falls into the section or article catch-all) is left out, not failed; extend this list.
STORY_PAGES = [
    lambda article: "/",
    lambda article: article.get_absolute_url(),
    lambda article: article.section.get_absolute_url(),
    lambda article: f"{article.section.get_absolute_url()}?page=1",
    lambda article: article.authors.get().get_absolute_url(),
    lambda article: article.tags.get().get_absolute_url(),
]
SITE_SURFACES = [
    "/feeds/",
    "/feeds/latest/",
    lambda article: f"/feeds/{article.section.slug}/",
    "/sitemap.xml",
    "/search/?q=alert",
]
CATCH_ALL_VIEWS = {"articles:section", "articles:detail"}


def routed(path):
    """Whether this branch routes `path` to a view of its own (not the section or article catch-all)."""
    try:
        return resolve(path.split("?")[0]).view_name not in CATCH_ALL_VIEWS
    except Resolver404:
        return False


def surface_paths(article):
    """The public paths that show `article` (a published story with one author and one tag)."""
    site = [surface(article) if callable(surface) else surface for surface in SITE_SURFACES]
    return [page(article) for page in STORY_PAGES] + [path for path in site if routed(path)]
