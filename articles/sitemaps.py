"""Sitemaps for crawlers: sections and articles under /sitemap.xml, and the Google News sitemap."""

from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.db.models.functions import Coalesce
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
        newest = Max("articles__published_at", filter=Q(articles__in=Article.objects.published()))
        return Section.objects.annotate(newest_story_at=newest).order_by("order", "name")

    def lastmod(self, section):
        return section.newest_story_at

    def get_latest_lastmod(self):
        return Article.objects.published().aggregate(newest=Max("published_at"))["newest"]


class ArticleSitemap(SiteSitemap):
    def items(self):
        return Article.objects.published().select_related("section")

    def lastmod(self, article):
        return article.last_updated

    def get_latest_lastmod(self):
        newest = Max(Coalesce("updated_at", "published_at"))
        return Article.objects.published().aggregate(newest=newest)["newest"]


class NewsSitemap(SiteSitemap):
    limit = NEWS_SITEMAP_SIZE

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return Article.objects.published().filter(published_at__gte=since).select_related("section")[:NEWS_SITEMAP_SIZE]

    def lastmod(self, article):
        return article.last_updated


SITEMAPS = {"sections": SectionSitemap, "articles": ArticleSitemap}
