"""Bad input never gives a 5xx: hypothesis throws hostile paths, query strings and form posts at every
public URL. Examples are bounded so the suite stays quick on a small machine."""

from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import Article

from .factories import ArticleFactory, BylineFactory, TagFactory, staff_user
from .public_surfaces import surface_paths

pytestmark = pytest.mark.django_db

BOUNDED = settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HOSTILE = [
    "..",
    "%2e%2e%2f",
    "%00",
    "%ff%fe",
    "%",
    "%%",
    "%u0041",
    "\u202e",
    "' OR 1=1 --",
    '"><svg onload=alert(1)>',
    "{{7*7}}",
    "%s%s%n",
    "${jndi:ldap://x}",
    "-1",
    "0",
    "999999999999999999999999",
    "1e309",
    "NaN",
    "page",
    "admin",
    "\u0000",
    "a" * 300,
    ";",
    "//",
]
segment = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40))
query_value = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=60), st.integers().map(str))


@pytest.fixture
def public_paths():
    """A path of every kind of public page (tests/public_surfaces.py)."""
    article = ArticleFactory()
    article.tags.add(TagFactory())
    BylineFactory(article=article)
    return [*surface_paths(article), "/healthz"]


@pytest.fixture
def csrf_client():
    """A client that checks CSRF tokens as browsers meet them (one per test: each client loads the app)."""
    return Client(enforce_csrf_checks=True)


def encode(text):
    return quote(text, safe="/%;=&")


def assert_not_a_server_error(response, what):
    assert response.status_code < 500, what


@BOUNDED
@given(base=st.integers(min_value=0, max_value=99), segments=st.lists(segment, max_size=4), slash=st.booleans())
def test_hostile_paths_never_give_a_server_error(client, public_paths, base, segments, slash):
    path = (
        public_paths[base % len(public_paths)].rstrip("/")
        + "".join(f"/{encode(part)}" for part in segments)
        + ("/" if slash else "")
    )

    assert_not_a_server_error(client.get(path), path)


@BOUNDED
@given(
    base=st.integers(min_value=0, max_value=99),
    params=st.lists(
        st.tuples(st.one_of(st.just("page"), st.sampled_from(HOSTILE), st.text(max_size=20)), query_value), max_size=5
    ),
)
def test_hostile_query_strings_never_give_a_server_error(client, public_paths, base, params):
    query = "&".join(f"{encode(key)}={encode(value)}" for key, value in params)
    path = f"{public_paths[base % len(public_paths)]}?{query}"

    assert_not_a_server_error(client.get(path), path)


@BOUNDED
@given(
    base=st.integers(min_value=0, max_value=99),
    fields=st.dictionaries(
        st.text(min_size=1, max_size=20), st.one_of(query_value, st.lists(query_value, max_size=3)), max_size=6
    ),
    csrf=st.booleans(),
)
def test_hostile_form_posts_never_give_a_server_error(client, csrf_client, public_paths, base, fields, csrf):
    client = csrf_client if csrf else client
    path = public_paths[base % len(public_paths)]

    assert_not_a_server_error(client.post(path, fields), f"POST {path} {fields!r}")


@BOUNDED
@given(
    body=st.binary(max_size=2000),
    content_type=st.sampled_from(
        [
            "application/json",
            "multipart/form-data; boundary=x",
            "application/x-www-form-urlencoded",
            "text/xml",
            "multipart/form-data",
        ]
    ),
)
def test_malformed_request_bodies_never_give_a_server_error(client, public_paths, body, content_type):
    for path in (public_paths[0], "/admin/login/"):
        assert_not_a_server_error(client.generic("POST", path, body, content_type=content_type), path)


@pytest.mark.parametrize(
    "path",
    [
        "/search/?q=%00",
        "/search/?q=minsk&published_after=%00",
        "/?page=%00",
        "/tags/topic/?x%00=1",
        "/admin/autocomplete/?term=%00&app_label=articles&model_name=article&field_name=tags",
        "/admin/articles/article/?q=%00",
        "/admin/articles/article/?headline__icontains=%00",
    ],
)
def test_a_null_character_in_a_query_string_is_refused_with_a_clear_message(client, path):
    """Editors and readers alike: anywhere on the site, a NUL in a parameter is a 400 that says why."""
    client.force_login(staff_user("Editor"))
    ArticleFactory().tags.add(TagFactory(name="Topic", slug="topic"))

    response = client.get(path)

    assert response.status_code == 400
    assert response.content.decode() == "Null characters are not allowed in a request's parameters."


def test_a_null_character_in_a_posted_form_is_refused_with_a_clear_message(client):
    client.force_login(staff_user("Editor"))
    section = ArticleFactory().section

    response = client.post(
        "/admin/articles/article/add/", {"headline": "Bridge\x00reopens", "slug": "bridge", "section": section.pk}
    )

    assert response.status_code == 400
    assert response.content.decode() == "Null characters are not allowed in a request's parameters."
    assert not Article.objects.filter(slug="bridge").exists()
