"""`set_max()`: the page cache's purge position only ever rises, whichever process writes it (newsroom/cache.py)."""

import threading

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
