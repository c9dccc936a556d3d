"""The copy desk's data: the house style guide, the settings for the checks, and findings set aside per story."""

import hashlib
from dataclasses import replace

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from .. import copydesk


class StyleEntry(models.Model):
    """One line of the house style guide: a form the house does not use and the one it does."""

    discouraged = models.CharField(
        "instead of", max_length=100, unique=True, help_text="The form the house does not use, e.g. Kiev."
    )
    preferred = models.CharField("write", max_length=100, help_text="The house form, e.g. Kyiv.")
    note = models.CharField(
        max_length=300, blank=True, help_text="Why, or when the entry does not apply. Shown with each finding."
    )
    whole_word = models.BooleanField(
        default=True, help_text="Match whole words only: “Kiev” and “Kiev's”, but not “Kievan”."
    )
    case_sensitive = models.BooleanField(
        default=False,
        help_text="Match these capitals only. Otherwise “KIEV” and “kiev” match too, and the fix keeps their capitals.",
    )

    class Meta:
        ordering = ["discouraged"]
        verbose_name = "style guide entry"
        verbose_name_plural = "style guide"

    def __str__(self):
        return f"{self.discouraged} → {self.preferred}"

    def clean(self):
        super().clean()
        self.discouraged, self.preferred = self.discouraged.strip(), self.preferred.strip()
        if not self.discouraged:
            raise ValidationError({"discouraged": "Name the form the house does not use."})
        alone = copydesk.House(style=(self.as_rule(),))
        if any(f.check == "style" for f in copydesk.check_field("entry", self.preferred, alone)):
            # Otherwise every fix would make a new finding.
            raise ValidationError({"preferred": "The house form cannot contain the form it replaces."})

    def as_rule(self):
        return copydesk.StyleRule(self.discouraged, self.preferred, self.note, self.whole_word, self.case_sensitive)


class HouseStyle(models.Model):
    """The house's settings for the copy desk's checks: one row, edited in the admin."""

    curly_quotes = models.BooleanField(
        "curly quotes",
        default=False,
        help_text="The house writes “curly” quotes and apostrophes: straight ones are findings.",
    )
    sentence_case_headlines = models.BooleanField(
        "sentence-case headlines",
        default=True,
        help_text="Headlines take capitals for the first word and names only: title case and capitals are findings.",
    )
    longest_sentence = models.PositiveSmallIntegerField(
        default=45,
        validators=[MinValueValidator(5), MaxValueValidator(1000)],
        help_text="Words; a longer sentence is a finding.",
    )
    longest_paragraph = models.PositiveSmallIntegerField(
        default=120,
        validators=[MinValueValidator(10), MaxValueValidator(5000)],
        help_text="Words; a longer paragraph is a finding.",
    )

    class Meta:
        verbose_name = verbose_name_plural = "copy desk settings"

    def __str__(self):
        return "Copy desk settings"

    def save(self, *args, **kwargs):
        self.pk = 1  # one row: the house has one style
        super().save(*args, **kwargs)

    @classmethod
    def current(cls):
        """The saved settings, or the defaults (unsaved) on a database that has none."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    @classmethod
    def house(cls):
        """The style guide and these settings, as the checks take them."""
        current = cls.current()
        return copydesk.House(
            style=tuple(entry.as_rule() for entry in StyleEntry.objects.all()),
            curly_quotes=current.curly_quotes,
            sentence_case_headlines=current.sentence_case_headlines,
            longest_sentence=current.longest_sentence,
            longest_paragraph=current.longest_paragraph,
        )


def digest(text):
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class IgnoredFindingQuerySet(models.QuerySet):
    def ignore(self, article, check, text, user):
        self.get_or_create(
            article=article, check_name=check, digest=digest(text), defaults={"text": text, "ignored_by": user}
        )

    def restore(self, article, check, text):
        self.filter(article=article, check_name=check, digest=digest(text)).delete()

    def keys_for(self, article):
        return set(self.filter(article=article).values_list("check_name", "digest"))


class IgnoredFinding(models.Model):
    """A finding an editor chose to leave, remembered for the story by its check and the exact text it matched."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="ignored_findings")
    check_name = models.CharField(max_length=40)
    text = models.TextField(help_text="The text the check matched, exactly.")
    digest = models.CharField(max_length=64, help_text="SHA-256 of the text, so a long paragraph can be unique.")
    ignored_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    ignored_at = models.DateTimeField(auto_now_add=True)

    objects = IgnoredFindingQuerySet.as_manager()

    class Meta:
        ordering = ["article", "ignored_at"]
        constraints = [
            models.UniqueConstraint(fields=["article", "check_name", "digest"], name="ignored_finding_once_per_story")
        ]

    def __str__(self):
        return f"{self.check_name}: “{self.text[:40]}”"


def review_copy(article, *, headline, standfirst, body, house=None):
    """Every finding in this copy of the story, each marked `ignored` when set aside for the story."""
    findings = copydesk.check_story(house or HouseStyle.house(), headline=headline, standfirst=standfirst, body=body)
    if article is None or article.pk is None or not findings:
        return findings
    ignored = IgnoredFinding.objects.keys_for(article)
    return [replace(f, ignored=True) if (f.check, digest(f.text)) in ignored else f for f in findings]
