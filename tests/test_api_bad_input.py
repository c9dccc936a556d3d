"""Odd input never gives the content API a 500 or an HTML page: bad cursors, bad and far dates, any script,
control characters, huge numbers, in any parameter of any endpoint."""

import base64
import json
from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .factories import ArticleFactory, AuthorFactory, BylineFactory, LiveEntryFactory, LiveStoryFactory, TagFactory

pytestmark = pytest.mark.django_db

BOUNDED = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PARAMETERS = [
    "section",
    "tag",
    "author",
    "type",
    "published_after",
    "published_before",
    "updated_since",
    "cursor",
    "limit",
    "format",
    "q",
    "page",
]
ODD = [
    "",
    " ",
    "0",
    "-1",
    "101",
    "1e309",
    "NaN",
    "99999999999999999999999999",
    "0001-01-01",
    "9999-12-31T23:59:59.999999-23:59",
    "1899-12-31T23:00:00-14:00",
    "2200-12-31T23:59:59+14:00",
    "2025-02-30",
    "2025-03-01T25:00",
    "2025-03-01T09:30:00Z",
    "1700000000",
    "\u202e\u0301\ufeff",
    "ключ",
    "鍵",
    "🦉",
    "\x01\x1f\x7f",
    "%",
    "ninjs",
    "json",
    "' OR 1=1 --",
    "a" * 5000,
]


def cursor_of(value):
    """A well-formed token holding any JSON: a cursor this API never gave."""
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3),
    max_leaves=6,
)
value = st.one_of(
    st.sampled_from(ODD),
    st.text(max_size=50).filter(lambda text: "\x00" not in text),
    st.integers().map(str),
    st.datetimes().map(lambda moment: moment.isoformat()),
    json_values.map(cursor_of),
)


@pytest.fixture(autouse=True)
def no_limits(settings):
    settings.API_ANONYMOUS_RATE_LIMIT = 1_000_000


@pytest.fixture
def paths():
    story = ArticleFactory()
    BylineFactory(article=story, author=AuthorFactory())
    story.tags.add(TagFactory())
    live = LiveStoryFactory()
    LiveEntryFactory(article=live)
    return [
        "/api/v1/",
        "/api/v1/stories/",
        f"/api/v1/stories/{story.pk}/",
        f"/api/v1/stories/{live.pk}/entries/",
        "/api/v1/sections/",
        "/api/v1/authors/",
        "/api/v1/topics/",
        "/api/v1/search/",
        "/api/v1/schema/",
    ]


def assert_a_json_answer(response, url):
    assert response.status_code < 500, url
    assert response["Content-Type"].split(";")[0] in {"application/json", "application/ninjs+json"}, url
    body = response.json()
    if response.status_code >= 400:
        assert body["status"] == response.status_code and body["message"], url


@BOUNDED
@given(
    base=st.integers(min_value=0, max_value=99),
    params=st.lists(st.tuples(st.sampled_from(PARAMETERS) | st.text(max_size=10), value), max_size=5),
    accept=st.sampled_from(["", "application/ninjs+json", "text/html", "*/*", "application/json;q=0.1, ✓"]),
)
def test_odd_parameters_never_give_a_server_error_or_an_html_page(paths, base, params, accept):
    query = "&".join(f"{quote(key)}={quote(text)}" for key, text in params)
    url = f"{paths[base % len(paths)]}?{query}"

    response = Client().get(url, HTTP_ACCEPT=accept)

    assert_a_json_answer(response, url)


@BOUNDED
@given(
    story=st.one_of(st.integers(), st.text(max_size=30)),
    tail=st.sampled_from(["", "entries/", "nope/"]),
    key=st.one_of(st.none(), st.text(max_size=80)),
)
def test_odd_story_addresses_and_keys_never_give_a_server_error(story, tail, key):
    url = f"/api/v1/stories/{quote(str(story), safe='')}/{tail}"
    headers = {} if key is None else {"HTTP_AUTHORIZATION": f"Bearer {key}".encode().decode("latin-1")}

    response = Client().get(url, **headers)

    assert_a_json_answer(response, url)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/stories/?cursor=%00",
        "/api/v1/stories/?published_after=2025-01-01%00",
        "/api/v1/search/?q=minsk%00",
    ],
)
def test_a_null_character_is_a_json_400(client, url):
    response = client.get(url)

    assert response.status_code == 400
    assert response.json()["error"] == "bad_request"
