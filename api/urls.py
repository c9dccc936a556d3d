"""The content API at /api/v1/ (django-ninja): its operations (api/views.py), schema, docs page and errors."""

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from articles.pagecache import with_surfaces

from . import http
from .listing import BadFilter
from .schemas import Ninjs, NinjsPage
from .views import router


class ContentApi(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        """The schema, with the ninjs answers' models (returned as they are, so ninja does not list them)."""
        schema = super().get_openapi_schema(**kwargs)
        components = schema["components"].setdefault("schemas", {})
        for model in (Ninjs, NinjsPage):
            found = model.model_json_schema(ref_template="#/components/schemas/{model}")
            components.update(found.pop("$defs", {}))
            components[model.__name__] = found
        return schema


DESCRIPTION = """Published stories of the site, read-only, for apps and partners: as JSON, or as IPTC ninjs 2.1
(`?format=ninjs` or `Accept: application/ninjs+json`). Anyone may read at a modest rate; an API key from the
site's admins (`Authorization: Bearer <key>` or `X-API-Key: <key>`) raises it. Lists are cursor-paginated:
follow `next`. Every answer has an ETag: send it back in `If-None-Match` for a 304. Errors are JSON:
`{"status", "error", "message"}`. Guide: docs/api.md in the project."""

api = ContentApi(
    title="The Newsroom content API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    openapi_url="/schema/",
    docs_url="/docs/",
    docs_decorator=with_surfaces(),
    openapi_extra={
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "description": "An API key from the site's admins."},
                "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
            }
        },
        # A key is optional: without one, the anonymous rate applies.
        "security": [{}, {"bearer": []}, {"apiKey": []}],
    },
)
api.add_router("", router)


@api.exception_handler(BadFilter)
def bad_filter(request, exc):
    return http.error(400, exc.message, fields=exc.fields)


@api.exception_handler(ValidationError)
def invalid_parameters(request, exc):
    fields = {".".join(str(part) for part in error["loc"][1:]) or "request": error["msg"] for error in exc.errors}
    return http.error(
        400, "Some parameters could not be read: " + "; ".join(f"{k}: {v}" for k, v in fields.items()), fields=fields
    )


@api.exception_handler(Http404)
def not_found(request, exc):
    return http.error(404, str(exc) or None)


@api.exception_handler(HttpError)
def refused(request, exc):
    return http.error(exc.status_code, str(exc))


app_name = "api"
urlpatterns = api.urls[0]
