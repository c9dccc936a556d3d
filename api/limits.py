"""Request limits for the content API, counted in the shared cache so every app server counts together.

A fixed window: each client (a key, or an address without one) may make its limit of requests in each
window of API_RATE_WINDOW_SECONDS; over it, 429 with `Retry-After` saying when the window ends. The counts
live in the default cache (Redis when REDIS_URL is set, newsroom/cache.py): when the cache does not answer,
nothing is counted and every request is let through (fail open), as the page cache serves from the database.
"""

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from newsroom.middleware import client_ip


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int  # until the window ends: Retry-After when refused


def client_bucket(request, key_state):
    """Whose count a request adds to: its key's, or its address's (as the login throttle finds it)."""
    if key_state:
        return f"key:{key_state['pk']}", key_state["rate_limit"] or settings.API_KEY_RATE_LIMIT
    # Hashed: behind a proxy the address comes from a header, and a cache key must stay short and plain.
    address = hashlib.sha256(str(client_ip(request)).encode()).hexdigest()[:24]
    return f"ip:{address}", settings.API_ANONYMOUS_RATE_LIMIT


def count(bucket, limit, now=None):
    """Count one request of `bucket` in the current window, and say whether it is within `limit`."""
    window = settings.API_RATE_WINDOW_SECONDS
    now = time.time() if now is None else now
    start = int(now // window) * window
    reset = max(1, math.ceil(start + window - now))
    made = add_one(f"api:rate:{bucket}:{start}", timeout=window + 1)
    if made is None:  # the cache is not answering: fail open
        return Verdict(True, limit, limit, reset)
    return Verdict(made <= limit, limit, max(0, limit - made), reset)


def add_one(key, timeout):
    """The key's count after adding one (None if the cache did not answer)."""
    try:
        return cache.incr(key)
    except ValueError:  # not there yet: this window's first request (or two at once)
        if cache.add(key, 1, timeout=timeout):
            return 1
        try:
            return cache.incr(key)
        except ValueError:
            return None
