"""The uncached article page in one process: ms a page and queries, over a spread of stories.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench_x .venv/bin/python bench/article_page.py

Calls the view through `django.test.Client` with the page cache off, cycling over 50 published stories
(one warm-up round first), and prints the median and mean ms a page and the queries per page.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from articles.models import Article  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=500)
    args = parser.parse_args()
    stories = Article.objects.published().select_related("section")[:1000:20]
    urls = [story.get_absolute_url() for story in stories]
    client = Client()
    # Static files straight from the apps, as in the tests: no collectstatic manifest needed.
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    storages = {**settings.STORAGES, "staticfiles": static}
    with override_settings(PAGE_CACHE_SECONDS=0, ALLOWED_HOSTS=["testserver"], STORAGES=storages):
        for url in urls:
            assert client.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as captured:
            client.get(urls[0])
        queries = len(captured)  # counted now: closing the connection at the request's end clears its log
        timings = []
        for n in range(args.pages):
            started = time.perf_counter()
            client.get(urls[n % len(urls)])
            timings.append((time.perf_counter() - started) * 1000)
    print(
        f"{Article.objects.count():,} stories, {args.pages} pages: median {statistics.median(timings):.2f} ms, "
        f"mean {statistics.mean(timings):.2f} ms, {queries} queries a page"
    )


if __name__ == "__main__":
    main()
