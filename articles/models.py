import math
import operator
import re
import secrets
from functools import reduce

from ckeditor_uploader.fields import RichTextUploadingField
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import connections, models, transaction
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify

from .sanitize import clean_html, clean_text_fields, plain_text
from .site import absolute_url, og_locale, path_to, publisher

WORDS_PER_MINUTE = 230
HOME_FEATURED_STORIES = 4
HOME_STORIES_PER_SECTION = 4
HOME_RECENT_STORIES = 80
# Each topic's newest stories, this many in all, are the candidates whose shared topics are counted.
RELATED_CANDIDATES = 60
# An <img> whose alt is missing or blank, in sanitised HTML (nh3 writes every attribute in double quotes).
BODY_IMAGE_WITHOUT_ALT = re.compile(r"<img(?![^>]*\balt=\"[^\"]*[^\"\s])[^>]*>")

# First path segments the site uses itself (newsroom/urls.py, articles/urls.py); a section may not take them.
# Those with a dot cannot be a slug anyway, nor collide with sitemap-<name>.xml; listed to be complete.
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
    "policies",
    "news-sitemap.xml",
    "favicon.ico",
    "api",
    "sitemap",
}


# Every date a story carries lies in these years, whatever the path it came in by (form, importer, code).
EARLIEST_YEAR = 1900
LATEST_YEAR = 2200
STORY_DATE_FIELDS = ["published_at", "expires_at", "updated_at"]


def validate_story_date(value):
    if value is not None and not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValidationError(
            f"Enter a date between the years {EARLIEST_YEAR} and {LATEST_YEAR}; this one is in the year {value.year}.",
            code="date_out_of_range",
        )


def check_story_dates(instance, field_names):
    """Raise ValidationError, keyed by field, for each of these dates outside the years a story may carry."""
    errors = {}
    for name in field_names:
        try:
            validate_story_date(getattr(instance, name))
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)


def validate_section_slug(value):
    if value in RESERVED_SECTION_SLUGS:
        raise ValidationError(f"“{value}” is used by the site itself; choose another slug.")


class StoryOwnerQuerySet(models.QuerySet):
    """Sections, authors or topics: what readers see of them follows the publishing gate."""

    story_field = None  # the Article field that points to one of these

    def with_published_stories(self):
        """Those with a story readers may see; the rest have no page, feed or link on the public site."""
        stories = Article.objects.published().filter(**{self.story_field: models.OuterRef("pk")})
        return self.filter(models.Exists(stories))


class SectionQuerySet(StoryOwnerQuerySet):
    story_field = "section"


class AuthorQuerySet(StoryOwnerQuerySet):
    story_field = "authors"


class TagQuerySet(StoryOwnerQuerySet):
    story_field = "tags"


