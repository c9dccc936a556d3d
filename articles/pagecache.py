"""A page cache for anonymous readers, purged precisely by generation counters.

Each public view names the surfaces it shows (`depends_on(request, "home", "section:3")`). A cached page
remembers the generation of each surface when it was made; publishing or editing a story bumps the
generations of exactly the surfaces that show it (articles/publishing.py), so the next request for any
page that showed the story misses and is made afresh. Why counters rather than deleting keys: a page's
key depends on its URL (with any query string), and the purge side cannot enumerate every URL that
showed a story; a bumped counter invalidates all of them at once, on every app server sharing the cache.

No cached page outlives the next scheduled publication or expiry: a page's entry is valid until the
earliest future `published_at`/`expires_at` of any story, so a scheduled story appears on time.

Logged-in editors (a session cookie) and previews never read or fill the cache.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import parse_http_date_safe

NEXT_CHANGE_KEY = "pagecache:next-scheduled-change"


def depends_on(request, *surfaces):
    """Declare the surfaces a public page shows; only pages that declare some are cached.

    Every page also shows the site's navigation and names, the "site" surface.
    """
    request.page_surfaces = [*getattr(request, "page_surfaces", ["site"]), *surfaces]


def with_surfaces(*surfaces):
    """The same, as a decorator for views that cannot call `depends_on` themselves (feeds, sitemaps)."""

    def decorate(view):
        def wrapped(request, *args, **kwargs):
            depends_on(request, *surfaces)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def generation_key(surface):
    return f"pagecache:gen:{surface}"


def bump(surfaces):
    """Invalidate every cached page that shows any of these surfaces."""
    for surface in set(surfaces):
        key = generation_key(surface)
        # A counter that was evicted comes back with a new, time-based seed, never an old value.
        if not cache.add(key, time.time_ns(), timeout=None):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, time.time_ns(), timeout=None)
    cache.delete(NEXT_CHANGE_KEY)


def current_generations(surfaces):
    keys = {surface: generation_key(surface) for surface in surfaces}
    found = cache.get_many(keys.values())
    missing = {key: time.time_ns() for key in keys.values() if key not in found}
    if missing:
        for key, seed in missing.items():
            cache.add(key, seed, timeout=None)
        found = cache.get_many(keys.values())
    return {surface: found.get(key) for surface, key in keys.items()}


def next_scheduled_change():
    """Seconds since the epoch of the next moment a story or live entry goes live or a story expires (None: none)."""
    cached = cache.get(NEXT_CHANGE_KEY)
    if cached is not None and (cached == 0 or cached > now_seconds()):
        return cached or None
    from .models import Article, LiveEntry

    now = timezone.now()
    upcoming = Article.objects.filter(status=Article.Status.PUBLISHED).aggregate(
        going_live=Min("published_at", filter=Q(published_at__gt=now)),
        expiring=Min("expires_at", filter=Q(expires_at__gt=now)),
    )
    # A scheduled live entry appears by itself too: on its story's page, feed and update endpoint.
    upcoming["entry"] = LiveEntry.objects.next_reveal(now)
    upcoming = [moment.timestamp() for moment in upcoming.values() if moment]
    next_change = min(upcoming) if upcoming else 0
    cache.set(NEXT_CHANGE_KEY, next_change, timeout=settings.PAGE_CACHE_SECONDS)
    return next_change or None


def now_seconds():
    # The same clock as Article.objects.published(), so both agree on when a story goes live.
    return timezone.now().timestamp()


def is_reader_request(request):
    return request.method in ("GET", "HEAD") and settings.SESSION_COOKIE_NAME not in request.COOKIES


def page_key(request):
    digest = hashlib.sha256(f"{request.get_host()}{request.get_full_path()}".encode()).hexdigest()
    return f"pagecache:page:{digest}"


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE_SECONDS or not is_reader_request(request):
            response = self.get_response(request)
            if settings.SESSION_COOKIE_NAME in request.COOKIES:
                # An editor's pages are theirs alone: no shared cache may keep them.
                patch_cache_control(response, private=True, no_store=True)
            return response

        key = page_key(request)
        entry = cache.get(key)
        fresh = entry and entry["valid_until"] > now_seconds()
        if fresh and current_generations(entry["surfaces"]) == entry["surfaces"]:
            cached = entry["response"]
            # A reader revalidating a page they hold gets 304, as the view itself would answer.
            last_modified = parse_http_date_safe(cached.get("Last-Modified", ""))
            response = get_conditional_response(
                request, etag=cached.get("ETag"), last_modified=last_modified, response=cached
            )
            response["X-Page-Cache"] = "hit"
            return response

        response = self.get_response(request)
        surfaces = getattr(request, "page_surfaces", None)
        if surfaces and response.status_code == 200 and not response.cookies and not response.streaming:
            self.store(key, surfaces, response)
            response["X-Page-Cache"] = "miss"
        return response

    def store(self, key, surfaces, response):
        # Downstream caches (browsers, a CDN, the nginx front) may keep a page for a second and serve it
        # stale briefly while they fetch a fresh one; this cache is the one purged precisely.
        patch_cache_control(response, public=True, max_age=1, s_maxage=1, stale_while_revalidate=5)
        valid_until = now_seconds() + settings.PAGE_CACHE_SECONDS
        next_change = next_scheduled_change()
        if next_change:
            valid_until = min(valid_until, next_change)
        entry = {"surfaces": current_generations(surfaces), "valid_until": valid_until, "response": response}
        cache.set(key, entry, timeout=settings.PAGE_CACHE_SECONDS)
