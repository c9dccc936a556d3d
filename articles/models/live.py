"""Live coverage: a live story's running entries, when its coverage started and ended, and the entries' log.

An entry has two gates: its story's (`Article.objects.published()`) and its own (not a draft, not deleted,
posted by now). `LiveEntry.objects.published()` is the one place both are written; every reader surface
(the page, the update endpoint, the feed, JSON-LD) starts from it.

Deleting an entry keeps its row, marked deleted: the readers' pages that still show it are told to remove
it, and the log keeps what it said.
"""

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import Truncator

from ..sanitize import clean_html, clean_text_fields, plain_text
from .validation import check_story_dates, validate_story_date


def epoch_micros(moment):
    return int(moment.timestamp() * 1_000_000)


class LiveCoverage(models.Model):
    """When a live story's coverage started and, once closed, ended. A live story without one is open."""

    article = models.OneToOneField(
        "articles.Article", primary_key=True, on_delete=models.CASCADE, related_name="live_coverage"
    )
    started_at = models.DateTimeField(
        null=True,
        blank=True,
        validators=[validate_story_date],
        help_text="When the coverage began; empty means when the story was published.",
    )
    ended_at = models.DateTimeField(
        null=True,
        blank=True,
        validators=[validate_story_date],
        help_text="Set when the coverage is closed: readers are told it has ended and their pages stop updating.",
    )

    class Meta:
        verbose_name_plural = "live coverage"

    def __str__(self):
        return f"Live coverage of “{self.article}”"

    def save(self, *args, **kwargs):
        check_story_dates(self, ["started_at", "ended_at"])
        super().save(*args, **kwargs)

    @property
    def start(self):
        return self.started_at or self.article.published_at

    @property
    def is_open(self):
        return self.ended_at is None


class LiveEntryQuerySet(models.QuerySet):
    def published(self, at=None):
        """Entries readers may see: of a story readers may see, not a draft, not deleted, posted by now."""
        now = at or timezone.now()
        stories = apps.get_model("articles", "Article").objects.published(at=now)
        return self.ready(at=now).filter(article__in=stories)

    def ready(self, at=None):
        """Entries readers will see once their story is public (what a preview shows): not a draft, not
        deleted, posted by now."""
        return self.filter(is_draft=False, deleted_at__isnull=True, posted_at__lte=at or timezone.now())

    def current(self):
        """Entries not deleted, drafts and scheduled ones included: what the desk works on."""
        return self.filter(deleted_at__isnull=True)

    def for_page(self):
        return self.select_related("image").prefetch_related("authors")

    def newest_first(self):
        return self.order_by("-posted_at", "-id")

    def changed_since(self, since, at):
        """Entries whose reader-visible state may have changed after `since` (a datetime), up to `at`.

        A change is a save (edit, deletion, draft flag) after `since`, or a scheduled entry whose time came.
        """
        return self.filter(models.Q(changed_at__gt=since) | models.Q(posted_at__gt=since, posted_at__lte=at))

    def version(self, at):
        """The latest moment anything readers may see in these entries changed, in microseconds (0: none).

        The update endpoint's `since` token: every reader who is up to date asks with the same one.
        """
        found = self.aggregate(
            saved=models.Max("changed_at"), revealed=models.Max("posted_at", filter=models.Q(posted_at__lte=at))
        )
        moments = [moment for moment in found.values() if moment]
        return epoch_micros(max(moments)) if moments else 0

    def next_reveal(self, after):
        """When the next scheduled entry appears, or None."""
        return (
            self.current().filter(is_draft=False, posted_at__gt=after).aggregate(next=models.Min("posted_at"))["next"]
        )


class LiveEntry(models.Model):
    """One short, timestamped update in a live story."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="live_entries")
    posted_at = models.DateTimeField(
        "time",
        default=timezone.now,
        validators=[validate_story_date],
        help_text="Readers see the entry from this time; a time in the future schedules it.",
    )
    headline = models.CharField(max_length=200, blank=True, help_text="Optional.")
    body = models.TextField()
    image = models.ForeignKey(
        "images.Image", null=True, blank=True, on_delete=models.PROTECT, related_name="live_entries"
    )
    key_event = models.BooleanField(default=False, help_text="Listed on top of the live page as a key event.")
    is_draft = models.BooleanField("draft", default=False, help_text="Held back: readers do not see a draft entry.")
    authors = models.ManyToManyField("articles.Author", related_name="live_entries", blank=True)
    external_id = models.CharField(
        max_length=200, blank=True, editable=False, help_text="The entry's id in the wire feed it was imported from."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    changed_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = LiveEntryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "live entries"
        ordering = ["-posted_at", "-id"]
        get_latest_by = "posted_at"
        indexes = [models.Index(fields=["article", "-posted_at", "-id"], name="live_entry_newest")]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "external_id"], condition=~models.Q(external_id=""), name="live_entry_external_id"
            )
        ]

    def __str__(self):
        return self.headline or f"Entry {self.pk} in “{self.article}”"

    def save(self, *args, **kwargs):
        clean_text_fields(self)
        self.body = clean_html(self.body)
        check_story_dates(self, ["posted_at"])
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self):
        return f"entry-{self.pk}"

    @property
    def title(self):
        """The headline, or the body's first words: how the key events list names the entry."""
        return self.headline or Truncator(" ".join(plain_text(self.body).split())).words(12)

    @classmethod
    def may_post(cls, user, article):
        """Editors post to any live story; a reporter to a live story they are bylined on."""
        if article.article_type != "live":
            return False
        if user.has_perm("articles.edit_any_article"):
            return True
        return user.has_perm("articles.change_article") and article.bylines.filter(author__user=user).exists()

    def record(self, action, user, previous=None):
        self.changes.create(action=action, changed_by=user, previous=previous or {})

    def edit(self, user, previous):
        with transaction.atomic():
            self.save()
            self.record(LiveEntryChange.Action.EDITED, user, previous)

    def delete_for_readers(self, user):
        """Take the entry off every reader surface; the row and its log stay."""
        with transaction.atomic():
            self.record(LiveEntryChange.Action.DELETED, user, {"headline": self.headline, "body": self.body})
            self.deleted_at = timezone.now()
            self.save(update_fields=["deleted_at", "changed_at"])


class LiveEntryChange(models.Model):
    """The log of an entry: who posted, edited or deleted it, when, and what it said before."""

    class Action(models.TextChoices):
        POSTED = "posted", "Posted"
        EDITED = "edited", "Edited"
        DELETED = "deleted", "Deleted"

    entry = models.ForeignKey("articles.LiveEntry", on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(max_length=20, choices=Action.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    previous = models.JSONField(default=dict, blank=True, help_text="The headline and body before this change.")

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"{self.get_action_display()} by {self.changed_by or 'the wire'}"