def unique_slug(instance, text, *, fallback):
    """A slug for `text` that no other row of the instance's model has, in the text's own script.

    A name with no letter or digit (an emoji, "!!!") takes `fallback`; a clash takes -2, -3...
    Two different names never share a record because of their slug.
    """
    model = type(instance)
    max_length = model._meta.get_field("slug").max_length
    base = slugify(text, allow_unicode=True)[: max_length - 6].strip("-_") or fallback
    taken = set(
        model._default_manager.filter(slug__startswith=base).exclude(pk=instance.pk).values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken or (model is Section and slug in RESERVED_SECTION_SLUGS):
        slug, n = f"{base}-{n}", n + 1
    return slug


SLUG_HELP = "The address on the site, in any script. Filled from the name when left empty."


class Section(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(
        max_length=80,
        unique=True,
        blank=True,
        allow_unicode=True,
        validators=[validate_section_slug],
        help_text=SLUG_HELP,
    )
    description = models.TextField(blank=True, help_text="Shown at the top of the section page.")
    order = models.PositiveSmallIntegerField(
        default=0, help_text="Sections are listed in the navigation by this number, lowest first."
    )

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        clean_text_fields(self)
        if not self.slug:
            self.slug = unique_slug(self, self.name, fallback="section")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return path_to("articles:section", slug=self.slug)


class Author(models.Model):
    """Anyone credited in a byline: staff, freelancers, wire agencies, "Staff"."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True, blank=True, allow_unicode=True, help_text=SLUG_HELP)
    bio = models.TextField(blank=True, help_text="One or two sentences shown on the author page.")
    is_organisation = models.BooleanField(
        "organisation",
        default=False,
        help_text="Tick for an agency, a desk or “Staff”: search engines are told an organisation wrote the story.",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author",
        help_text="The CMS account of this contributor, if they have one.",
    )

    objects = AuthorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        clean_text_fields(self)
        if not self.slug:
            self.slug = unique_slug(self, self.name, fallback="author")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return path_to("articles:author", slug=self.slug)

    @property
    def schema_org(self):
        """This contributor as a schema.org author."""
        kind = "Organization" if self.is_organisation else "Person"
        return {"@type": kind, "name": self.name, "url": absolute_url(self.get_absolute_url())}


class Tag(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True, blank=True, allow_unicode=True, help_text=SLUG_HELP)

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        clean_text_fields(self)
        if not self.slug:
            self.slug = unique_slug(self, self.name, fallback="topic")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return path_to("articles:tag", slug=self.slug)


def new_preview_key():
    return secrets.token_urlsafe(16)


class StaleArticle(Exception):
    """The story was saved by someone else since this copy was loaded."""


def card_bylines():
    """A story card's bylines with their authors, for prefetching into `Article.listed_bylines`.

    A plain list: filling each story's `bylines` manager instead costs a queryset per story, a millisecond
    on a home page of fifty.
    """
    return models.Prefetch("bylines", queryset=Byline.objects.select_related("author"), to_attr="listed_bylines")


def not_expired(now):
    return models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Stories readers may see: published, due and not expired. The one gate of every public surface."""
        now = timezone.now()
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=now).filter(not_expired(now))

    def scheduled(self):
        """Published stories that go live by themselves later (and have not expired before that)."""
        now = timezone.now()
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=now).filter(not_expired(now))

    def expired(self):
        """Published stories taken down by their expiry time."""
        return self.filter(status=Article.Status.PUBLISHED).exclude(not_expired(timezone.now()))

    def for_listing(self):
        """Everything a story card shows, in a constant number of queries."""
        return self.select_related("section", "lead_image").prefetch_related(card_bylines())

    def for_detail(self):
        """Everything the article page shows, in a constant number of queries."""
        return self.for_listing().prefetch_related("tags", "corrections")

    def owned_by(self, user):
        """Stories a contributor may call their own: created by, assigned to, or bylined to them."""
        return self.filter(
            models.Q(created_by=user) | models.Q(assigned_to=user) | models.Q(bylines__author__user=user)
        ).distinct()

    def for_feed(self):
        """Everything a feed entry carries (bylines, topics), in a constant number of queries."""
        return self.for_listing().prefetch_related("tags")

    def with_pk_in_any(self, *subqueries):
        """Rows whose key is in any of these (small, sliced) subqueries.

        On PostgreSQL a UNION: each subquery is a small index scan, where an OR of them makes the planner
        read every story. SQLite cannot slice inside a UNION; at its sizes an OR is fine.
        """
        if connections[self.db].features.supports_slicing_ordering_in_compound:
            return self.filter(pk__in=subqueries[0].union(*subqueries[1:]))
        return self.filter(reduce(operator.or_, (models.Q(pk__in=subquery) for subquery in subqueries)))

    def home_page(self):
        """The home page: the lead, the featured stories and the newest few of each section, in two queries.

        Editors place stories with `home_rank` (1 leads); with nothing placed, the newest story leads.
        Sections are filled from the newest HOME_RECENT_STORIES stories: two index scans, however big the
        archive (a per-section window over every story took seconds on a million). Bylines are loaded for
        the stories shown only; a window in SQL choosing them cost more to plan than it saved.
        """
        newest = self.order_by("-published_at", "-id").values("pk")[:HOME_RECENT_STORIES]
        placed = self.filter(home_rank__isnull=False).values("pk")
        stories = list(
            self.with_pk_in_any(newest, placed).select_related("section", "lead_image").order_by("-published_at", "-id")
        )
        placed = sorted((s for s in stories if s.home_rank is not None), key=lambda s: s.home_rank)
        placed = placed[: HOME_FEATURED_STORIES + 1] or stories[:1]
        lead, featured = (placed[0], placed[1:]) if placed else (None, [])
        sections = {}
        for story in stories:
            if story not in placed:
                sections.setdefault(story.section, []).append(story)
        by_section = [
            (section, section_stories[:HOME_STORIES_PER_SECTION])
            for section, section_stories in sorted(sections.items(), key=lambda item: (item[0].order, item[0].name))
        ]
        models.prefetch_related_objects([*placed, *(s for _, shown in by_section for s in shown)], card_bylines())
        return {"lead": lead, "featured": featured, "sections": by_section}

    def related_to(self, article, limit=4):
        """Stories sharing the most topics with `article`, then its section's newest; never `article` itself.

        Candidates are the newest stories (by id, i.e. by creation) of each of its topics, RELATED_CANDIDATES
        in all, and the newest few of its section: the shared topics are counted over a few hundred rows.
        """
        tag_ids = [tag.pk for tag in article.tags.all()]
        shared_tags = models.Count("tags", filter=models.Q(tags__in=tag_ids)) if tag_ids else models.Value(0)
        same_section = models.Case(models.When(section=article.section_id, then=1), default=0)
        # Per topic, its newest stories straight from the (tag, article) index; a UNION, never an OR.
        tagged = Article.tags.through.objects.order_by("-article_id").values("article_id")
        by_topic = [tagged.filter(tag_id=tag_id)[: RELATED_CANDIDATES // len(tag_ids)] for tag_id in tag_ids]
        by_section = self.filter(section=article.section_id).order_by("-published_at").values("pk")[: limit + 1]
        return (
            self.exclude(pk=article.pk)
            .with_pk_in_any(by_section, *by_topic)
            .annotate(shared_tags=shared_tags, same_section=same_section)
            .select_related("section")
            .only("headline", "slug", "published_at", "section__name", "section__slug")
            .order_by("-shared_tags", "-same_section", "-published_at", "-id")[:limit]
        )


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
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    authors = models.ManyToManyField(Author, through="Byline", related_name="articles", blank=True)
    tags = models.ManyToManyField(Tag, related_name="articles", blank=True)
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
            StatusChange.objects.create(
                article=self,
                from_status=before["status"] if before else "",
                to_status=self.status,
                changed_by=self.last_edited_by,
            )
        was_seen = before and before["published_at"] and before["published_at"] <= timezone.now()
        if was_seen and before["slug"] != self.slug:
            OldSlug.objects.update_or_create(slug=before["slug"], defaults={"article": self})
        from .publishing import is_or_was_public, purge_story

        if is_or_was_public(self, before):
            purge_story(self, f"section:{before['section_id']}" if before else "home")

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
            groups.setdefault(byline.get_role_display(), []).append(byline.author)
        return list(groups.items())

    @cached_property
    def summary(self):
        """The standfirst, or the opening of the body when there is none."""
        if self.standfirst:
            return self.standfirst
        text = " ".join(plain_text(self.body).split())
        return text if len(text) <= 240 else text[:240].rsplit(" ", 1)[0] + "…"

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
        return [c for c in self.corrections.all() if c.kind != Correction.Kind.UPDATE]

    @property
    def last_modified(self):
        """When anything readers see of the story last changed, for Last-Modified (corrections prefetched)."""
        return max([self.modified_at, *(c.created_at for c in self.corrections.all())])

    @property
    def opengraph(self):
        """Open Graph properties as (property, content) pairs; `article:tag` and `article:author` repeat."""
        properties = [
            ("og:type", "article"),
            ("og:title", self.headline),
            ("og:description", self.summary),
            ("og:url", self.canonical_url),
            ("og:site_name", settings.SITE_NAME),
            ("og:locale", og_locale()),
        ]
        if self.lead_image_id:
            share = self.lead_image.share_rendition
            properties += [
                ("og:image", self.lead_image_url),
                ("og:image:width", share.width),
                ("og:image:height", share.height),
                ("og:image:alt", self.lead_image.alt_text),
            ]
        # A draft has no publication time yet: its preview leaves the times out.
        if self.published_at:
            properties.append(("article:published_time", self.published_at.isoformat()))
        if self.last_updated:
            properties.append(("article:modified_time", self.last_updated.isoformat()))
        properties.append(("article:section", self.section.name))
        properties += [("article:author", absolute_url(b.author.get_absolute_url())) for b in self.listed_bylines]
        properties += [("article:tag", tag.name) for tag in self.tags.all()]
        return properties

    @property
    def twitter_card(self):
        card = {
            "twitter:card": "summary_large_image" if self.lead_image_url else "summary",
            "twitter:title": self.headline,
            "twitter:description": self.summary,
        }
        if self.lead_image_url:
            card["twitter:image"] = self.lead_image_url
        return card

    @property
    def schema_type(self):
        return SCHEMA_TYPES.get(self.article_type, "NewsArticle")

    @property
    def credited_organisation(self):
        """Who wrote a story without a byline, for search engines: its source (an agency), else the publisher."""
        return {"@type": "Organization", "name": self.source} if self.source else publisher()

    @property
    def structured_data(self):
        """schema.org JSON-LD for search engines, as a dict; the template serialises it safely."""
        data = {
            "@context": "https://schema.org",
            "@type": self.schema_type,
            "headline": self.headline,
            "description": self.summary,
            "url": self.canonical_url,
            "mainEntityOfPage": {"@type": "WebPage", "@id": self.canonical_url},
            "author": [b.author.schema_org for b in self.listed_bylines] or [self.credited_organisation],
            "publisher": publisher(),
            "articleSection": self.section.name,
            "keywords": [tag.name for tag in self.tags.all()],
            "inLanguage": settings.LANGUAGE_CODE,
            "wordCount": self.word_count,
        }
        if self.published_at:  # a draft seen in preview has no date yet
            data["datePublished"] = self.published_at.isoformat()
            data["dateModified"] = self.last_updated.isoformat()
        if self.dateline:
            data["dateline"] = self.dateline
        if self.lead_image_url:
            data["image"] = [self.lead_image_url]
        corrections = self.public_corrections
        if corrections:
            data["correction"] = [
                {"@type": "CorrectionComment", "text": c.note, "datePublished": c.created_at.isoformat()}
                for c in corrections
            ]
        return data


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


class CorrectionQuerySet(models.QuerySet):
    def public(self):
        """Corrections and clarifications on stories readers may see, with what a listing shows of the story."""
        return (
            self.filter(article__in=Article.objects.published())
            .exclude(kind=Correction.Kind.UPDATE)
            .select_related("article__section")
        )


class Correction(models.Model):
    """A dated note on a published story, shown to readers in a labelled block."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        CLARIFICATION = "clarification", "Clarification"
        UPDATE = "update", "Update"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
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
            Article.objects.filter(pk=self.article_id).update(updated_at=self.created_at)


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


class OldSlug(models.Model):
    """A slug a published story used to have; its old address redirects to the current one."""

    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_slugs")

    def __str__(self):
        return self.slug


class EditingPresence(models.Model):
    """Who has a story open in the admin: a soft lock kept alive by a heartbeat, stale after a minute."""

    STALE_AFTER_SECONDS = 45

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="presences")
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


# schema.org's NewsArticle subtypes for the story types that have one.
SCHEMA_TYPES = {
    Article.Type.ANALYSIS: "AnalysisNewsArticle",
    Article.Type.OPINION: "OpinionNewsArticle",
    Article.Type.REVIEW: "ReviewNewsArticle",
    Article.Type.EXPLAINER: "BackgroundNewsArticle",
}


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
