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

A page is never stored if it may predate a purge that its generations include. Without replicas the danger
is a page made from rows read just before a story's commit and stored just after its purge, under the new
generations; with read replicas, also a page made from a replica that has not yet replayed the commit.
So `bump()`, after the commit, does three things in this order, and a reader's request reads in the reverse:

1. with replicas, it raises the purge position, the highest primary WAL position any purge has recorded
   (`newsroom.replicas.primary_position()`, read after the commit, so past its record);
2. it advances the purge count;
3. it advances the generations of the story's surfaces.

A reader's request reads the purge count and then the position (one `get_many`, in that order) before its
view runs, and reads a replica only if it has replayed past that position, else the primary. After the view,
it reads the page's generations and then the purge count again, and stores the page only if the count has
not moved. Then every purge whose generations the page is stored under advanced the count before the
request first read it, so had recorded its position before the request read that, and the rows the page
shows were read on the primary after the purge's commit or on a replica already past its position. The
check is made before the view, not after: a replica past the position when the view ends may have been
behind it when the view's queries ran.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Min
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import parse_http_date_safe

from newsroom.errors import is_outage
from newsroom.replicas import lost, primary_position, reader_alias, reading_from, replica_past, replicas

PURGES_KEY = "pagecache:purges"
POSITION_KEY = "pagecache:purge-position"
NEXT_CHANGE_KEY = "pagecache:next-change"


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


def advance(key):
    # A counter that was evicted comes back with a new, time-based seed, never an old value.
    if not cache.add(key, time.time_ns(), timeout=None):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, time.time_ns(), timeout=None)


def bump(surfaces):
    """Invalidate every cached page that shows any of these surfaces. Run it after the change commits.

    Each step's order matters (the module's docstring says why): the primary's position, then the purge
    count, then the surfaces.
    """
    if replicas():
        cache.set_max(POSITION_KEY, primary_position())
    advance(PURGES_KEY)
    for surface in set(surfaces):
        advance(generation_key(surface))


def current_generations(surfaces, *then):
    """The generation of each surface, and the values of the keys `then`, read after them."""
    keys = {surface: generation_key(surface) for surface in surfaces}
    found = cache.get_many([*keys.values(), *then])
    missing = {key: time.time_ns() for key in keys.values() if key not in found}
    if missing:
        for key, seed in missing.items():
            cache.add(key, seed, timeout=None)
        found = {**found, **cache.get_many(missing)}
    return {surface: found.get(key) for surface, key in keys.items()}, [found.get(key) for key in then]


def next_scheduled_change(purges):
    """Seconds since the epoch of the next moment a story or live entry goes live or a story expires (None: none).

    Kept with the purge count it was worked out under: a purge (a story scheduled, moved or withdrawn)
    makes it stale, and a request that started before that purge must not keep its answer for later ones.
    """
    cached = cache.get(NEXT_CHANGE_KEY)
    if cached is not None and cached[0] == purges and (cached[1] == 0 or cached[1] > now_seconds()):
        return cached[1] or None
    from .models import Article, LiveEntry

    now = timezone.now()
    published = Article.objects.filter(status=Article.Status.PUBLISHED)
    # Two queries, each reading one end of an index, not one aggregate with two FILTERs: that read every
    # published story (110 ms at a million, on the first store after each story came due).
    upcoming = [
        published.filter(published_at__gt=now).aggregate(moment=Min("published_at"))["moment"],
        published.filter(expires_at__gt=now).aggregate(moment=Min("expires_at"))["moment"],
        # A scheduled live entry appears by itself too: on its story's page, feed and update endpoint.
        LiveEntry.objects.next_reveal(now),
    ]
    upcoming = [moment.timestamp() for moment in upcoming if moment]
    next_change = min(upcoming) if upcoming else 0
    cache.set(NEXT_CHANGE_KEY, (purges, next_change), timeout=settings.PAGE_CACHE_SECONDS)
    return next_change or None


def readers_database(position):
    """The database a reader's page is read from, and whether the page may be stored: (alias, storable).

    `position` is the last purge's position on the primary, as read at the start of the request.
    """
    if not replicas():
        return DEFAULT_DB_ALIAS, True
    if position is None and cache.answering():
        # None recorded (a new or flushed cache): the primary's position now is past every purge so far.
        cache.set_max(POSITION_KEY, primary_position())
        position = cache.get(POSITION_KEY)
    if position is None:
        # The cache is not answering, so nothing is stored; readers keep to the replicas meanwhile.
        return replica_past(0) or DEFAULT_DB_ALIAS, False
    return replica_past(position) or DEFAULT_DB_ALIAS, True


