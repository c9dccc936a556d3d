"""Live coverage on the desk: posting, editing and deleting a live story's entries, and closing its coverage.

Each entry is saved on its own, never through the story form: several editors post to one story at once
and none of them meets the story's conflict screen. Editors post to any live story, a reporter to a live
story they are bylined on (`LiveEntry.may_post`). The story admin wires `live_urls()` into `get_urls()`;
its change page carries the small posting form (admin/articles/article/_live_post.html).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import linebreaks

from ..models import Article, Author, Byline, LiveCoverage, LiveEntry, LiveEntryChange
from .widgets import AutocompleteSelect, AutocompleteSelectMultiple

# Plain text typed into the posting form has no tags: its lines become paragraphs.
HAS_TAGS = "<"


class LiveEntryForm(forms.ModelForm):
    posted_at = forms.DateTimeField(
        label="Time",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Leave empty to post now; a time in the future schedules the entry.",
    )

    class Meta:
        model = LiveEntry
        fields = ["headline", "body", "key_event", "is_draft", "posted_at", "image", "authors"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6, "cols": 80})}
        help_texts = {
            "body": "Plain text (a blank line starts a new paragraph) or HTML; it is cleaned like a story body.",
            "authors": "Leave empty to credit yourself.",
        }

    def __init__(self, *args, admin_site=admin.site, **kwargs):
        super().__init__(*args, **kwargs)
        # The library's and the contributors' search boxes, as the story form has them.
        image, authors = self.fields["image"], self.fields["authors"]
        image.widget = AutocompleteSelect(Article._meta.get_field("lead_image"), admin_site)
        authors.widget = AutocompleteSelectMultiple(Byline._meta.get_field("author"), admin_site)
        image.widget.choices, authors.widget.choices = image.choices, authors.choices
        image.label = "Picture"

    def clean_body(self):
        body = self.cleaned_data["body"]
        return body if HAS_TAGS in body else linebreaks(body, autoescape=True)

    def clean_posted_at(self):
        return self.cleaned_data["posted_at"] or timezone.now()


class CoverageForm(forms.ModelForm):
    class Meta:
        model = LiveCoverage
        fields = ["started_at"]
        widgets = {"started_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")}


def live_urls(model_admin):
    def view(function):
        return model_admin.admin_site.admin_view(lambda request, **kwargs: function(model_admin, request, **kwargs))

    return [
        path("<int:pk>/live/", view(live_desk), name="articles_article_live"),
        path("<int:pk>/live/coverage/", view(change_coverage), name="articles_article_live_coverage"),
        path("<int:pk>/live/<int:entry_pk>/", view(edit_entry), name="articles_article_live_entry"),
        path("<int:pk>/live/<int:entry_pk>/delete/", view(delete_entry), name="articles_article_live_entry_delete"),
    ]


def live_story_for(request, pk):
    """The live story `pk`, if this person may post to it: 404 for any other story, 403 for other people."""
    article = get_object_or_404(Article, pk=pk)
    if article.article_type != Article.Type.LIVE:
        raise Http404("This story is not live coverage: set its type to Live first.")
    if not LiveEntry.may_post(request.user, article):
        raise PermissionDenied
    return article


def live_desk(model_admin, request, pk):
    """The story's entries (drafts, scheduled and deleted ones too), the posting form and the coverage."""
    article = live_story_for(request, pk)
    form = LiveEntryForm(request.POST or None, admin_site=model_admin.admin_site)
    if request.method == "POST":
        if form.is_valid():
            entry = post_entry(form, article, request.user)
            model_admin.message_user(request, f"Posted “{entry.title}”.", messages.SUCCESS)
            if request.POST.get("next") == "change":
                return redirect(f"{reverse('admin:articles_article_change', args=[pk])}#live-post")
            return redirect("admin:articles_article_live", pk)
        if request.POST.get("next") == "change":
            # The small form on the story's page: the full form here shows what to fix, the text kept.
            model_admin.message_user(request, "The entry was not posted: see below.", messages.ERROR)
    coverage = LiveCoverage.objects.filter(article=article).first() or LiveCoverage(article=article)
    entries = article.live_entries.prefetch_related("authors", "changes__changed_by").newest_first()
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Article._meta,
        "title": f"Live coverage: {article}",
        "article": article,
        "form": form,
        "coverage": coverage,
        "coverage_form": CoverageForm(instance=coverage),
        "entries": entries,
        "now": timezone.now(),
    }
    return TemplateResponse(request, "admin/articles/article/live_desk.html", context)


def post_entry(form, article, user):
    """Save the posted entry alone (the story is untouched), credited to the poster when nobody is named."""
    with transaction.atomic():
        entry = form.save(commit=False)
        entry.article, entry.created_by = article, user
        entry.save()
        form.save_m2m()
        poster = Author.objects.filter(user=user).first()
        if not form.cleaned_data.get("authors") and poster:
            entry.authors.add(poster)
        entry.record(LiveEntryChange.Action.POSTED, user)
    return entry


def edit_entry(model_admin, request, pk, entry_pk):
    article = live_story_for(request, pk)
    entry = get_object_or_404(article.live_entries.current(), pk=entry_pk)
    previous = {"headline": entry.headline, "body": entry.body}
    form = LiveEntryForm(request.POST or None, instance=entry, admin_site=model_admin.admin_site)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            entry = form.save(commit=False)
            entry.edit(request.user, previous)
            form.save_m2m()
        model_admin.message_user(request, f"Saved “{entry.title}”.", messages.SUCCESS)
        return redirect("admin:articles_article_live", pk)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Article._meta,
        "title": f"Edit entry: {entry.title}",
        "article": article,
        "entry": entry,
        "form": form,
    }
    return TemplateResponse(request, "admin/articles/article/live_entry.html", context)


def delete_entry(model_admin, request, pk, entry_pk):
    article = live_story_for(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    entry = get_object_or_404(article.live_entries.current(), pk=entry_pk)
    entry.delete_for_readers(request.user)
    model_admin.message_user(request, f"Deleted “{entry.title}”: readers' pages drop it.", messages.SUCCESS)
    return redirect("admin:articles_article_live", pk)


def change_coverage(model_admin, request, pk):
    """Set when the coverage started; end it ("This live coverage has ended") or open it again."""
    article = live_story_for(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    coverage = LiveCoverage.objects.filter(article=article).first() or LiveCoverage(article=article)
    form = CoverageForm(request.POST, instance=coverage)
    if not form.is_valid():
        model_admin.message_user(request, f"Not saved: {form.errors.as_text()}", messages.ERROR)
        return redirect("admin:articles_article_live", pk)
    coverage = form.save(commit=False)
    if request.POST.get("action") == "end":
        coverage.ended_at = timezone.now()
    elif request.POST.get("action") == "reopen":
        coverage.ended_at = None
    coverage.save()
    state = "open" if coverage.is_open else "ended"
    model_admin.message_user(request, f"The live coverage is {state}.", messages.SUCCESS)
    return redirect("admin:articles_article_live", pk)
