from django.conf import settings
from django.contrib import admin
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from . import readpath
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
    """The sections readers can open (the navigation), read once a request: whatever lists them first reads them."""
    if not hasattr(request, "sections_with_stories"):
        request.sections_with_stories = SimpleLazyObject(navigation)
    return request.sections_with_stories


def admin_names(request):
    """The admin's header and title for admin-styled pages that the admin does not render, such as the lockout."""
    return {"site_header": admin.site.site_header, "site_title": admin.site.site_title}


def navigation():
    if readpath.supported():
        return readpath.navigation(timezone.now())
    return list(Section.objects.with_published_stories())
