from ckeditor_uploader import views as ckeditor_views
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin

from articles.pagecache import with_surfaces
from articles.sitemaps import SITEMAPS, NewsSitemap
from articles.views import healthz, robots_txt, sitemap_index

admin.site.site_header = f"{settings.SITE_NAME}: editorial"
admin.site.site_title = settings.SITE_NAME

urlpatterns = [
    path("admin/", admin.site.urls),
    # django-ckeditor's own URLs, except that CKEditor's upload tab reads the upload's answer in a
    # same-origin frame: only that view may be framed, the rest of the site sends DENY.
    path(
        "ckeditor/upload/",
        xframe_options_sameorigin(staff_member_required(ckeditor_views.upload)),
        name="ckeditor_upload",
    ),
    path("ckeditor/browse/", never_cache(staff_member_required(ckeditor_views.browse)), name="ckeditor_browse"),
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap_index, name="sitemap_index"),
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

if settings.SERVE_MEDIA:
    # Local demo only: in production the proxy or object storage serves media (README, "Deploy").
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]
