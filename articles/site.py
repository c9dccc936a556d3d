"""Who the site is, from settings: its name, base URL, language and publisher, for feeds, sitemaps and metadata."""

from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils.translation import to_locale


def path_to(viewname, **kwargs):
    """reverse(), remembered: a page of story cards asks for a hundred paths, and reverse() is slow.

    The URL patterns do not change while the process runs; the script prefix is part of the key.
    """
    return remembered_path(get_script_prefix(), viewname, tuple(kwargs.items()))


@lru_cache(maxsize=20_000)
def remembered_path(prefix, viewname, kwargs):
    return reverse(viewname, kwargs=dict(kwargs))


@receiver(setting_changed)
def forget_paths(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        remembered_path.cache_clear()


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
