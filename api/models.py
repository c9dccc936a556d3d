"""API keys: made and revoked by admins, sent by partner apps to read the content API at a higher rate."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

KEY_PREFIX = "nrk_"
# The key's first characters, kept in the clear so admins can tell keys apart: "nrk_" and six of the secret's.
SHOWN_LENGTH = len(KEY_PREFIX) + 6


def digest_of(key):
    """A key's SHA-256. A key is 256 random bits, not a password a person chose: a slow hash protects
    guessable secrets, and would cost every request; a plain digest lets each request find its key by index."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiKeyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiKey(models.Model):
    name = models.CharField(max_length=100, help_text="What the key is for, e.g. “Riverport Radio's news app”.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_keys",
        help_text="The person answerable for the key's use: who to call when it misbehaves.",
    )
    prefix = models.CharField(
        max_length=SHOWN_LENGTH, editable=False, help_text="The key's first characters; the rest is never stored."
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    rate_limit = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Requests this key may make a minute (a window of API_RATE_WINDOW_SECONDS). "
        "Empty: the site's setting for keys (API_KEY_RATE_LIMIT).",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    last_used_at = models.DateTimeField("last used", null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField("revoked", null=True, blank=True, editable=False)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = "API key"
        ordering = ["-created_at", "-id"]
        get_latest_by = "created_at"

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def issue(self):
        """Give the (unsaved) key its secret, and return the secret: shown once, never stored."""
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        self.prefix, self.digest = key[:SHOWN_LENGTH], digest_of(key)
        return key

    @property
    def is_active(self):
        return self.revoked_at is None

    def revoke(self):
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
