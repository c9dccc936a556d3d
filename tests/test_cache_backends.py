"""The shared cache's own operations (newsroom/cache.py): `set_max()`, by which the page cache's purge position only
ever rises whichever process writes it, and `incr()`, by which the content API counts requests."""

import threading
import time

import pytest

from newsroom.cache import FailOpenFileBasedCache, FailOpenRedisCache


@pytest.fixture(params=["files", pytest.param("redis", marks=pytest.mark.redis)])
def caches(request, tmp_path):
    """Four cache clients sharing one store, as four processes would."""
    if request.param == "files":
        return [FailOpenFileBasedCache(str(tmp_path / "cache"), {}) for _ in range(4)]
    url = request.getfixturevalue("redis_url")
    return [FailOpenRedisCache(url, {}) for _ in range(4)]


def test_set_max_keeps_the_largest_number_it_was_given(caches):
    cache = caches[0]
    for value in [5_000_000_000, 3, 9_000_000_000, 7]:
        cache.set_max("position", value)

    assert cache.get("position") == 9_000_000_000
    assert caches[1].get("position") == 9_000_000_000


def test_a_raise_is_never_undone_by_a_client_that_read_the_number_before_it(caches, monkeypatch):
    """One client reads the number, another raises it, then the first would raise it less: it must not lower it."""
    early, late = caches[0], caches[1]
    backend, read, raised = type(early), threading.Event(), threading.Event()
    get = backend.get

    def get_then_wait(self, *args, **kwargs):
        found = get(self, *args, **kwargs)
        if self is early:
            read.set()
            raised.wait(timeout=1)  # an implementation that holds a lock meanwhile keeps `late` waiting this long
        return found

    monkeypatch.setattr(backend, "get", get_then_wait)
    lower = threading.Thread(target=early.set_max, args=("position", 5))
    lower.start()
    read.wait(timeout=1)
    late.set_max("position", 10**12)
    raised.set()
    lower.join()

    assert late.get("position") == 10**12


def test_incr_adds_to_a_counter_shared_by_every_client(caches):
    cache, other = caches[0], caches[1]
    cache.add("window", 1, timeout=60)

    assert cache.incr("window") == 2
    assert other.incr("window", 5) == 7
    assert cache.get("window") == 7


@pytest.mark.redis
def test_on_redis_a_counter_keeps_its_windows_expiry(redis_url):
    cache = FailOpenRedisCache(redis_url, {})
    cache.add("window", 1, timeout=1)
    cache.incr("window")
    time.sleep(1.1)

    assert cache.get("window") is None


def test_incr_of_a_missing_key_is_a_value_error_and_makes_no_key(caches):
    cache = caches[0]
    with pytest.raises(ValueError):
        cache.incr("never-set")

    assert cache.get("never-set") is None


@pytest.mark.redis
def test_the_redis_backend_reuses_one_client_per_connection_pool(redis_url):
    cache = FailOpenRedisCache(redis_url, {})
    cache.set("a", 1)

    assert cache._cache.get_client(write=True) is cache._cache.get_client(write=True)
