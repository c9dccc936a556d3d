"""Sending stories in review back to their reporters, with a note saying why."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
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
        context = {
            **model_admin.admin_site.each_context(request),
            "opts": Article._meta,
            "title": "Send back to reporter",
            "stories": stories,
            "versions": {story.pk: request.POST.get(f"version_{story.pk}", "") for story in stories},
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/articles/article/send_back.html", context)
    sent = 0
    for story in stories:
        posted = request.POST.get(f"version_{story.pk}", "")
        version = int(posted) if posted.isdigit() else -1
        try:
            story.send_back(request.user, form.cleaned_data["note"], expected_version=version)
        except StaleArticle:
            model_admin.message_user(
                request,
                f"Not sent back: “{story}” changed since you opened the list. Reload and try again.",
                messages.WARNING,
            )
        else:
            sent += 1
    model_admin.message_user(request, f"Sent {sent} stories back to their reporters.", messages.SUCCESS)
    return None
