"""Checks a content API answer against the component schemas the API publishes at /api/v1/schema/."""

from functools import cache

from django.test import Client
from jsonschema import Draft202012Validator


@cache
def published_schema():
    response = Client().get("/api/v1/schema/")
    assert response.status_code == 200
    return response.json()


def assert_matches(body, component):
    """`body` (decoded JSON) is valid against `#/components/schemas/<component>` of the published schema."""
    schema = published_schema()
    validator = Draft202012Validator({"$ref": f"#/components/schemas/{component}", "components": schema["components"]})
    errors = sorted(validator.iter_errors(body), key=lambda error: list(error.path))
    assert not errors, "\n".join(f"{list(error.path)}: {error.message}" for error in errors[:5])
