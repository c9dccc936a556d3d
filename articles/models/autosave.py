"""Copy kept on the server while someone types: one autosave per person and story, never over the story."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse


class AutosaveQuerySet(models.QuerySet):
    def unsaved_new_stories(self, user):
        """This person's stories typed on the add page and never saved, newest first."""
        return self.filter(user=user, article__isnull=True).order_by("-saved_at")

    def pending_for(self, article, excluding_user=None):
        """Autosaves of this story by others, typed since its last save: copy the story does not hold yet."""
        pending = self.filter(article=article, saved_at__gt=article.modified_at).select_related("user")
        return pending.exclude(user=excluding_user) if excluding_user is not None else pending


class Autosave(models.Model):
    """What one person had in a story's form when they last typed: restored, or discarded, by them alone."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="autosaves")
    article = models.ForeignKey(
        "articles.Article",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="autosaves",
        help_text="Empty for a new story that was never saved.",
    )
    key = models.UUIDField(
        default=uuid.uuid4, help_text="Chosen by the add page, so reopening it finds its copy before any save."
    )
    data = models.JSONField(help_text="The form's fields as posted: each name with its list of values.")
    base_version = models.PositiveIntegerField(
        null=True, blank=True, help_text="The story's version when the form was opened."
    )
    saved_at = models.DateTimeField(auto_now=True)

    objects = AutosaveQuerySet.as_manager()

    class Meta:
        ordering = ["-saved_at"]
        get_latest_by = "saved_at"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"], condition=models.Q(article__isnull=False), name="autosave_one_per_story"
            ),
            models.UniqueConstraint(fields=["user", "key"], name="autosave_key_per_user"),
        ]

    def __str__(self):
        return f"Autosave of “{self.headline}” by {self.user}"

    def get_absolute_url(self):
        """The story's form, where the copy is offered back."""
        if self.article_id is None:
            return f"{reverse('admin:articles_article_add')}?autosave={self.key}"
        return reverse("admin:articles_article_change", args=[self.article_id])

    @property
    def headline(self):
        """The headline as typed, for listing a story that has no row of its own yet."""
        return (self.data.get("headline") or [""])[0].strip() or "(no headline yet)"
