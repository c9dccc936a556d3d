"""Where stories are filed: sections (the navigation) and topics."""

from django.db import models

from ..sanitize import clean_text_fields
from ..site import path_to
from .gate import SectionQuerySet, TagQuerySet
from .validation import RESERVED_SECTION_SLUGS, SLUG_HELP, unique_slug, validate_section_slug


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
            self.slug = unique_slug(self, self.name, fallback="section", reserved=RESERVED_SECTION_SLUGS)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return path_to("articles:section", slug=self.slug)


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
