"""What the page cache's middleware itself costs a request: a page made and stored, then the same page hit.

The view is a stub that declares three surfaces and returns 30 KB, so only the middleware and the cache are
timed; the next scheduled change is not looked up (no database needed). The cache is the one the settings
give: Redis with REDIS_URL (use a database of your own, it is cleared), else files under CACHE_DIR.

    REDIS_URL=redis://127.0.0.1:6379/7 .venv/bin/python bench/page_cache_cost.py [--rounds 12] [--pages 400]

Prints the fastest and the median round, µs a request. Run it on two checkouts to compare them.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("SECRET_KEY", "page-cache-cost-bench-only")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from articles import pagecache  # noqa: E402

BODY = "x" * 30_000


def view(request):
    pagecache.depends_on(request, "home", "section:1", "feeds")
    return HttpResponse(BODY)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--pages", type=int, default=400)
    args = parser.parse_args()
    settings.PAGE_CACHE_SECONDS = 600
    pagecache.next_scheduled_change = lambda *purges: None
    middleware, requests = pagecache.PageCacheMiddleware(view), RequestFactory()
    cache.clear()
    pagecache.bump(["home"])
    timings = {"made and stored": [], "hit": []}
    for round_number in range(args.rounds):
        paths = [f"/page-{round_number}-{number}/" for number in range(args.pages)]
        for kind in timings:
            started = time.perf_counter()
            for path in paths:
                middleware(requests.get(path))
            timings[kind].append((time.perf_counter() - started) / args.pages * 1e6)
    cache.clear()
    print(f"cache: {settings.CACHES['default']['BACKEND']}")
    for kind, values in timings.items():
        print(f"{kind:>16}: fastest {min(values):6.0f} µs, median {statistics.median(values):6.0f} µs")


if __name__ == "__main__":
    main()
