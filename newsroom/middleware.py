from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpResponse

from .errors import request_too_large


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's own policy for the admin and CKEditor's URLs."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and request.path_info.startswith(settings.ADMIN_URL_PREFIXES):
            return PolicyParts(settings.ADMIN_CONTENT_SECURITY_POLICY, parts.update, parts.replace, parts.nonce)
        return parts


class RequestSizeLimitMiddleware:
    """Refuse a request body over MAX_REQUEST_BYTES with 413 before anything reads it.

    Django caps form fields (DATA_UPLOAD_MAX_MEMORY_SIZE, a 400) but not uploaded files.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse("Bad Content-Length.", status=400, content_type="text/plain")
        if length > settings.MAX_REQUEST_BYTES:
            return request_too_large(request)
        return self.get_response(request)


class NullCharacterMiddleware:
    """Refuse with 400 a request whose query string or form fields hold a NUL character.

    PostgreSQL cannot store or compare text with NUL in it, so every view that queries with a parameter would
    fail (a 500) on one. Refused rather than stripped: a browser form never sends one, and a silently altered
    search or slug would be worse than a clear answer to the tool that did.
    """

    FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        parameters = [request.GET]
        if request.method == "POST" and request.content_type in self.FORM_TYPES:
            parameters.append(request.POST)
        for query_dict in parameters:
            for key, values in query_dict.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    return HttpResponse(
                        "Null characters are not allowed in a request's parameters.",
                        status=400,
                        content_type="text/plain; charset=utf-8",
                    )
        return self.get_response(request)


def client_ip(request):
    """The reader's address for login throttling: REMOTE_ADDR, or the proxies' X-Forwarded-For entry."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
