"""Cache backends that fail open: a cache that is down is a miss, and pages come from the database.

Reads answer the default, writes do nothing. After a failure the backend skips the cache for
RETRY_AFTER seconds, so an unreachable Redis costs one timeout per worker now and then, not one per call.

Both also keep a number that only rises, `set_max()`, atomically for every process sharing the cache.
"""

import fcntl
import logging
import time
from pathlib import Path

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
RETRY_AFTER = 5.0


class FailOpen:
    failures = (OSError,)
    down_until = 0.0

    def _try(self, fallback, call, *args, **kwargs):
        if time.monotonic() < self.down_until:
            return fallback
        try:
            return call(*args, **kwargs)
        except self.failures as exc:
            self.down_until = time.monotonic() + RETRY_AFTER
            logger.warning("cache=down op=%s error=%r retry_in_s=%s", call.__name__, exc, RETRY_AFTER)
            return fallback

    def answering(self):
        """False for RETRY_AFTER seconds after a failure, while every call answers its default."""
        return time.monotonic() >= self.down_until

    def get(self, key, default=None, version=None):
        return self._try(default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._try({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._try(False, super().has_key, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(False, super().add, key, value, timeout=timeout, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(None, super().set, key, value, timeout=timeout, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(list(data), super().set_many, data, timeout=timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(False, super().touch, key, timeout=timeout, version=version)

    def delete(self, key, version=None):
        return self._try(False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        return self._try(None, super().delete_many, keys, version)

    def incr(self, key, delta=1, version=None):
        return self._try(None, super().incr, key, delta, version)

    def decr(self, key, delta=1, version=None):
        return self._try(None, super().decr, key, delta, version)

    def clear(self):
        return self._try(None, super().clear)


# Integers are stored as plain numbers by Django's Redis serializer, so the cache reads this back as an int.
RAISE_TO = """
local current = tonumber(redis.call('GET', KEYS[1]))
if current == nil or current < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], ARGV[1])
end
"""


INCR_EXISTING = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  return redis.call('INCRBY', KEYS[1], ARGV[1])
end
return nil
"""


class ReusedClients(RedisCacheClient):
    """Django makes a new redis.Redis object for every call, about 0.1 ms each: a cached page's answer makes
    two, a cached API answer four. One per connection pool does the same work (the object is thread-safe;
    the pool holds the connections)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        if id(pool) not in self._clients:
            self._clients[id(pool)] = self._client(connection_pool=pool)
        return self._clients[id(pool)]

    def incr(self, key, delta):
        """One round trip, not Django's two (EXISTS, then INCRBY), and atomic: a key that expired between
        Django's two would come back as a counter with no expiry."""
        value = self.get_client(key, write=True).eval(INCR_EXISTING, 1, key, delta)
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return value


class FailOpenRedisCache(FailOpen, RedisCache):
    failures = (RedisError, OSError)

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClients

    def set_max(self, key, value, version=None):
        """Store `value` unless the key holds a larger number; no expiry."""
        key = self.make_and_validate_key(key, version=version)
        client = self._cache.get_client(key, write=True)
        self._try(None, client.eval, RAISE_TO, 1, key, int(value))


class FailOpenFileBasedCache(FailOpen, FileBasedCache):
    def set_max(self, key, value, version=None):
        """Store `value` unless the key holds a larger number; no expiry. The workers of one machine share
        the files, so a lock file makes the read and the write one step."""
        self._try(None, self._raise_to, key, value, version)

    def _raise_to(self, key, value, version):
        Path(self._dir).mkdir(parents=True, exist_ok=True)
        with open(Path(self._dir) / "set_max.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            current = self.get(key, version=version)
            if current is None or current < value:
                self.set(key, value, timeout=None, version=version)
