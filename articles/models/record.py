"""The editorial record around stories: corrections, the status log, old addresses, who is editing, policies."""

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone

from ..sanitize import clean_text_fields
from ..site import path_to
from .gate import StoryStatus
from .validation import check_story_dates, validate_story_date


class CorrectionQuerySet(models.QuerySet):
    def public(self):
        """Corrections and clarifications on stories readers may see, with what a listing shows of the story."""
        return (
            self.filter(article__in=apps.get_model("articles", "Article").objects.published())
            .exclude(kind=self.model.Kind.UPDATE)
            .select_related("article__section")
        )


class Correction(models.Model):
    """A dated note on a published story, shown to readers in a labelled block."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        CLARIFICATION = "clarification", "Clarification"
        UPDATE = "update", "Update"

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    note = models.TextField(help_text="What was wrong and what is right now, in plain words.")
    created_at = models.DateTimeField(default=timezone.now, validators=[validate_story_date])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = "created_at"
        # The corrections page and feed walk this index newest first instead of sorting every correction.
        indexes = [models.Index(fields=["-created_at", "-id"], name="correction_newest")]

    def __str__(self):
        return f"{self.get_kind_display()} to “{self.article}”"

    def save(self, *args, **kwargs):
        clean_text_fields(self)
        check_story_dates(self, ["created_at"])
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding:
            # A correction is a substantive update: readers see the story as updated at its time.
            apps.get_model("articles", "Article").objects.filter(pk=self.article_id).update(updated_at=self.created_at)


class StatusChange(models.Model):
    """One workflow transition of a story: who moved it, when, from what, to what."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=StoryStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=StoryStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True, help_text="Why the story was sent back, for its reporter.")

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"{self.from_status or 'new'} → {self.to_status}"

    def save(self, *args, **kwargs):
        clean_text_fields(self)
        super().save(*args, **kwargs)


class OldSlug(models.Model):
    """A slug a published story used to have; its old address redirects to the current one."""

    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="old_slugs")

    def __str__(self):
        return self.slug


class EditingPresence(models.Model):
    """Who has a story open in the admin: a soft lock kept alive by a heartbeat, stale after a minute."""

    STALE_AFTER_SECONDS = 45

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="presences")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "user"], name="presence_one_per_user")]

    def __str__(self):
        return f"{self.user} on {self.article_id}"

    @classmethod
    def beat(cls, article, user):
        """Record that `user` still has `article` open; return the others who have it open now."""
        now = timezone.now()
        presence, created = cls.objects.get_or_create(article=article, user=user)
        if not created:
            if (now - presence.seen_at).total_seconds() > cls.STALE_AFTER_SECONDS:
                presence.opened_at = now
            presence.seen_at = now
            presence.save(update_fields=["opened_at", "seen_at"])
        fresh_since = now - timezone.timedelta(seconds=cls.STALE_AFTER_SECONDS)
        return list(
            cls.objects.filter(article=article, seen_at__gte=fresh_since)
            .exclude(user=user)
            .select_related("user")
            .order_by("opened_at")
        )


class Policy(models.Model):
    """A standing editorial text readers can consult, such as the corrections policy."""

    CORRECTIONS = "corrections"

    title = models.CharField(max_length=120)
    slug = models.SlugField(
        max_length=80,
        unique=True,
        allow_unicode=True,
        help_text=f"The page's address; “{CORRECTIONS}” is the corrections policy.",
    )
    body = models.TextField(help_text="Plain text; a blank line starts a new paragraph.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "policies"

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        clean_text_fields(self)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return path_to("articles:policy", slug=self.slug)
