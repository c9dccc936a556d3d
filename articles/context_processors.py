from django.conf import settings
from django.contrib import admin

from .models import Section
from .site import news_language


def site(request):
    """Site identity and the navigation, on every page."""
    return {
        "site_name": settings.SITE_NAME,
        "language_code": settings.LANGUAGE_CODE,
        "site_url": settings.SITE_URL,
        "nav_sections": sections_with_stories(request),
        "news_language": news_language(),
    }


def sections_with_stories(request):
    """The sections readers can open, as one queryset a request: whatever lists them first reads the rows for all."""
    if not hasattr(request, "sections_with_stories"):
        request.sections_with_stories = Section.objects.with_published_stories()
    return request.sections_with_stories


def admin_names(request):
    """The admin's header and title for admin-styled pages that the admin does not render, such as the lockout."""
    return {"site_header": admin.site.site_header, "site_title": admin.site.site_title}
