"""The copy desk in the admin: the style guide and its settings, and the story form's Copy desk panel.

The panel (static/js/copydesk.js) posts the headline, standfirst and body as they stand in the form to
`check_view` and lists the findings it gets back; *Ignore* posts one finding to `ignore_view`. The checks
themselves are articles/copydesk/, the one implementation the importer and `manage.py copycheck` use too.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse

from .. import copydesk
from ..models import Article, HouseStyle, IgnoredFinding, StyleEntry, review_copy


@admin.register(StyleEntry)
class StyleEntryAdmin(admin.ModelAdmin):
    list_display = ["discouraged", "preferred", "note", "whole_word", "case_sensitive"]
    list_filter = ["whole_word", "case_sensitive"]
    search_fields = ["discouraged", "preferred", "note"]


@admin.register(HouseStyle)
class HouseStyleAdmin(admin.ModelAdmin):
    """One row of settings: its list opens the row itself."""

    fields = ["curly_quotes", "sentence_case_headlines", "longest_sentence", "longest_paragraph"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not HouseStyle.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        current = HouseStyle.objects.first()
        if current is None:
            return redirect("admin:articles_housestyle_add")
        return redirect("admin:articles_housestyle_change", current.pk)


class CopyDeskAdmin:
    """The story admin's part of the copy desk: the panel's endpoints and its place on the form."""

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(lambda request, **kwargs: function(self, request, **kwargs))

        return [
            path("<int:pk>/copydesk/", view(check_view), name="articles_article_copydesk"),
            path("copydesk/", view(check_view), name="articles_article_copydesk_new"),
            path("<int:pk>/copydesk/ignore/", view(ignore_view), name="articles_article_copydesk_ignore"),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is None and self.has_add_permission(request):
            context["copydesk_url"] = reverse("admin:articles_article_copydesk_new")
        elif obj is not None and self.has_change_permission(request, obj):
            context["copydesk_url"] = reverse("admin:articles_article_copydesk", args=[obj.pk])
            context["copydesk_ignore_url"] = reverse("admin:articles_article_copydesk_ignore", args=[obj.pk])
        return super().render_change_form(request, context, add, change, form_url, obj)


def story_for(model_admin, request, pk):
    """The story this person may change, or None for a new one they may add; PermissionDenied otherwise."""
    if request.method != "POST":
        raise PermissionDenied
    if pk is None:
        if not model_admin.has_add_permission(request):
            raise PermissionDenied
        return None
    article = get_object_or_404(Article, pk=pk)
    if not model_admin.has_change_permission(request, article):
        raise PermissionDenied
    return article


def check_view(model_admin, request, pk=None):
    """The findings in the headline, standfirst and body as posted, with offsets into each as posted."""
    article = story_for(model_admin, request, pk)
    copy = {name: request.POST.get(name, "") for name in copydesk.FIELDS}
    findings = review_copy(article, **copy)
    return JsonResponse(
        {
            "findings": [finding.as_json() for finding in findings],
            "open": sum(not finding.ignored for finding in findings),
            "labels": copydesk.CHECKS,
        }
    )


def ignore_view(model_admin, request, pk):
    """Set a finding aside for this story (by its check and the exact text it matched), or bring it back."""
    article = story_for(model_admin, request, pk)
    check, text = request.POST.get("check", ""), request.POST.get("text", "")
    if check not in copydesk.CHECKS or not text:
        return HttpResponseBadRequest("Name a check and the text it matched.")
    if request.POST.get("restore"):
        IgnoredFinding.objects.restore(article, check, text)
    else:
        IgnoredFinding.objects.ignore(article, check, text, request.user)
    return JsonResponse({"ignored": not request.POST.get("restore")})
