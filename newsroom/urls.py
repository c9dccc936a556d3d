from csp.constants import SELF
from csp.decorators import csp_replace
from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path

from articles.pagecache import with_surfaces
from articles.sitemaps import SITEMAPS, NewsSitemap
from articles.views import favicon, healthz, month_sitemap, robots_txt, sitemap_index
from images import views as image_views

admin.site.site_header = f"{settings.SITE_NAME}: editorial"
admin.site.site_title = settings.SITE_NAME

# A lost database answers 503 "back in a moment" instead of 500 (newsroom/errors.py).
handler500 = "newsroom.errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    # django-ckeditor's URL names, answered by the picture library: uploads pass the library's checks
    # (images/validation.py) and browsing lists the library. Staff only. CKEditor reads the upload's
    # answer in a same-origin frame: only that view may be framed.
    path(
        "ckeditor/upload/",
        csp_replace({"frame-ancestors": [SELF]})(image_views.ckeditor_upload),
        name="ckeditor_upload",
    ),
    path("ckeditor/browse/", image_views.ckeditor_browse, name="ckeditor_browse"),
    # The content API (api/, docs/api.md): read-only JSON and ninjs for apps and partners.
    path("api/v1/", include("api.urls")),
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("favicon.ico", favicon, name="favicon"),
    path("sitemap.xml", sitemap_index, name="sitemap_index"),
    re_path(r"^sitemap-articles-(?P<year>[0-9]{4})-(?P<month>[0-9]{2})\.xml$", month_sitemap, name="month_sitemap"),
    path(
        "sitemap-<section>.xml",
        with_surfaces("sitemaps")(sitemap),
        # Django's own template keeps only the day of lastmod; crawlers of news want the time.
        {"sitemaps": SITEMAPS, "template_name": "articles/sitemap.xml"},
        name="sitemap",
    ),
    path(
        "news-sitemap.xml",
        with_surfaces("sitemaps")(sitemap),
        {"sitemaps": {"news": NewsSitemap}, "template_name": "articles/news_sitemap.xml"},
        name="news_sitemap",
    ),
    path("", include("articles.urls")),
]

if settings.MEDIA_URL.startswith("/"):
    # Answers only when SERVE_MEDIA is on (one-machine setups); else the web server or object storage
    # serves media (docs/operations.md, "Media in production").
    urlpatterns.insert(0, path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", image_views.media, name="media"))
