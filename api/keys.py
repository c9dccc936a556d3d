"""Finding the key a request sends, through the cache: a keyed request costs no query while its key is known.

A key's state (active or revoked, its own limit) is kept in the cache for a minute and forgotten as soon as
the key changes, so a revocation holds at once on every app server sharing the cache.
"""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from .models import ApiKey, digest_of

REMEMBERED_SECONDS = 60
# How often a key's "last used" time is written: at most once a minute a key, not on every request.
LAST_USED_EVERY_SECONDS = 60
UNKNOWN = "unknown"
# Longer than any key this API issues: nothing to look up.
LONGEST_KEY = 200


def sent_key(request):
    """The key in `Authorization: Bearer <key>` or `X-API-Key: <key>`; None when neither header is sent."""
    authorization = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() == "bearer":
        return value.strip()
    return request.META.get("HTTP_X_API_KEY", "").strip() or None


def key_state_key(digest):
    return f"api:key:{digest}"


def known_key(key):
    """What the request's key allows: {"pk", "active", "rate_limit"}, or None when no key has this value."""
    if not key or len(key) > LONGEST_KEY or not key.isascii():
        return None
    digest = digest_of(key)
    state = cache.get(key_state_key(digest))
    if state is None:
        found = ApiKey.objects.filter(digest=digest).values("pk", "revoked_at", "rate_limit").first()
        state = UNKNOWN
        if found:
            state = {"pk": found["pk"], "active": found["revoked_at"] is None, "rate_limit": found["rate_limit"]}
        cache.set(key_state_key(digest), state, timeout=REMEMBERED_SECONDS)
    if state == UNKNOWN:
        return None
    if state["active"] and cache.add(f"api:key-used:{state['pk']}", 1, timeout=LAST_USED_EVERY_SECONDS):
        ApiKey.objects.filter(pk=state["pk"]).update(last_used_at=timezone.now())
    return state


@receiver([post_save, post_delete], sender=ApiKey)
def forget_key(sender, instance, **kwargs):
    digest = instance.digest
    transaction.on_commit(lambda: cache.delete(key_state_key(digest)))
