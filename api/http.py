"""What every content API answer says in HTTP: its format, JSON errors, CORS and caching headers."""

import json

from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

NINJS = "application/ninjs+json"
JSON = "application/json"
FORMATS = ("json", "ninjs")
ERRORS = {
    400: ("bad_request", "The request could not be read."),
    401: ("unauthorized", "This API key is not known."),
    403: ("forbidden", "Not allowed."),
    404: ("not_found", "There is nothing at this address."),
    405: ("method_not_allowed", "The content API only reads: use GET."),
    413: ("too_large", "The request is too large."),
    429: ("too_many_requests", "Too many requests: wait and try again."),
    500: ("server_error", "Something went wrong on our side."),
    503: ("unavailable", "The content API is briefly unavailable: try again in a moment."),
}
# Headers a browser script on another origin may send, and read back.
CORS_REQUEST_HEADERS = "Authorization, X-API-Key, If-None-Match, If-Modified-Since, Accept"
CORS_EXPOSED_HEADERS = "ETag, Last-Modified, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset"
# Downstream caches (a CDN, the nginx front) keep an answer as briefly as the pages (articles/pagecache.py):
# only the page cache is purged precisely when a story changes.
SHARED_CACHE = {"public": True, "max_age": 1, "s_maxage": 1, "stale_while_revalidate": 5}


def wants_ninjs(request):
    """Whether the request asks for ninjs: `?format=ninjs`, or an Accept header naming it and no `format`."""
    asked = request.GET.get("format")
    if asked is not None:
        return asked == "ninjs"
    return NINJS in request.META.get("HTTP_ACCEPT", "")


def error(status, message=None, **extra):
    """The API's one shape of error: {"status", "error", "message"}, and what else helps (`fields`)."""
    code, default = ERRORS.get(status, ("error", "The request failed."))
    body = {"status": status, "error": code, "message": message or default, **extra}
    return HttpResponse(json.dumps(body), status=status, content_type=JSON)


def is_json(response):
    return response.get("Content-Type", "").split(";")[0].strip() in {JSON, NINJS}


def as_json_error(response):
    """An error page from outside the API's views (no such URL, a wrong method, a refused request) as JSON."""
    answer = error(response.status_code)
    for header in ("Allow", "Retry-After"):
        if header in response:
            answer[header] = response[header]
    return answer


def finish(request, response):
    """Headers every answer carries: CORS for any origin; caching for shared caches, or none for refusals."""
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = CORS_EXPOSED_HEADERS
    patch_vary_headers(response, ["Accept"])
    if "Cache-Control" in response:  # set already: an editor's private answer, or a page cache entry's
        return response
    if response.status_code in (200, 304, 404) and request.method in ("GET", "HEAD"):
        patch_cache_control(response, **SHARED_CACHE)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


def preflight():
    """The answer to a browser's CORS preflight: any origin may GET, sending a key and revalidating."""
    response = HttpResponse(status=204)
    response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response["Access-Control-Allow-Headers"] = CORS_REQUEST_HEADERS
    response["Access-Control-Max-Age"] = "86400"
    return response
