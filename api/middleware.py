"""The content API's door: keys, limits, CORS and JSON errors for every request under /api/.

It runs before the page cache (newsroom/settings.py), so a cached answer still needs a good key and still
counts against the client's limit, and it names the format asked for by the Accept header as the page's
variant, so the page cache keeps the JSON and the ninjs answers of a URL apart.
"""

from . import http, limits
from .keys import known_key, sent_key

API_PREFIX = "/api/"


class ContentApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS":
            return http.finish(request, http.preflight())
        if "format" not in request.GET and http.wants_ninjs(request):
            request.page_variant = "ninjs"
        refusal = self.admit(request)
        if refusal is not None:
            return http.finish(request, refusal)
        response = self.get_response(request)
        if response.status_code >= 400 and not http.is_json(response):
            response = http.as_json_error(response)
        self.tell_limits(response, request.api_verdict)
        return http.finish(request, response)

    def admit(self, request):
        """None when the request may go on (its verdict on `request.api_verdict`), else the refusal."""
        key = sent_key(request)
        state = None
        if key is not None:
            state = known_key(key)
            if state is None:
                return self.refuse_key("This API key is not known: send a key an admin made for you, or none.")
            if not state["active"]:
                return self.refuse_key("This API key has been revoked.")
        verdict = limits.count(*limits.client_bucket(request, state))
        if not verdict.allowed:
            response = http.error(429, f"Too many requests: at most {verdict.limit} a window. Try again later.")
            response["Retry-After"] = str(verdict.reset_seconds)
            self.tell_limits(response, verdict)
            return response
        request.api_verdict = verdict
        return None

    def refuse_key(self, message):
        response = http.error(401, message)
        response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        return response

    def tell_limits(self, response, verdict):
        response["X-RateLimit-Limit"] = str(verdict.limit)
        response["X-RateLimit-Remaining"] = str(verdict.remaining)
        response["X-RateLimit-Reset"] = str(verdict.reset_seconds)
