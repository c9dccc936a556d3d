"""What a row may hold whatever path it comes in by: slugs, the site's own addresses, the years of a story's dates."""

from django.core.exceptions import ValidationError
from django.utils.text import slugify

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


def unique_slug(instance, text, *, fallback, reserved=frozenset()):
    """A slug for `text` that no other row of the instance's model has, in the text's own script.

    A name with no letter or digit (an emoji, "!!!") takes `fallback`; a clash, or a `reserved` slug, takes -2, -3...
    Two different names never share a record because of their slug.
    """
    model = type(instance)
    max_length = model._meta.get_field("slug").max_length
    base = slugify(text, allow_unicode=True)[: max_length - 6].strip("-_") or fallback
    taken = set(
        model._default_manager.filter(slug__startswith=base).exclude(pk=instance.pk).values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken or slug in reserved:
        slug, n = f"{base}-{n}", n + 1
    return slug


SLUG_HELP = "The address on the site, in any script. Filled from the name when left empty."
