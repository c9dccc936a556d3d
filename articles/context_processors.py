from django.conf import settings

from .models import Section
from .site import news_language


def site(request):
    """Site identity and the navigation, on every page."""
    return {
        "site_name": settings.SITE_NAME,
        "language_code": settings.LANGUAGE_CODE,
        "site_url": settings.SITE_URL,
        "nav_sections": Section.objects.with_published_stories(),
        "news_language": news_language(),
    }