def now_seconds():
    # The same clock as Article.objects.published(), so both agree on when a story goes live.
    return timezone.now().timestamp()


def is_reader_request(request):
    """An anonymous reader's GET or HEAD: no session cookie, nothing under the admin's prefixes."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path_info.startswith(settings.ADMIN_URL_PREFIXES)
    )


def page_key(request):
    # A middleware before this one may name a variant of the URL's answer: the content API's format when the
    # Accept header chooses it (api/middleware.py).
    variant = getattr(request, "page_variant", "")
    digest = hashlib.sha256(f"{request.get_host()}{request.get_full_path()}\n{variant}".encode()).hexdigest()
    return f"pagecache:page:{digest}"


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_reader_request(request):
            response = self.get_response(request)
            if settings.SESSION_COOKIE_NAME in request.COOKIES:
                # An editor's pages are theirs alone: no shared cache may keep them.
                patch_cache_control(response, private=True, no_store=True)
            return response
        caching = settings.PAGE_CACHE_SECONDS > 0
        if not caching and not replicas():
            return self.get_response(request)

        key = page_key(request)
        if caching and (hit := self.cached(request, cache.get(key))):
            return hit
        # The purge count before the position: a count that includes a purge then comes with its position.
        found = cache.get_many([PURGES_KEY, POSITION_KEY] if replicas() else [PURGES_KEY])
        alias, storable = readers_database(found.get(POSITION_KEY))
        response = self.made_on(alias, request)
        if request.replica_lost:
            alias = DEFAULT_DB_ALIAS
            response = self.made_on(alias, request)
        surfaces = getattr(request, "page_surfaces", None)
        if caching and storable and surfaces and self.cacheable(response):
            # With the next scheduled change stored with it read from the database the page was read from.
            with reading_from(alias):
                self.store(key, surfaces, response, found.get(PURGES_KEY))
        return response

    def made_on(self, alias, request):
        request.replica_lost = False
        request.__dict__.pop("page_surfaces", None)
        with reading_from(alias):
            return self.get_response(request)

    def process_exception(self, request, exception):
        """A replica lost during a reader's request (restarted, failed over): the page is made again on the
        primary (`__call__`) rather than answered with "back in a moment". The response returned here is
        that attempt's, thrown away; returning one keeps Django from logging the attempt as a failed request."""
        alias = reader_alias()
        if alias != DEFAULT_DB_ALIAS and is_outage(exception):
            lost(alias, exception)
            request.replica_lost = True
            return HttpResponse(status=503)
        return None

    def cacheable(self, response):
        return response.status_code == 200 and not response.cookies and not response.streaming

    def cached(self, request, entry):
        """The stored page, if it is still valid, answered as the view would (a revalidation gets 304)."""
        if not entry or entry["valid_until"] <= now_seconds():
            return None
        if current_generations(entry["surfaces"])[0] != entry["surfaces"]:
            return None
        cached = entry["response"]
        # A reader revalidating a page they hold gets 304, as the view itself would answer.
        last_modified = parse_http_date_safe(cached.get("Last-Modified", ""))
        response = get_conditional_response(
            request, etag=cached.get("ETag"), last_modified=last_modified, response=cached
        )
        response["X-Page-Cache"] = "hit"
        return response

    def store(self, key, surfaces, response, purges):
        """Keep the page, unless a purge came while it was made: it may show rows from before that purge."""
        next_change = next_scheduled_change(purges)
        generations, [purges_now] = current_generations(surfaces, PURGES_KEY)
        if purges_now != purges:
            return
        # Downstream caches (browsers, a CDN, the nginx front) may keep a page for a second and serve it
        # stale briefly while they fetch a fresh one; this cache is the one purged precisely.
        patch_cache_control(response, public=True, max_age=1, s_maxage=1, stale_while_revalidate=5)
        valid_until = now_seconds() + settings.PAGE_CACHE_SECONDS
        if next_change:
            valid_until = min(valid_until, next_change)
        entry = {"surfaces": generations, "valid_until": valid_until, "response": response}
        cache.set(key, entry, timeout=settings.PAGE_CACHE_SECONDS)
        response["X-Page-Cache"] = "miss"
