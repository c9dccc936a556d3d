import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses that without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# CI sets this: a skipped test is then a failure, so nothing can silently stop running.
REQUIRE_ALL = os.environ.get("NEWSROOM_REQUIRE_ALL_TESTS") == "1"
CHROMIUM = "/usr/bin/chromium"
POSTGRES_SERVER = Path("/usr/lib/postgresql/15/bin")


def replica_run_missing():
    """What bench/replica_run.py needs and this machine lacks, if anything."""
    if not (POSTGRES_SERVER / "pg_basebackup").exists():
        return f"PostgreSQL 15's server binaries in {POSTGRES_SERVER} (apt-get install postgresql-15)"
    if not shutil.which("redis-server"):
        return "redis-server (apt-get install redis-server)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "a postgres system user to run the clusters as (PostgreSQL refuses root)"
    return None


@pytest.fixture(scope="session", autouse=True)
def test_settings():
    # Manifest storage needs collectstatic first; tests serve static files straight from the apps.
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        # Pages are rendered afresh in tests (query budgets measure real work); tests/test_pagecache.py
        # turns the reader cache on.
        PAGE_CACHE_SECONDS=0,
        # django-axes needs the request, which `client.login()` does not pass; tests/test_security.py
        # turns it back on to test the lockout.
        AXES_ENABLED=False,
    ):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty page cache: purges run on commit, which a rolled-back test never does."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every test stores uploads and renditions in a folder of its own, never in the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL or start it on 127.0.0.1:5432)")
    if item.get_closest_marker("browser") and not shutil.which(CHROMIUM):
        pytest.skip(f"needs Chromium at {CHROMIUM} (apt-get install chromium)")
    if item.get_closest_marker("nginx") and not shutil.which("nginx"):
        pytest.skip("needs nginx (apt-get install nginx)")
    if item.get_closest_marker("redis") and not shutil.which("redis-server"):
        pytest.skip("needs redis-server (apt-get install redis-server)")
    if item.get_closest_marker("replica") and (missing := replica_run_missing()):
        pytest.skip(f"needs {missing}")


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if REQUIRE_ALL and skipped and exitstatus == 0:
        reporter.write_line(f"NEWSROOM_REQUIRE_ALL_TESTS=1 and {skipped} tests skipped: the run fails.", red=True)
        session.exitstatus = 1


@pytest.fixture
def site_identity(settings):
    """A site whose public URL differs from the test server's host, as in production."""
    settings.SITE_URL = "https://news.test"
    settings.SITE_NAME = "Riverport Chronicle"
    settings.LANGUAGE_CODE = "en-gb"
    return settings.SITE_URL


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what a real commit would run after `change()` (purges, related stories): tests roll back instead."""

    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            return change()

    return run


@contextlib.contextmanager
def private_redis(folder):
    """A redis-server of its own on a free loopback port, keeping nothing on disk: its URL (database 0)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    server = subprocess.Popen([*command, "--dir", str(folder)], stdout=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.05)
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def redis_url(tmp_path):
    with private_redis(tmp_path) as url:
        yield url


@pytest.fixture(scope="session")
def broker_url(tmp_path_factory):
    """The webhooks' task broker: a private Redis, so two suites on one machine never share a queue."""
    with private_redis(tmp_path_factory.mktemp("broker")) as url:
        yield url
