import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.views.decorators.cache import cache_page

from articles import views
from newsroom.errors import server_error
from newsroom.logformat import KeyValueFormatter
from newsroom.middleware import ContentSecurityPolicyMiddleware, client_ip

from .factories import ArticleFactory, UserFactory

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {
    "DEBUG": "false",
    "ALLOWED_HOSTS": "news.example.org",
    "SECURE_PROXY_SSL_HEADER": "true",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_COOKIES": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
}


def test_deploy_check_is_clean_with_production_settings():
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(PRODUCTION, SECRET_KEY=secrets.token_urlsafe(50))

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_public_pages_send_the_security_headers(client):
    article = ArticleFactory()

    response = client.get(article.get_absolute_url())

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy and "base-uri 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_a_script_may_run_on_a_public_page_only_with_the_requests_nonce(rf):
    request = rf.get("/")
    middleware = ContentSecurityPolicyMiddleware(views.healthz)
    middleware.process_request(request)
    nonce = str(request.csp_nonce)
    response = middleware.process_response(request, views.healthz(request))

    assert f"script-src 'self' 'nonce-{nonce}'" in response["Content-Security-Policy"]


def test_admin_gets_the_policy_ckeditor_needs_and_only_the_upload_view_may_be_framed(admin_client):
    admin_policy = admin_client.get(reverse("admin:index"))["Content-Security-Policy"]
    upload = admin_client.get("/ckeditor/upload/")

    assert "script-src 'self' 'unsafe-inline'" in admin_policy and "frame-ancestors 'none'" in admin_policy
    assert "object-src 'none'" in admin_policy
    assert upload["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in upload["Content-Security-Policy"]


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_repeated_failed_logins_lock_the_account_out_until_an_admin_unlocks_it(client, admin_client):
    UserFactory(username="editor", password="the-right-password-123", is_staff=True)
    login = reverse("admin:login")

    for _ in range(2):
        assert client.post(login, {"username": "editor", "password": "wrong"}).status_code == 200
    locked = client.post(login, {"username": "editor", "password": "wrong"})
    still_locked = client.post(login, {"username": "editor", "password": "the-right-password-123"})

    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    assert "The Newsroom: editorial</a>" in locked.content.decode()
    assert "<title>Login blocked | The Newsroom</title>" in locked.content.decode()
    assert "Django administration" not in locked.content.decode()
    assert still_locked.status_code == 429
    attempt = AccessAttempt.objects.get(username="editor")
    assert "editor" in admin_client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()

    admin_client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})

    unlocked = client.post(login, {"username": "editor", "password": "the-right-password-123"})
    assert unlocked.status_code == 302


def test_weak_passwords_are_refused():
    for weak in ["password", "12345678", "short"]:
        with pytest.raises(ValidationError):
            validate_password(weak)


@pytest.mark.django_db
def test_oversized_form_is_refused_with_400_and_oversized_body_with_413():
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("admin:login"))  # the CSRF cookie, so the form is read at all

    too_many_bytes = client.post(reverse("admin:login"), {"username": "x" * 3_000_000, "password": "y"})
    with override_settings(MAX_REQUEST_BYTES=10_000):
        upload = client.post("/ckeditor/upload/", {"upload": "z" * 20_000})

    assert too_many_bytes.status_code == 400
    assert upload.status_code == 413


@pytest.mark.django_db
def test_lost_database_gives_a_short_503_page_with_retry_after(rf):
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(rf.get("/"))

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Back in a moment" in response.content.decode()
    assert "Traceback" not in response.content.decode()


@pytest.mark.django_db
def test_other_errors_still_give_the_500_page(rf):
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(rf.get("/"))

    assert response.status_code == 500


REDIS_DOWN = {
    "default": {
        "BACKEND": "newsroom.cache.FailOpenRedisCache",
        "LOCATION": "redis://127.0.0.1:1/7",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    },
    "plain": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/7"},
}


@pytest.mark.django_db
@override_settings(CACHES=REDIS_DOWN)
def test_pages_are_served_from_the_database_when_redis_is_down(client):
    """Redis on a closed port: the plain backend raises, the site's backend misses and the page is served."""
    article = ArticleFactory(headline="Bridge reopens")
    cached_home = cache_page(60)(views.home)

    with pytest.raises(Exception, match="Connection refused|Error 111"):
        caches["plain"].get("anything")
    assert caches["default"].get("anything", "miss") == "miss"
    caches["default"].set("anything", "value")
    response = cached_home(RequestFactory().get("/"))
    page = client.get(article.get_absolute_url())

    assert response.status_code == 200 and "Bridge reopens" in response.content.decode()
    assert page.status_code == 200


def test_settings_pick_redis_from_redis_url_and_a_shared_file_cache_without_it():
    def backend(**env):
        code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
        clean = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
        result = subprocess.run(
            [sys.executable, "-c", f"import django, os; django.setup(); {code}"],
            cwd=ROOT,
            env={**clean, "DJANGO_SETTINGS_MODULE": "newsroom.settings", "SECRET_KEY": "x", **env},
            capture_output=True,
            text=True,
        )
        return result.stdout.strip()

    assert backend(REDIS_URL="redis://127.0.0.1:6379/7") == "newsroom.cache.FailOpenRedisCache"
    assert backend() == "newsroom.cache.FailOpenFileBasedCache"


def test_log_lines_are_key_value_pairs_with_the_traceback_on_the_same_line():
    try:
        raise ValueError('a "quoted" problem')
    except ValueError:
        record = logging.LogRecord(
            "django.request", logging.ERROR, "", 0, "Internal Server Error: %s", ("/x",), sys.exc_info()
        )

    line = KeyValueFormatter().format(record)

    assert "\n" not in line
    assert 'level=ERROR logger=django.request msg="Internal Server Error: /x" exc="Traceback' in line
    assert 'ValueError: a \\"quoted\\" problem' in line


@pytest.mark.django_db
def test_error_pages_may_use_their_inline_style_and_nothing_else_inline(rf):
    request = rf.get("/")
    middleware = ContentSecurityPolicyMiddleware(views.healthz)
    try:
        raise OperationalError("could not connect to server")
    except OperationalError:
        response = middleware.process_response(request, server_error(request))

    policy = response["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert "script-src 'self'" in policy and "script-src 'self' 'unsafe-inline'" not in policy


def test_login_throttling_counts_the_client_behind_the_proxy_not_the_proxy(rf, settings):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7", REMOTE_ADDR="10.0.0.2")

    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "198.51.100.7"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "203.0.113.9"
