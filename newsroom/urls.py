from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from articles.views import healthz

admin.site.site_header = f"{settings.SITE_NAME}: editorial"
admin.site.site_title = settings.SITE_NAME

urlpatterns = [
    path("admin/", admin.site.urls),
    path("ckeditor/", include("ckeditor_uploader.urls")),
    path("healthz", healthz, name="healthz"),
    path("", include("articles.urls")),
]

if settings.SERVE_MEDIA:
    # Local demo only: in production the proxy or object storage serves media (README, "Deploy").
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]
