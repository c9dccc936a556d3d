"""API keys and limits: admins make and revoke keys; every client is limited, in a cache all app servers share."""

import hashlib
import threading
import uuid

import pytest
from django.test import Client

from api.models import ApiKey

from .factories import ArticleFactory, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def long_windows(settings):
    """An hour's window: the few requests of a test never straddle two windows (each counted afresh)."""
    settings.API_RATE_WINDOW_SECONDS = 3600


@pytest.fixture
def admin_client(client):
    client.force_login(staff_user("Admin"))
    return client


@pytest.fixture
def shared_cache(settings, redis_url):
    """The cache on a real Redis (its logical database 11), as every app server shares it with REDIS_URL."""
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.FailOpenRedisCache",
            "LOCATION": redis_url.replace("/0", "/11"),
            "KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}",
        }
    }


def make_key(admin_client, **fields):
    """A key made as an admin makes one: the add form, then the page that shows its secret once."""
    owner = staff_user("Editor", username=f"owner-{uuid.uuid4().hex[:6]}")
    response = admin_client.post("/admin/api/apikey/add/", {"name": "Radio app", "owner": owner.pk, **fields})
    assert response.status_code == 200
    secret = response.content.decode().split('<code id="api-key">')[1].split("</code>")[0]
    return ApiKey.objects.get(name="Radio app"), secret


def test_an_admin_makes_a_key_shown_once_and_stored_only_as_a_digest(admin_client):
    key, secret = make_key(admin_client)

    assert secret.startswith("nrk_") and len(secret) > 40
    assert key.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert key.prefix == secret[:10]
    stored = str(ApiKey.objects.filter(pk=key.pk).values().get())
    assert secret not in stored
    assert secret not in admin_client.get(f"/admin/api/apikey/{key.pk}/change/").content.decode()
    assert secret not in admin_client.get("/admin/api/apikey/").content.decode()
    assert "Radio app" in admin_client.get("/admin/api/apikey/").content.decode()


def test_a_key_is_sent_as_a_bearer_token_or_a_header_and_its_use_is_recorded(admin_client):
    key, secret = make_key(admin_client, rate_limit="1234")
    reader = Client()

    for headers in ({"HTTP_AUTHORIZATION": f"Bearer {secret}"}, {"HTTP_X_API_KEY": secret}):
        response = reader.get("/api/v1/stories/", **headers)
        assert response.status_code == 200
        assert response["X-RateLimit-Limit"] == "1234"
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_a_revoked_key_is_refused_at_once_even_when_it_was_just_used(admin_client, commit):
    key, secret = make_key(admin_client)
    reader = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert reader.get("/api/v1/stories/").status_code == 200

    response = commit(
        lambda: admin_client.post("/admin/api/apikey/", {"action": "revoke", "_selected_action": [key.pk]})
    )
    refused = reader.get("/api/v1/stories/")

    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert refused.status_code == 401
    assert refused.json()["message"] == "This API key has been revoked."
    assert refused["Access-Control-Allow-Origin"] == "*"


def test_an_unknown_key_is_refused_rather_than_read_as_anonymous(client):
    for key in ("nrk_made-up", "", "x" * 5000, "ключ"):
        response = client.get("/api/v1/stories/", HTTP_AUTHORIZATION=f"Bearer {key}")
        assert response.status_code == 401, key
        assert response.json()["error"] == "unauthorized"


def test_editors_and_reporters_never_see_keys(client, admin_client):
    make_key(admin_client)
    for role in ("Editor", "Reporter"):
        client.force_login(staff_user(role))
        assert client.get("/admin/api/apikey/").status_code == 403
        assert "API keys" not in client.get("/admin/").content.decode()


@pytest.mark.redis
def test_an_anonymous_client_over_its_limit_gets_429_with_retry_after(settings, shared_cache):
    settings.API_ANONYMOUS_RATE_LIMIT = 3
    reader, neighbour = Client(), Client(REMOTE_ADDR="10.1.2.3")

    answers = [reader.get("/api/v1/sections/") for _ in range(4)]

    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert 1 <= int(refused["Retry-After"]) <= settings.API_RATE_WINDOW_SECONDS
    assert refused.json()["error"] == "too_many_requests"
    assert "no-store" in refused["Cache-Control"]
    assert neighbour.get("/api/v1/sections/").status_code == 200  # counted per address


@pytest.mark.redis
def test_a_key_has_its_own_higher_limit_and_then_gets_429(settings, shared_cache, admin_client):
    settings.API_ANONYMOUS_RATE_LIMIT = 1
    _, secret = make_key(admin_client, rate_limit="3")
    app = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

    answers = [app.get("/api/v1/sections/").status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]


@pytest.mark.redis
def test_every_app_server_counts_against_the_same_limit(settings, shared_cache):
    """Another thread has its own connection to Redis, as another app server would: the count is shared."""
    settings.API_ANONYMOUS_RATE_LIMIT = 2
    answers = []

    def read():
        answers.append(Client().get("/api/v1/sections/").status_code)

    for _ in range(3):
        worker = threading.Thread(target=read)
        worker.start()
        worker.join()

    assert answers == [200, 200, 429]


@pytest.mark.redis
def test_a_cached_answer_still_counts_against_the_limit(settings, shared_cache):
    settings.PAGE_CACHE_SECONDS, settings.API_ANONYMOUS_RATE_LIMIT = 600, 2
    ArticleFactory()
    reader = Client()

    first, second, third = (reader.get("/api/v1/stories/") for _ in range(3))

    assert second["X-Page-Cache"] == "hit"
    assert third.status_code == 429


def test_behind_the_proxy_each_reader_is_counted_by_their_forwarded_address(settings):
    settings.TRUSTED_PROXY_COUNT, settings.API_ANONYMOUS_RATE_LIMIT = 1, 1
    first, second = Client(HTTP_X_FORWARDED_FOR="203.0.113.7"), Client(HTTP_X_FORWARDED_FOR="203.0.113.8")

    assert first.get("/api/v1/sections/").status_code == 200
    assert first.get("/api/v1/sections/").status_code == 429
    assert second.get("/api/v1/sections/").status_code == 200


def test_the_api_keeps_answering_without_limits_when_the_cache_is_down(settings, admin_client):
    """A dead Redis address: limits fail open, keys are read from the database."""
    _, secret = make_key(admin_client)
    settings.CACHES = {"default": {"BACKEND": "newsroom.cache.FailOpenRedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    settings.API_ANONYMOUS_RATE_LIMIT = 1
    ArticleFactory()

    answers = [Client().get("/api/v1/stories/").status_code for _ in range(3)]
    keyed = Client(HTTP_X_API_KEY=secret).get("/api/v1/stories/")

    assert answers == [200, 200, 200]
    assert keyed.status_code == 200
