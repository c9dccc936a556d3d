from ckeditor_uploader import views as ckeditor_views
from csp.constants import SELF
from csp.decorators import csp_replace
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.urls import include, path
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin

from articles.views import healthz

admin.site.site_header = f"{settings.SITE_NAME}: editorial"
admin.site.site_title = settings.SITE_NAME

# A lost database answers 503 "back in a moment" instead of 500 (newsroom/errors.py).
handler500 = "newsroom.errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    # django-ckeditor's own URLs, except that CKEditor's upload tab reads the upload's answer in a
    # same-origin frame: only that view may be framed, the rest of the site sends DENY.
    path(
        "ckeditor/upload/",
        csp_replace({"frame-ancestors": [SELF]})(
            xframe_options_sameorigin(staff_member_required(ckeditor_views.upload))
        ),
        name="ckeditor_upload",
    ),
    path("ckeditor/browse/", never_cache(staff_member_required(ckeditor_views.browse)), name="ckeditor_browse"),
    path("healthz", healthz, name="healthz"),
    path("", include("articles.urls")),
]

if settings.SERVE_MEDIA:
    # Local demo only: in production the proxy or object storage serves media (README, "Deploy").
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]
