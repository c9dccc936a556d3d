"""Search latency over a fixed list of queries: p50/p95 per query and overall, in milliseconds.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench .venv/bin/python bench/search_latency.py

Each round runs every query through articles.search.search_archive(), the code behind /search/: the ranked
candidate query, the page of stories with bylines and ts_headline snippets (or the diagnosis and "Did you
mean" queries when nothing matches). One warm-up round, then --rounds measured rounds.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.http import Http404  # noqa: E402

from articles.models import Article, Section  # noqa: E402
from articles.search import TOO_SLOW, search_archive  # noqa: E402

QUERIES = [
    ("common word", "government", {}),
    ("name", "Lukashenko", {}),
    ("two words", "Lukashenko militia", {}),
    ("phrase", '"Minsk agreements"', {}),
    ("common phrase", '"people militia"', {}),
    ("exclusion", "militia -Minsk", {}),
    ("either", "Minsk or Kyiv", {}),
    ("rare word", "brokered", {}),
    ("section filter", "police", {"section": "world"}),
    ("date range", "Warsaw", {"published_after": "2015-01-01", "published_before": "2016-12-31"}),
    ("page 10", "Minsk", {"page": 10}),
    ("typo", "Lukashenka", {}),
    ("stop words", "the of and", {}),
]


def run(query, filters):
    filters = dict(filters)
    page = filters.pop("page", 1)
    if "section" in filters:
        filters["section"] = Section.objects.get(slug=filters["section"])
    for key in ("published_after", "published_before"):
        if key in filters:
            filters[key] = django.utils.dateparse.parse_date(filters[key])
    started = time.perf_counter()
    try:
        results = search_archive(query, page_number=page, **filters)
    except Http404:
        results = None
    return (time.perf_counter() - started) * 1000, results


def described(results):
    """What the reader got: the count ("500+" when capped; for a phrase, how far back it looked), the suggestion."""
    if results is None:
        return "no page"
    if results.stories and results.searched_since:
        return f"{results.count} since {results.searched_since:%Y-%m}"
    if results.stories:
        return f"{results.count}{'+' if results.more else ''}"
    if results.notice == TOO_SLOW:
        return "too slow"
    return results.suggestion or "0"


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def row(label, query, found, values):
    return f"{label:<16} {query:<22} {found:>16} {statistics.median(values):8.1f} {percentile(values, 0.95):8.1f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=10)
    options = parser.parse_args()
    stories = Article.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SHOW shared_buffers")
        buffers = cursor.fetchone()[0]
    print(f"{connection.settings_dict['NAME']}: {stories:,} stories, {options.rounds} rounds, shared_buffers {buffers}")
    timings = {label: [] for label, _, _ in QUERIES}
    found = {}
    for round_number in range(options.rounds + 1):
        for label, query, filters in QUERIES:
            elapsed, results = run(query, filters)
            found[label] = results
            if round_number:
                timings[label].append(elapsed)
    print(f"{'query':<16} {'text':<22} {'found':>16} {'p50 ms':>8} {'p95 ms':>8}")
    for label, query, _ in QUERIES:
        print(row(label, query, described(found[label]), timings[label]))
    every = [value for values in timings.values() for value in values]
    print(row("all queries", "", "", every))


if __name__ == "__main__":
    main()
