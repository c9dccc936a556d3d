"""Partners' endpoints, what each was told of each story, and the deliveries: the outbox the worker empties."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from .addresses import validate_endpoint_url


class EndpointQuerySet(models.QuerySet):
    def for_story(self, article):
        """Active endpoints taking the story's section (none chosen: every section), and those holding the story.

        An endpoint that was sent a story hears of its updates and withdrawal even if it has moved section since.
        """
        takes_section = models.Q(sections__isnull=True) | models.Q(sections=article.section_id)
        holds = models.Exists(Syndication.objects.filter(endpoint=models.OuterRef("pk"), article=article, usable=True))
        return self.filter(active=True).filter(takes_section | holds).distinct()


class Endpoint(models.Model):
    """A partner's address that is sent each story change, signed with a secret shared with that partner."""

    name = models.CharField(max_length=120, help_text="Who receives these stories, e.g. the partner's name.")
    url = models.URLField(
        "URL",
        max_length=2000,
        validators=[validate_endpoint_url],
        help_text="Where the stories are posted: an http:// or https:// address the partner gave you.",
    )
    secret = models.CharField(
        max_length=200, editable=False, help_text="Shared with the partner; signs every delivery (HMAC-SHA256)."
    )
    sections = models.ManyToManyField(
        "articles.Section",
        blank=True,
        related_name="+",
        help_text="Send stories of these sections only. Choose none to send every section.",
    )
    active = models.BooleanField(
        default=True, help_text="Untick to pause: nothing new is queued, and waiting deliveries go when ticked again."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EndpointQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    @property
    def secret_hint(self):
        """Enough of the secret to tell two apart, never enough to use it."""
        return f"…{self.secret[-4:]}" if len(self.secret) >= 16 else "set"


class Syndication(models.Model):
    """One story as one endpoint was last told of it: usable (published, updated, corrected) or canceled.

    What is told next is decided from this: a story a partner does not hold is sent as published; one it holds
    as updated when its last substantive update differs; a withdrawal or expiry only to those holding it.
    """

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="syndications")
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")
    usable = models.BooleanField(default=True)
    updated_at = models.DateTimeField(null=True, help_text="The story's last substantive update the partner was told.")
    expires_at = models.DateTimeField(null=True, help_text="The story's expiry, kept here for the sweep to find.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["endpoint", "article"], name="syndication_once_per_story")]
        indexes = [
            models.Index(
                fields=["expires_at"],
                condition=models.Q(usable=True, expires_at__isnull=False),
                name="syndication_usable_expiring",
            )
        ]

    def __str__(self):
        return f"story {self.article_id} at {self.endpoint_id}"


class Delivery(models.Model):
    """One event for one endpoint, written in the transaction of the story's change and posted by the worker.

    The story is read when each attempt is made, through the publishing gate: a story that stopped being public
    before its notice went is not sent (superseded), and one scheduled waits for its time.
    """

    class Event(models.TextChoices):
        PUBLISHED = "story.published", "Published"
        UPDATED = "story.updated", "Updated"
        CORRECTED = "story.corrected", "Corrected"
        WITHDRAWN = "story.withdrawn", "Withdrawn"
        EXPIRED = "story.expired", "Expired"

    USABLE_EVENTS = [Event.PUBLISHED, Event.UPDATED, Event.CORRECTED]

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Gave up"
        SUPERSEDED = "superseded", "Not sent: the story changed first"

    id = models.BigAutoField(primary_key=True)
    uuid = models.UUIDField(
        "delivery id", default=uuid.uuid4, unique=True, editable=False, help_text="Sent to the partner."
    )
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    article = models.ForeignKey(
        "articles.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="story"
    )
    event = models.CharField(max_length=20, choices=Event.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now, help_text="When it is due (again).")
    queued_at = models.DateTimeField(null=True, blank=True, help_text="When it was last handed to the broker.")
    attempts = models.PositiveIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    give_up_at = models.DateTimeField(null=True, blank=True, help_text="A day after the first attempt.")
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField("last HTTP status", null=True, blank=True)
    last_error = models.TextField(blank=True)
    payload = models.JSONField(
        null=True, blank=True, editable=False, help_text="The notice of a story since deleted, kept for sending."
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = "created_at"
        verbose_name_plural = "deliveries"
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="delivery_pending_due",
            )
        ]

    def __str__(self):
        return f"{self.get_event_display()} to {self.endpoint}"

    @property
    def is_usable_event(self):
        return self.event in self.USABLE_EVENTS

    def retry_delay(self):
        """Seconds before the next attempt after `attempts` failures: doubling from the first delay, capped."""
        first, cap = settings.WEBHOOK_RETRY_FIRST_SECONDS, settings.WEBHOOK_RETRY_MAX_SECONDS
        return min(cap, first * 2 ** min(max(self.attempts - 1, 0), 32))
