import sys

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views.defaults import server_error as default_server_error

from images.validation import MAX_UPLOAD_BYTES

# Seconds a reader's browser (or the proxy) should wait before asking again while the database is away.
RETRY_AFTER = "5"
# SQLSTATE classes of a database that is away, not of one statement it refused: connection exceptions (08),
# insufficient resources such as too many connections (53), shutdown and restart (57P).
OUTAGE_STATES = ("08", "53", "57P")


def is_outage(error):
    """Whether a database error means the database is unreachable (a lost connection has no SQLSTATE).

    PostgreSQL's refusals of one statement, such as a search vector over its 1 MB limit, are also
    OperationalErrors; they are the site's bugs, shown as errors, not as "back in a moment".
    """
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    state = getattr(error.__cause__, "pgcode", None)
    return state is None or state.startswith(OUTAGE_STATES)


# The error pages carry their few lines of CSS inline, so they render even when static files or the
# database are what failed; they show no user input, so inline style is safe there.
@csp_replace({"style-src": [SELF, UNSAFE_INLINE]})
def server_error(request):
    """The 500 handler: a lost database is a 503 "back soon" page with Retry-After, not an error page.

    Django calls the handler inside its `except` block, so the exception is still in sys.exc_info().
    """
    if is_outage(sys.exc_info()[1]):
        response = default_server_error(request, template_name="503.html")
        response.status_code = 503
        response["Retry-After"] = RETRY_AFTER
        return response
    return default_server_error(request)


@csp_replace({"style-src": [SELF, UNSAFE_INLINE]})
def request_too_large(request):
    """The 413 page: what the site accepts in one go, in megabytes, and what to do about it."""
    megabytes = {"limit": settings.MAX_REQUEST_BYTES // 2**20, "picture_limit": MAX_UPLOAD_BYTES // 2**20}
    return HttpResponse(render_to_string("413.html", megabytes), status=413)
