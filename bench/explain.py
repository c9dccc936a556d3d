"""The plans of every public page's SQL on a big archive: index scans, or a sequential scan somewhere?

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench .venv/bin/python bench/explain.py

Renders each public page once with the page cache off, captures its queries, and runs each SELECT again
under EXPLAIN ANALYZE. Prints per page: queries, SQL time, the slowest query, and any sequential scan
(with the table and the rows it read). Add --plans to print every plan.
"""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from articles.models import Article  # noqa: E402


def seq_scans(plan, found):
    if plan.get("Node Type") == "Seq Scan":
        found.append(
            f"{plan['Relation Name']} ({plan.get('Actual Rows', 0) + plan.get('Rows Removed by Filter', 0):,} rows)"
        )
    for child in plan.get("Plans", []):
        seq_scans(child, found)
    return found


def pages():
    story = Article.objects.published().select_related("section").first()
    author = story.authors.first()
    tag = story.tags.first()
    return {
        "home": "/",
        "article": story.get_absolute_url(),
        "section": story.section.get_absolute_url(),
        "section, page 50": f"{story.section.get_absolute_url()}?page=50",
        "author": author.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "archive, a month": f"/archive/{story.published_at:%Y/%m}/",
        "corrections": "/corrections/",
        "search": "/search/?q=minsk",
        "feed": "/feeds/rss/",
        "section feed": f"/feeds/sections/{story.section.slug}/rss/",
        "sitemap index": "/sitemap.xml",
        "sitemap, a month": f"/sitemap-articles-{story.published_at:%Y-%m}.xml",
        "news sitemap": "/news-sitemap.xml",
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plans", action="store_true", help="print every plan")
    args = parser.parse_args()
    print(f"{Article.objects.count():,} stories\n")
    print("| page | status | queries | SQL ms | slowest ms | sequential scans |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    client = Client()
    with override_settings(PAGE_CACHE_SECONDS=0, ALLOWED_HOSTS=["testserver"]):
        for name, url in pages().items():
            with CaptureQueriesContext(connection) as captured:
                status = client.get(url).status_code
            total, slowest, scans = 0.0, 0.0, []
            for query in captured.captured_queries:
                sql = query["sql"]
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                with connection.cursor() as cursor:
                    cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
                    plan = cursor.fetchone()[0]
                    plan = plan if isinstance(plan, list) else json.loads(plan)
                took = plan[0]["Execution Time"] + plan[0]["Planning Time"]
                total, slowest = total + took, max(slowest, took)
                seq_scans(plan[0]["Plan"], scans)
                if args.plans:
                    cursor_text = json.dumps(plan[0]["Plan"], indent=1)[:4000]
                    print(f"\n-- {name}: {sql[:300]}\n{cursor_text}\n")
            small = [scan for scan in scans if not scan.startswith("articles_article ")]
            big = [scan for scan in scans if scan.startswith("articles_article ")]
            print(
                f"| {name} | {status} | {len(captured)} | {total:.1f} | {slowest:.1f} | "
                f"{', '.join(big + small) or 'none'} |"
            )


if __name__ == "__main__":
    main()
