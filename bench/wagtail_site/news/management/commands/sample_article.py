"""Print, as JSON, the article bench/run.py drives: its path, title, page size and SQL queries; the site's size."""

import json

import wagtail
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from news.models import ArticlePage, listed


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("slug", nargs="?", help="this article if it is live (default: the newest)")

    def handle(self, slug, **options):
        article = (slug and ArticlePage.objects.live().filter(slug=slug).first()) or listed(ArticlePage.objects).first()
        if article is None:
            raise CommandError("No live article: run bench/wagtail_site/setup.sh.")
        client = Client(headers={"host": "127.0.0.1"})
        client.get(article.url)  # a worker's first request also fills Wagtail's caches of sites and locales
        with CaptureQueriesContext(connection) as captured:
            response = client.get(article.url)
        if response.status_code != 200:
            raise CommandError(f"{article.url} answered {response.status_code}")
        found = {
            "url": article.url,
            "title": article.title,
            "queries": len(captured),
            "bytes": len(response.content),
            "articles": ArticlePage.objects.count(),
            "wagtail": wagtail.__version__,
        }
        self.stdout.write(json.dumps(found))
