from django.db import connection
from django.http import JsonResponse
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls


def healthz(request):
    """The floor in bench/run.py, as this project's /healthz: the middleware and one SELECT 1."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("healthz", healthz),
    path("admin/", include(wagtailadmin_urls)),
    path("", include(wagtail_urls)),
]
