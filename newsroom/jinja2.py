"""The Jinja2 environment of the reader pages in templates/: Django's helpers as globals and filters.

Reader pages render in Jinja2 because Django's template language spent three times as long on a page of
story cards; the admin, its forms and the pages of installed apps keep Django's templates.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.template.defaultfilters import linebreaks_filter, pluralize, truncatewords
from django.template.defaulttags import querystring
from django.templatetags.static import static
from django.utils import dateformat
from django.utils.dates import MONTHS
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import now, template_localtime
from jinja2 import Environment, Undefined

from articles.cards import with_snippet
from articles.metadata import opengraph, structured_data, twitter_card
from articles.sanitize import xml_text
from articles.site import path_to

# The same escapes as Django's json_script: nothing in the data can close the <script> element.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def local_date(value, format_string):
    """Django's `date` filter with a format string, in the site's time zone as Django's templates show dates.

    Straight to the formatter: the filter first looks the string up as a format setting's name, which
    was a third of the time a home page of fifty cards spent on dates.
    """
    if value in (None, ""):
        return ""
    value = template_localtime(value)
    quick = QUICK_FORMATS.get(format_string)
    return quick(value) if quick else dateformat.format(value, format_string)


# The formats story cards print twice each, written out: Django's formatter parses the format every time.
# tests/test_reader_pages.py checks they give what dateformat gives.
QUICK_FORMATS = {
    "c": lambda value: value.isoformat(),
    "j F Y": lambda value: f"{value.day} {MONTHS[value.month]} {value.year:04}",
}


def json_ld(data):
    """A dict as a JSON-LD <script>, safe for any text inside (quotes, </script>, non-Latin scripts)."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


def with_query(query_dict, **changes):
    """The query string with these parameters changed (None removes one), as Django's {% querystring %}."""
    return querystring(None, query_dict, **changes)


def environment(**options):
    # A missing variable renders as nothing with DEBUG on or off, as in Django's templates (Django's
    # backend would print it back in DEBUG).
    env = Environment(**{**options, "undefined": Undefined})
    env.globals.update(url=path_to, static=static, now=now, with_query=with_query, with_snippet=with_snippet)
    env.globals.update(opengraph=opengraph, twitter_card=twitter_card, structured_data=structured_data)
    env.filters.update(
        date=local_date,
        json_ld=json_ld,
        pluralize=pluralize,
        linebreaks=linebreaks_filter,
        truncatewords=truncatewords,
        xml_text=xml_text,
    )
    return env
