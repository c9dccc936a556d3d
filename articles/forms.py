"""The admin's story form: optimistic concurrency with a field-by-field conflict view."""

import difflib
import html

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html, strip_tags
from django.utils.safestring import mark_safe

from . import checklist
from .models import WORDS_PER_MINUTE, Article, Byline
from .sanitize import clean_html

# The story form's own reading of the byline inline the admin posts with it (the same prefix, "bylines").
BylineFormSet = forms.inlineformset_factory(Article, Byline, fields=["author", "role", "position"])

# Fields an editor can compare and choose between after a conflicting save.
CONFLICT_FIELDS = [
    "headline",
    "slug",
    "standfirst",
    "body",
    "section",
    "article_type",
    "tags",
    "dateline",
    "source",
    "status",
    "published_at",
    "expires_at",
    "assigned_to",
    "seo_title",
    "seo_description",
    "social_headline",
    "social_description",
]
# What search engines make of a title: Google shows about 60 characters of it in results and reads at most
# 110 of a NewsArticle headline. The writing aids (static/js/writing-aids.js) count against both.
TITLE_LIMITS = {"data-title-shown": 60, "data-headline-max": 110}


def readable(name, value):
    """A field's value as an editor reads it in the conflict view."""
    if value is None or value == "":
        return ""
    if name == "body":
        # Entities (&nbsp;, &amp;) read as the characters they stand for; the diff escapes them again.
        paragraphs = (" ".join(html.unescape(strip_tags(part)).split()) for part in value.split("</p>"))
        return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)
    if name == "tags":
        return ", ".join(sorted(str(tag) for tag in value))
    if name == "bylines":
        return "; ".join(f"{byline.get_role_display()}: {byline.author.name}" for byline in value)
    if hasattr(value, "strftime"):
        return timezone.localtime(value).strftime("%d %b %Y %H:%M")
    return str(value)


def word_diff(theirs, yours):
    """Words only they have in <del>, words only you have in <ins>."""
    a, b = theirs.split(" "), yours.split(" ")
    out = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape(" ".join(a[a1:a2])))
            continue
        if a2 > a1:
            out.append(f"<del>{escape(' '.join(a[a1:a2]))}</del>")
        if b2 > b1:
            out.append(f"<ins>{escape(' '.join(b[b1:b2]))}</ins>")
    return mark_safe(" ".join(out))


