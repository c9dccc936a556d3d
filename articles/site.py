"""Who the site is, from settings: its name, base URL, language and publisher, for feeds, sitemaps and metadata."""

from urllib.parse import urlsplit

from django.conf import settings
from django.templatetags.static import static
from django.utils.translation import to_locale


def absolute_url(path):
    """A site path as the public URL readers and crawlers use (SITE_URL, never the request's host)."""
    return settings.SITE_URL + path


def scheme_and_domain():
    parts = urlsplit(settings.SITE_URL)
    return parts.scheme, parts.netloc


def og_locale():
    return to_locale(settings.LANGUAGE_CODE)


def publisher():
    """The schema.org Organization that publishes every story."""
    return {
        "@type": "Organization",
        "name": settings.SITE_NAME,
        "url": absolute_url("/"),
        "logo": {"@type": "ImageObject", "url": absolute_url(static(settings.PUBLISHER_LOGO))},
    }


def news_language():
    """The ISO 639 code Google News expects: the language alone, except zh-cn and zh-tw."""
    code = settings.LANGUAGE_CODE.lower()
    return code if code in {"zh-cn", "zh-tw"} else code.split("-")[0]
