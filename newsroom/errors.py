import sys

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.db import InterfaceError, OperationalError
from django.views.defaults import server_error as default_server_error

# Seconds a reader's browser (or the proxy) should wait before asking again while the database is away.
RETRY_AFTER = "5"


# The error pages carry their few lines of CSS inline, so they render even when static files or the
# database are what failed; they show no user input, so inline style is safe there.
@csp_replace({"style-src": [SELF, UNSAFE_INLINE]})
def server_error(request):
    """The 500 handler: a lost database is a 503 "back soon" page with Retry-After, not an error page.

    Django calls the handler inside its `except` block, so the exception is still in sys.exc_info().
    """
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        response = default_server_error(request, template_name="503.html")
        response.status_code = 503
        response["Retry-After"] = RETRY_AFTER
        return response
    return default_server_error(request)
