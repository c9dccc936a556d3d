"""Sending stories in review back to their reporters, with a note saying why."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from ..models import Article, StaleArticle


class SendBackForm(forms.Form):
    note = forms.CharField(
        label="Note for the reporter",
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        help_text="Why the story goes back and what it needs. The reporter sees it on their desk.",
    )


@admin.action(description="Send back to reporter (with a note)", permissions=["publish"])
def send_back(model_admin, request, queryset):
    """An intermediate page asks for the note; its answer sends each story in review back as a draft."""
    stories = list(queryset.filter(status=Article.Status.REVIEW))
    if not stories:
        model_admin.message_user(request, "Only stories in review can be sent back.", messages.WARNING)
        return None
    form = SendBackForm(request.POST if "note" in request.POST else None)
    if not form.is_valid():
        return ask_for_the_note(model_admin, request, stories, form, helpers.ACTION_CHECKBOX_NAME)
    sent = sum(send_each_back(model_admin, request, stories, form.cleaned_data["note"]))
    model_admin.message_user(request, f"Sent {sent} stories back to their reporters.", messages.SUCCESS)
    return None


def send_back_view(model_admin, request, pk):
    """The change page's "Send back to reporter": the same note, for one story."""
    story = get_object_or_404(Article, pk=pk)
    if not model_admin.has_publish_permission(request):
        raise PermissionDenied
    if story.status != Article.Status.REVIEW:
        model_admin.message_user(request, "Only a story in review can be sent back.", messages.WARNING)
        return redirect("admin:articles_article_change", pk)
    form = SendBackForm(request.POST or None)
    if not form.is_valid():
        return ask_for_the_note(model_admin, request, [story], form)
    if all(send_each_back(model_admin, request, [story], form.cleaned_data["note"])):
        model_admin.message_user(request, f"Sent “{story}” back to its reporter.", messages.SUCCESS)
        return redirect("admin:articles_article_changelist")
    return redirect("admin:articles_article_change", pk)


def ask_for_the_note(model_admin, request, stories, form, action_checkbox_name=None):
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Article._meta,
        "title": "Send back to reporter",
        "stories": stories,
        # The version each story had when the editor chose it travels on, so a story changed since is refused.
        "versions": {story.pk: request.POST.get(f"version_{story.pk}", story.version) for story in stories},
        "form": form,
        "action_checkbox_name": action_checkbox_name,
    }
    return TemplateResponse(request, "admin/articles/article/send_back.html", context)


def send_each_back(model_admin, request, stories, note):
    """Send each story back; yield whether it went (a story changed since it was chosen stays in review)."""
    for story in stories:
        posted = str(request.POST.get(f"version_{story.pk}", ""))
        try:
            story.send_back(request.user, note, expected_version=int(posted) if posted.isdigit() else -1)
        except StaleArticle:
            model_admin.message_user(
                request,
                f"Not sent back: “{story}” changed since you opened it. Reload and try again.",
                messages.WARNING,
            )
            yield False
        else:
            yield True