class ArticleAdminForm(forms.ModelForm):
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    substantive = forms.BooleanField(
        required=False,
        label="Substantive update",
        help_text="Tick when the change matters to readers: the story then shows “Updated” with this time. "
        "Leave it for typo fixes.",
    )
    take_home_place = forms.BooleanField(
        required=False,
        label="Take the place",
        help_text="Tick to move the story that holds this home page place off it, in the same save.",
    )
    publish_anyway = forms.BooleanField(
        required=False,
        label="Publish anyway",
        help_text="Tick to publish or schedule the story although advisory items of the publish checklist are "
        "open. Blocking items cannot be skipped.",
    )

    # Who saves: set by the admin on the form class it makes for each request.
    publisher = None

    class Meta:
        model = Article
        fields = [
            "headline", "slug", "standfirst", "body", "section", "article_type", "tags", "dateline", "source",
            "status", "published_at", "expires_at", "assigned_to",
            "seo_title", "seo_description", "social_headline", "social_description",
        ]  # fmt: skip
        # data-count-length: the writing aids show the length against the field's maxlength.
        widgets = {
            "headline": forms.TextInput(attrs={"class": "vTextField", **TITLE_LIMITS}),
            "standfirst": forms.Textarea(attrs={"rows": 3, "data-count-length": ""}),
            "seo_title": forms.TextInput(attrs={"class": "vTextField", **TITLE_LIMITS}),
            "seo_description": forms.Textarea(attrs={"rows": 2, "data-count-length": ""}),
            "social_headline": forms.TextInput(attrs={"class": "vTextField", "data-count-length": ""}),
            "social_description": forms.Textarea(attrs={"rows": 2, "data-count-length": ""}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        self.home_place_holder = None
        self.stored_status = self.instance.status if self.instance.pk else None
        if self.instance.pk:
            self.fields["base_version"].initial = self.instance.version
        if "body" in self.fields:  # not on a story the user may only read
            self.fields["body"].widget.attrs["data-words-per-minute"] = WORDS_PER_MINUTE
        # The checklist box shows the story as stored; a submitted form is checked as it would be saved.
        self.checklist = []
        if not self.is_bound:
            self.checklist = checklist.run(checklist.Attempt.as_stored(self.instance, self.publisher))

    def clean(self):
        cleaned = super().clean()
        self.check_home_place(cleaned)
        if self.instance.pk is None:
            return cleaned
        # Lock the row until the admin's transaction ends, so the check and the save are one step.
        theirs = Article.objects.select_for_update().get(pk=self.instance.pk)
        base_version = cleaned.get("base_version")
        if base_version is None:
            raise forms.ValidationError("This form is missing the story's version; reload the page.")
        if base_version != theirs.version:
            self.conflict = self.describe_conflict(theirs, cleaned)
            # The next save compares against what the editor has now seen.
            self.data = self.data.copy()
            self.data["base_version"] = theirs.version
            who = theirs.last_edited_by or "someone else"
            when = timezone.localtime(theirs.modified_at).strftime("%H:%M")
            raise forms.ValidationError(
                f"This story was changed by {who} at {when} since you opened it. Nothing of yours is lost: "
                "your text is still in the form. Compare each field below, keep theirs or yours (or edit "
                "yours to merge both), then save again.",
                code="stale",
            )
        for name in CONFLICT_FIELDS:
            if name in self.fields and self.data.get(f"resolve_{name}") == "theirs":
                cleaned[name] = list(theirs.tags.all()) if name == "tags" else getattr(theirs, name)
        return cleaned

    def _post_clean(self):
        # Here the instance holds the submitted values, so the checklist sees the story as it would be saved.
        super()._post_clean()
        self.checklist = checklist.run(checklist.Attempt(self.instance, self.submitted_bylines(), self.publisher))
        if "status" in self.cleaned_data and checklist.goes_live(self.stored_status, self.instance):
            self.check_publish_checklist()

    def submitted_bylines(self):
        """The authors credited once this POST is saved: the byline inline's rows, and stored ones it leaves alone."""
        stored = self.instance.bylines.select_related("author") if self.instance.pk else []
        formset = BylineFormSet(self.data, instance=self.instance)
        if not formset.management_form.is_valid():
            return [byline.author for byline in stored]
        posted = {form.instance.pk for form in formset.initial_forms}
        return [byline.author for byline in stored if byline.pk not in posted] + [
            form.cleaned_data["author"]
            for form in formset.forms
            if form.is_valid() and form.cleaned_data.get("author") and not form.cleaned_data.get("DELETE")
        ]

    def check_publish_checklist(self):
        blocking = [check.label for check in self.checklist if not check.passed and check.item.blocking]
        advisory = [check.label for check in self.checklist if not check.passed and not check.item.blocking]
        for label in blocking:
            self.add_error(None, f"Not published: the publish checklist needs {label[0].lower()}{label[1:]}.")
        if advisory and not self.cleaned_data.get("publish_anyway"):
            self.add_error(
                "publish_anyway" if "publish_anyway" in self.fields else None,
                f"Not published: the publish checklist advises {'; '.join(advisory).lower()}. Add them, or tick "
                "“Publish anyway”.",
            )

    def check_home_place(self, cleaned):
        """One story per home page place: name the one holding it and let the editor take it over."""
        rank = cleaned.get("home_rank") if "home_rank" in self.fields else None
        if rank is None:
            return
        holder = Article.objects.holding_home_place(rank).exclude(pk=self.instance.pk).first()
        if holder is None:
            return
        if cleaned.get("take_home_place"):
            self.home_place_holder = holder
            return
        self.add_error(
            "home_rank",
            format_html(
                'Place {} is held by “<a href="{}" target="_blank">{}</a>” ({}). Tick “Take the place” to move '
                "that story off it, or choose another place.",
                rank,
                reverse("admin:articles_article_change", args=[holder.pk]),
                holder.headline,
                holder.get_status_display().lower(),
            ),
        )

    def describe_conflict(self, theirs, cleaned):
        fields = []
        for name in CONFLICT_FIELDS:
            if name not in self.fields:
                continue
            their_value = theirs.tags.all() if name == "tags" else getattr(theirs, name)
            your_value = cleaned.get(name)
            if name == "body":
                your_value = clean_html(your_value or "")
            their_text, your_text = readable(name, their_value), readable(name, your_value)
            if their_text != your_text:
                fields.append(
                    {
                        "name": name,
                        "label": self.fields[name].label or name,
                        "theirs": their_text,
                        "yours": your_text,
                        "diff": word_diff(their_text, your_text),
                    }
                )
        return {"editor": theirs.last_edited_by, "at": theirs.modified_at, "fields": fields}
