import math

from ckeditor_uploader.fields import RichTextUploadingField
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify

from .sanitize import clean_html

WORDS_PER_MINUTE = 230

# First path segments the site uses itself; a section may not take them.
RESERVED_SECTION_SLUGS = {
    "admin",
    "authors",
    "tags",
    "search",
    "feeds",
    "static",
    "media",
    "healthz",
    "ckeditor",
    "sitemap.xml",
    "robots.txt",
    "corrections",
    "archive",
    "preview",
}


def validate_section_slug(value):
    if value in RESERVED_SECTION_SLUGS:
        raise ValidationError(f"“{value}” is used by the site itself; choose another slug.")


class Section(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True, validators=[validate_section_slug])
    description = models.TextField(blank=True, help_text="Shown at the top of the section page.")
    order = models.PositiveSmallIntegerField(
        default=0, help_text="Sections are listed in the navigation by this number, lowest first."
    )

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"slug": self.slug})


class Author(models.Model):
    """Anyone credited in a byline: staff, freelancers, wire agencies, "Staff"."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    bio = models.TextField(blank=True, help_text="One or two sentences shown on the author page.")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author",
        help_text="The CMS account of this contributor, if they have one.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})


class Tag(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:80]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:tag", kwargs={"slug": self.slug})


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Stories readers may see: published, due and not expired. The one gate of every public surface."""
        now = timezone.now()
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=now).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )

    def for_listing(self):
        """Everything a story card shows, in a constant number of queries."""
        bylines = models.Prefetch("bylines", queryset=Byline.objects.select_related("author"))
        return self.select_related("section").prefetch_related(bylines)


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Type(models.TextChoices):
        NEWS = "news", "News"
        ANALYSIS = "analysis", "Analysis"
        OPINION = "opinion", "Opinion"
        REVIEW = "review", "Review"
        EXPLAINER = "explainer", "Explainer"

    headline = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200, unique=True, help_text="The story's address on the site. Filled from the headline."
    )
    standfirst = models.TextField(
        blank=True, max_length=600, help_text="The one- or two-sentence summary under the headline."
    )
    body = RichTextUploadingField(blank=True)
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    authors = models.ManyToManyField(Author, through="Byline", related_name="articles", blank=True)
    tags = models.ManyToManyField(Tag, related_name="articles", blank=True)
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
        help_text="A published story with a time in the future goes live by itself at that time.",
    )
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="Optional: the story comes down by itself at this time."
    )
    updated_at = models.DateTimeField(
        "last substantive update",
        null=True,
        blank=True,
        help_text="Shown to readers as “Updated”. Set by a substantive change or a correction, not by typo fixes.",
    )
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Bumped on every save; a stale save is refused."
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

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        get_latest_by = "published_at"
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_published"),
            models.Index(fields=["section", "status", "-published_at"], name="article_section_published"),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        self.body = clean_html(self.body)
        self.word_count = len(strip_tags(self.body).split())
        if not self.slug:
            self.slug = slugify(self.headline)[:200]
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "word_count"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"section": self.section.slug, "slug": self.slug})

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
        )

    @property
    def reading_minutes(self):
        return max(1, math.ceil(self.word_count / WORDS_PER_MINUTE))

    @property
    def last_updated(self):
        """What readers are told: the last substantive update, else the first publication."""
        return self.updated_at or self.published_at

    @property
    def credits(self):
        """Bylines grouped by role, in the editor's order: [("By", [author, ...]), ("Photos by", [...])]."""
        groups = {}
        for byline in self.bylines.all():
            groups.setdefault(byline.get_role_display(), []).append(byline.author)
        return list(groups.items())

    @property
    def summary(self):
        """The standfirst, or the opening of the body when there is none."""
        if self.standfirst:
            return self.standfirst
        text = " ".join(strip_tags(self.body).split())
        return text if len(text) <= 240 else text[:240].rsplit(" ", 1)[0] + "…"


class Byline(models.Model):
    """One credit on a story: who, in what role, in the order the editor sets."""

    class Role(models.TextChoices):
        BY = "by", "By"
        ADDITIONAL_REPORTING = "additional", "Additional reporting by"
        PHOTOS = "photos", "Photos by"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.BY)
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers are credited first.")

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author", "role"], name="byline_unique_credit"),
        ]

    def __str__(self):
        return f"{self.get_role_display()} {self.author}"


class Correction(models.Model):
    """A dated note on a published story, shown to readers in a labelled block."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        CLARIFICATION = "clarification", "Clarification"
        UPDATE = "update", "Update"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    note = models.TextField(help_text="What was wrong and what is right now, in plain words.")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = "created_at"

    def __str__(self):
        return f"{self.get_kind_display()} to “{self.article}”"


class StatusChange(models.Model):
    """One workflow transition of a story: who moved it, when, from what, to what."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=Article.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Article.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"{self.from_status or 'new'} → {self.to_status}"


class SearchDocument(models.Model):
    """A story's weighted full-text vector, written only by database triggers (articles/search_sql.py).

    Filled on PostgreSQL only (empty on SQLite); kept out of the article row so listings never fetch it.
    It repeats the story's publication time and section so the newest matches, in a section too, come from
    this table and its indexes alone.
    The database deletes it with its story (a cascading key added in migration 0003).
    """

    article = models.OneToOneField(
        Article, primary_key=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="search_document"
    )
    published_at = models.DateTimeField(null=True)
    section = models.ForeignKey(Section, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    vector = SearchVectorField()

    def __str__(self):
        return f"Search document of “{self.article}”"
