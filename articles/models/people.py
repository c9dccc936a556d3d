"""Who is credited: contributors (staff, freelancers, agencies) and their bylines on stories."""

from django.conf import settings
from django.db import models

from ..sanitize import clean_text_fields
from ..site import path_to
from .gate import AuthorQuerySet
from .validation import SLUG_HELP, unique_slug


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


class Byline(models.Model):
    """One credit on a story: who, in what role, in the order the editor sets."""

    class Role(models.TextChoices):
        BY = "by", "By"
        ADDITIONAL_REPORTING = "additional", "Additional reporting by"
        PHOTOS = "photos", "Photos by"

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey("articles.Author", on_delete=models.PROTECT, related_name="bylines")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.BY)
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers are credited first.")

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author", "role"], name="byline_unique_credit"),
        ]

    def __str__(self):
        return f"{self.role_label} {self.author}"

    @property
    def role_label(self):
        """What `get_role_display()` gives, a dictionary look-up away: a home page of cards asks a hundred times."""
        return ROLE_LABELS.get(self.role, self.role)


ROLE_LABELS = dict(Byline.Role.choices)
