"""The story: its fields, its save rules and what readers are told of it."""

import math
import re
import secrets

from ckeditor_uploader.fields import RichTextUploadingField
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.functional import cached_property

from ..sanitize import clean_html, clean_text_fields, plain_text
from ..site import absolute_url, path_to
from .gate import ArticleQuerySet, StoryStatus
from .validation import STORY_DATE_FIELDS, check_story_dates, unique_slug, validate_story_date

WORDS_PER_MINUTE = 230
# An <img> whose alt is missing or blank, in sanitised HTML (nh3 writes every attribute in double quotes).
BODY_IMAGE_WITHOUT_ALT = re.compile(r"<img(?![^>]*\balt=\"[^\"]*[^\"\s])[^>]*>")

# Sent inside the save's transaction with the story and its row as it was before (None for a new story);
# articles.publishing purges the cached pages that show it.
story_saved = Signal()


def new_preview_key():
    return secrets.token_urlsafe(16)


class StaleArticle(Exception):
    """The story was saved by someone else since this copy was loaded."""


class Article(models.Model):
    Status = StoryStatus

    class Type(models.TextChoices):
        NEWS = "news", "News"
        ANALYSIS = "analysis", "Analysis"
        OPINION = "opinion", "Opinion"
        REVIEW = "review", "Review"
        EXPLAINER = "explainer", "Explainer"
        LIVE = "live", "Live"

    headline = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        blank=True,
        allow_unicode=True,
        help_text="The story's address on the site, in any script. Filled from the headline when left empty.",
    )
    standfirst = models.TextField(
        blank=True, max_length=600, help_text="The one- or two-sentence summary under the headline."
    )
    body = RichTextUploadingField(blank=True)
    # Optional wording for search results and shares; empty means the headline and standfirst are used.
    SEARCH_AND_SOCIAL = ["seo_title", "seo_description", "social_headline", "social_description"]
    seo_title = models.CharField(
        "SEO title",
        max_length=110,
        blank=True,
        help_text="Title in search results and browser tabs instead of the headline. Google shows about 60 characters.",
    )
    seo_description = models.CharField(
        "meta description",
        max_length=160,
        blank=True,
        help_text="Summary in search results, instead of the standfirst. Google shows about 160 characters.",
    )
    social_headline = models.CharField(
        max_length=110, blank=True, help_text="Title when the story is shared on social media, instead of the headline."
    )
    social_description = models.CharField(
        max_length=200, blank=True, help_text="Text when the story is shared, instead of the standfirst."
    )
    section = models.ForeignKey("articles.Section", on_delete=models.PROTECT, related_name="articles")
    authors = models.ManyToManyField("articles.Author", through="articles.Byline", related_name="articles", blank=True)
    tags = models.ManyToManyField("articles.Tag", related_name="articles", blank=True)
    lead_image = models.ForeignKey(
        "images.Image",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
        help_text="Shown at the top of the story, on story cards and when the story is shared. "
        "Choose from the library or upload one with the + button.",
    )
    dateline = models.CharField(max_length=120, blank=True, help_text="Where the story was filed, e.g. MINSK.")
    source = models.CharField(
        max_length=120, blank=True, help_text="Credit line for copy from elsewhere, e.g. a wire agency."
    )
    article_type = models.CharField(
        "type", max_length=20, choices=Type.choices, default=Type.NEWS, help_text="Shown to readers as a label."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        validators=[validate_story_date],
        help_text="A published story with a time in the future goes live by itself at that time.",
    )
    expires_at = models.DateTimeField(
        null=True,
        blank=True,
        validators=[validate_story_date],
        help_text="Optional: the story comes down by itself at this time.",
    )
    updated_at = models.DateTimeField(
        "last substantive update",
        null=True,
        blank=True,
        validators=[validate_story_date],
        help_text="Shown to readers as “Updated”. Set by a substantive change or a correction, not by typo fixes.",
    )
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Bumped on every save; a stale save is refused."
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_articles",
        help_text="The reporter working on this story. Set by editors.",
    )
    preview_key = models.CharField(
        max_length=32, default=new_preview_key, editable=False, help_text="Rotated to revoke shared preview links."
    )
    word_count = models.PositiveIntegerField(default=0, editable=False)
    import_key = models.CharField(
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text="Fingerprint of the imported source, so a second import of the same file adds nothing.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField("last modified", auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    related_ids = models.JSONField(
        null=True, editable=False, help_text="Related stories' ids, best first; worked out when the topics change."
    )
    home_rank = models.PositiveSmallIntegerField(
        "home page place",
        null=True,
        blank=True,
        help_text="1 makes this the lead story on the home page; 2 to 5 feature it under the lead. "
        "Leave empty to let it appear with its section's latest stories.",
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        get_latest_by = "published_at"
        permissions = [
            ("publish_article", "Can publish, schedule, unpublish and withdraw stories"),
            ("edit_any_article", "Can edit stories of other people and stories past the draft stage"),
            ("delete_published_article", "Can delete stories that have been published"),
        ]
        indexes = [
            # expires_at rides along so that counting a listing (the publishing gate) reads the index alone.
            models.Index(fields=["status", "-published_at"], include=["expires_at"], name="article_status_published"),
            models.Index(fields=["home_rank"], condition=models.Q(home_rank__isnull=False), name="article_home_rank"),
            # The next story to expire (articles/pagecache.py); few stories have an expiry date.
            models.Index(fields=["expires_at"], condition=models.Q(expires_at__isnull=False), name="article_expiring"),
            models.Index(
                fields=["section", "status", "-published_at"], include=["expires_at"], name="article_section_published"
            ),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, expected_version=None, **kwargs):
        """Save with derivations; refuse (StaleArticle) when `expected_version` is no longer current.

        Every save bumps `version` under a row lock, logs a status change and remembers an old slug
        of a story readers have seen, so its old address keeps working.
        """
        clean_text_fields(self)
        self.body = clean_html(self.body)
        self.word_count = len(plain_text(self.body).split())
        if not self.slug:
            self.slug = unique_slug(self, self.headline, fallback="story")
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        check_story_dates(self, STORY_DATE_FIELDS)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "word_count", "version", "modified_at"}
        with transaction.atomic():
            before = None
            if not self._state.adding:
                before = (
                    Article.objects.select_for_update()
                    .filter(pk=self.pk)
                    .values("version", "status", "slug", "published_at", "section_id", "home_rank")
                    .first()
                )
            if before and expected_version is not None and before["version"] != expected_version:
                raise StaleArticle(f"story {self.pk} is at version {before['version']}, not {expected_version}")
            if before:
                self.version = before["version"] + 1
            self._keep_desk_rules(before, kwargs)
            super().save(*args, **kwargs)
            self._record_change(before)

    def get_absolute_url(self):
        return path_to("articles:detail", section=self.section.slug, slug=self.slug)

    def _keep_desk_rules(self, before, save_kwargs):
        """Rules no save path may skip: placement is an editor's call; withdrawal kills shared previews."""
        changed = []
        stored_rank = before["home_rank"] if before else None
        if (
            self.home_rank != stored_rank
            and self.last_edited_by_id
            and not self.last_edited_by.has_perm("articles.publish_article")
        ):
            self.home_rank = stored_rank
            changed.append("home_rank")
        if self.status == self.Status.WITHDRAWN and (before is None or before["status"] != self.Status.WITHDRAWN):
            # A new key: links copied before the withdrawal stay dead, even if the story is published again.
            self.preview_key = new_preview_key()
            changed.append("preview_key")
        if save_kwargs.get("update_fields") is not None:
            save_kwargs["update_fields"] = {*save_kwargs["update_fields"], *changed}

    def _record_change(self, before):
        if before is None or before["status"] != self.status:
            self.status_changes.create(
                from_status=before["status"] if before else "",
                to_status=self.status,
                changed_by=self.last_edited_by,
            )
        was_seen = before and before["published_at"] and before["published_at"] <= timezone.now()
        if was_seen and before["slug"] != self.slug:
            apps.get_model("articles", "OldSlug").objects.update_or_create(
                slug=before["slug"], defaults={"article": self}
            )
        story_saved.send(sender=Article, article=self, before=before)

    def send_back(self, editor, note, expected_version=None):
        """Move a story in review back to draft, with the editor's note for its reporter on the status log."""
        self.status, self.last_edited_by = self.Status.DRAFT, editor
        with transaction.atomic():
            self.save(expected_version=expected_version)
            logged = self.status_changes.order_by("-id").first()
            logged.note = note
            logged.save(update_fields=["note"])

    def take_home_place(self, rank, editor):
        """Put the story in home page place `rank`; the story holding it leaves it. Returns that story, or None.

        Each story changes through its own save, so versions move, the status rules hold and caches purge.
        """
        with transaction.atomic():
            holder = Article.objects.holding_home_place(rank).exclude(pk=self.pk).first()
            if holder is not None:
                holder.leave_home_place(editor)
            self.home_rank, self.last_edited_by = rank, editor
            self.save(update_fields=["home_rank", "last_edited_by"])
        return holder

    def leave_home_place(self, editor):
        self.home_rank, self.last_edited_by = None, editor
        self.save(update_fields=["home_rank", "last_edited_by"])

    def is_owned_by(self, user):
        return Article.objects.owned_by(user).filter(pk=self.pk).exists()

    def clean(self):
        super().clean()
        if self.status == self.Status.PUBLISHED:
            self.check_pictures_are_described()

    def check_pictures_are_described(self):
        """Readers who cannot see a picture are told what it shows: a published story's pictures need alt text."""
        errors = {}
        if self.lead_image_id and not self.lead_image.alt_text:
            errors["lead_image"] = "This picture has no alt text: describe it in the library before publishing."
        if BODY_IMAGE_WITHOUT_ALT.search(clean_html(self.body)):
            errors["body"] = "A picture in the body has no alt text: open it and fill in “Alternative Text”."
        if errors:
            raise ValidationError(errors)

    def is_published(self):
        now = timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and (self.expires_at is None or self.expires_at > now)
        )

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
            and not self.is_expired
        )

    @property
    def is_expired(self):
        return (
            self.status == self.Status.PUBLISHED and self.expires_at is not None and self.expires_at <= timezone.now()
        )

    @property
    def state_label(self):
        """Where the story stands, as the desk says it: scheduled and expired are told apart from live."""
        if self.is_expired:
            return "Expired"
        if self.is_scheduled:
            return "Scheduled"
        return self.get_status_display()

    @property
    def reading_minutes(self):
        return max(1, math.ceil(self.word_count / WORDS_PER_MINUTE))

    @property
    def last_updated(self):
        """What readers are told: the last substantive update, else the first publication."""
        return self.updated_at or self.published_at

    @cached_property
    def listed_bylines(self):
        """The bylines in credit order, with their authors; for_listing() fills this for a page at once."""
        return list(self.bylines.select_related("author"))

    @cached_property
    def credits(self):
        """Bylines grouped by role, in the editor's order: [("By", [author, ...]), ("Photos by", [...])].

        Worked out once per loaded story: a story card asks twice.
        """
        groups = {}
        for byline in self.listed_bylines:
            groups.setdefault(byline.role_label, []).append(byline.author)
        return list(groups.items())

    @cached_property
    def summary(self):
        """The standfirst, or the opening of the body when there is none."""
        if self.standfirst:
            return self.standfirst
        text = " ".join(plain_text(self.body).split())
        return text if len(text) <= 240 else text[:240].rsplit(" ", 1)[0] + "…"

    @cached_property
    def coverage_open(self):
        """Whether a live story's coverage is running, for its card's "Live" label; a page of cards sets it for
        all its stories in one query (`live_read.mark_open_coverage`)."""
        if self.article_type != self.Type.LIVE:
            return False
        coverage = apps.get_model("articles", "LiveCoverage").objects.filter(article=self).first()
        return coverage is None or coverage.is_open

    @property
    def canonical_url(self):
        return absolute_url(self.get_absolute_url())

    @property
    def lead_image_url(self):
        """The share-sized rendition of the lead picture (absolute URL), for og:image, JSON-LD and feeds."""
        return self.lead_image.share_url if self.lead_image_id else None

    @property
    def public_corrections(self):
        """Corrections and clarifications (not routine updates), from the prefetched corrections."""
        return [c for c in self.corrections.all() if c.kind != c.Kind.UPDATE]

    @property
    def last_modified(self):
        """When anything readers see of the story last changed, for Last-Modified (corrections prefetched)."""
        return max([self.modified_at, *(c.created_at for c in self.corrections.all())])
