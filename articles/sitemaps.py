"""Sitemaps for crawlers: sections and one sitemap per month of stories under /sitemap.xml, and Google News.

Stories go by the month they were published in, so every article sitemap is a range of the publishing
gate's (status, published_at) index: no page of it counts or skips through the whole archive.
"""

from datetime import datetime, timedelta

from django.contrib.sitemaps import Sitemap
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from .models import Article, Section
from .site import scheme_and_domain

NEWS_WINDOW = timedelta(hours=48)
NEWS_SITEMAP_SIZE = 1000  # Google News reads at most 1,000 URLs per sitemap


class SiteSitemap(Sitemap):
    """URLs on SITE_URL, whatever host the request came in on."""

    def get_protocol(self, protocol=None):
        return scheme_and_domain()[0]

    def get_domain(self, site=None):
        return scheme_and_domain()[1]


class SectionSitemap(SiteSitemap):
    changefreq = "hourly"

    def items(self):
        # The newest story of each section, by one look into the section's index each.
        newest = Article.objects.published().filter(section=OuterRef("pk")).order_by("-published_at")
        return (
            Section.objects.with_published_stories()
            .annotate(newest_story_at=Subquery(newest.values("published_at")[:1]))
            .order_by("order", "name")
        )

    def lastmod(self, section):
        return section.newest_story_at

    def get_latest_lastmod(self):
        newest = Article.objects.published().order_by("-published_at").values_list("published_at", flat=True)
        return newest.first()


class MonthSitemap(SiteSitemap):
    """The stories published in one month (the site's time zone), oldest first, each with its last update.

    The sitemap protocol's limit of 50,000 URLs is one month's limit here: far above what a newsroom
    publishes in a month.
    """

    def __init__(self, year, month):
        self.start = timezone.make_aware(datetime(year, month, 1))
        self.end = timezone.make_aware(datetime(year + month // 12, month % 12 + 1, 1))

    def items(self):
        stories = Article.objects.published().filter(published_at__gte=self.start, published_at__lt=self.end)
        return stories.select_related("section").order_by("published_at", "id")

    def lastmod(self, article):
        return article.last_updated


def story_months():
    """(year, month) of every month from the oldest published story to now, newest first."""
    oldest = Article.objects.published().order_by("published_at").values_list("published_at", flat=True).first()
    if oldest is None:
        return []
    first, now = timezone.localtime(oldest), timezone.localtime()
    months = range(first.year * 12 + first.month - 1, now.year * 12 + now.month)  # months since year 0
    return [(month // 12, month % 12 + 1) for month in reversed(months)]


class NewsSitemap(SiteSitemap):
    limit = NEWS_SITEMAP_SIZE

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return Article.objects.published().filter(published_at__gte=since).select_related("section")[:NEWS_SITEMAP_SIZE]

    def lastmod(self, article):
        return article.last_updated


SITEMAPS = {"sections": SectionSitemap}
