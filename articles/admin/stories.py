from functools import partial

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from newsroom.changelist import DateDrillDownChangeList

from .. import checklist
from ..forms import ArticleAdminForm
from ..models import Article, Byline, Correction, EditingPresence, StaleArticle, StatusChange, new_preview_key
from ..preview import PREVIEW_DAYS, preview_token
from ..search import UNREADABLE, full_text, readable, search_query
from .autosave import autosave_context, autosave_urls, forget_autosaves
from .board import home_board_view
from .copydesk import CopyDeskAdmin
from .history import StoryHistoryAdmin
from .live import live_urls
from .send_back import send_back, send_back_view
from .widgets import KeysOnlyAutocomplete

REPORTER_STATUSES = [Article.Status.DRAFT, Article.Status.REVIEW]
# Saves of one form tried before a slug another editor keeps taking is left to the form's error.
SLUG_RACE_ATTEMPTS = 3


def took_a_slug(error):
    """Whether an IntegrityError is another story holding the slug (PostgreSQL names the key, SQLite the column)."""
    constraint = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)
    return constraint == "articles_article_slug_key" or "articles_article.slug" in str(error)


class StateFilter(admin.SimpleListFilter):
    """Where a story stands, times included: scheduled and expired are not statuses of their own."""

    title = "status"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            (Article.Status.DRAFT, "Draft"),
            (Article.Status.REVIEW, "In review"),
            ("scheduled", "Scheduled"),
            ("live", "Published (live)"),
            ("expired", "Expired"),
            (Article.Status.WITHDRAWN, "Withdrawn"),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case Article.Status.DRAFT | Article.Status.REVIEW | Article.Status.WITHDRAWN:
                return queryset.filter(status=self.value())
            case "scheduled":
                return queryset.scheduled()
            case "live":
                return queryset.published()
            case "expired":
                return queryset.expired()
        return queryset


class BylineInline(KeysOnlyAutocomplete, admin.TabularInline):
    model = Byline
    extra = 1
    autocomplete_fields = ["author"]
    fields = ["author", "role", "position"]


class CorrectionInline(admin.StackedInline):
    model = Correction
    extra = 0
    fields = ["kind", "note", "created_at"]


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    fields = readonly_fields = ["changed_at", "changed_by", "from_status", "to_status", "note"]
    verbose_name_plural = "status log"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(KeysOnlyAutocomplete, CopyDeskAdmin, StoryHistoryAdmin):
    form = ArticleAdminForm
    list_display = ["headline", "status_label", "section", "byline_names", "published_at", "modified_at"]
    list_filter = [StateFilter, "section", "article_type", "authors"]
    list_select_related = ["section"]
    date_hierarchy = "published_at"
    search_fields = ["headline", "standfirst", "slug"]
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["tags", "lead_image"]
    actions = ["submit_for_review", send_back, "publish", "unpublish", "withdraw"]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "standfirst", "body", "base_version"]}),
        ("Photo", {"fields": ["lead_image"]}),
        (
            "Placement",
            {"fields": ["section", "article_type", "tags", "dateline", "source", "home_rank", "take_home_place"]},
        ),
        (
            "Publishing",
            {"fields": ["status", "publish_anyway", "published_at", "expires_at", "substantive", "assigned_to"]},
        ),
        (
            "Search and social",
            {
                "classes": ["collapse"],
                "fields": ["seo_title", "seo_description", "social_headline", "social_description"],
            },
        ),
        ("Preview", {"fields": ["preview_links"]}),
        (
            "Record",
            {
                "classes": ["collapse"],
                "fields": ["word_count", "version", "created_at", "created_by", "modified_at", "updated_at"],
            },
        ),
    ]
    record_fields = ["word_count", "version", "created_at", "created_by", "modified_at", "updated_at"]

    # Revisions follow these inlines (django-reversion registers them from this list).
    inlines = [BylineInline, CorrectionInline]

    def get_inlines(self, request, obj):
        return [*self.inlines, StatusChangeInline] if obj else self.inlines

    def get_queryset(self, request):
        return super().get_queryset(request).for_listing()

    def get_changelist(self, request, **kwargs):
        return DateDrillDownChangeList

    def get_readonly_fields(self, request, obj=None):
        fields = [*self.record_fields, "preview_links", "staff_preview"]
        if not request.user.has_perm("articles.publish_article"):
            fields += ["published_at", "expires_at", "assigned_to", "home_rank"]
        return fields

    def get_fieldsets(self, request, obj=None):
        """Placing on the home page is for those who publish; a shareable link for those who may edit."""
        left_out = set() if request.user.has_perm("articles.publish_article") else {"take_home_place", "publish_anyway"}
        may_share = obj is None or self.has_change_permission(request, obj)
        swap = {} if may_share else {"preview_links": "staff_preview"}
        return [
            (title, {**options, "fields": [swap.get(f, f) for f in options["fields"] if f not in left_out]})
            for title, options in super().get_fieldsets(request, obj)
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.publisher = request.user  # a class made for this request: the publish checklist asks who publishes
        return form

    def get_view_on_site_url(self, obj=None):
        """A story readers cannot see opens in the staff preview rather than a 404."""
        if obj is not None and not obj.is_published():
            return reverse("articles:preview", args=[obj.pk])
        return super().get_view_on_site_url(obj)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status" and not request.user.has_perm("articles.publish_article"):
            kwargs["choices"] = [(status.value, status.label) for status in REPORTER_STATUSES]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or request.user.has_perm("articles.edit_any_article"):
            return True
        return obj.status == Article.Status.DRAFT and obj.is_owned_by(request.user)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        ever_public = obj is not None and obj.status in {Article.Status.PUBLISHED, Article.Status.WITHDRAWN}
        return not ever_public or request.user.has_perm("articles.delete_published_article")

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    @admin.display(description="status", ordering="status")
    def status_label(self, article):
        if article.is_expired:
            label = "Expired"
        elif article.is_scheduled:
            label = "Scheduled"
        else:
            label = article.get_status_display()
        # The version the editor saw travels with a bulk action, so a stale one is refused.
        return format_html('{}<input type="hidden" name="version_{}" value="{}">', label, article.pk, article.version)

    @admin.display(description="bylines")
    def byline_names(self, article):
        return ", ".join(byline.author.name for byline in article.listed_bylines)

    @admin.display(description="preview")
    def staff_preview(self, article):
        return format_html(
            '<p><a href="{}" target="_blank">Preview this story</a> as readers will see it.</p>',
            reverse("articles:preview", args=[article.pk]),
        )

    @admin.display(description="preview")
    def preview_links(self, article):
        if not article.pk:
            return "Save the story to preview it."
        if article.status == Article.Status.WITHDRAWN:
            return format_html(
                "{}<p>A withdrawn story has no shareable link: the links shared before were revoked with it.</p>",
                self.staff_preview(article),
            )
        shared = settings.SITE_URL + reverse("articles:preview_link", args=[preview_token(article)])
        return format_html(
            "{}"
            '<p>Shareable link (no account needed, valid for {} days):<br><input type="text" readonly size="90" '
            'value="{}" aria-label="Shareable preview link"></p>'
            '<p><button type="submit" class="button" formaction="{}" formnovalidate>Revoke all shared links'
            "</button></p>",
            self.staff_preview(article),
            PREVIEW_DAYS,
            shared,
            reverse("admin:articles_article_revoke_preview", args=[article.pk]),
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.last_edited_by = request.user
        if form.cleaned_data.get("substantive"):
            obj.updated_at = timezone.now()
        holder = form.home_place_holder
        if holder is not None:
            holder.leave_home_place(request.user)
            self.message_user(request, f"“{holder}” no longer holds home page place {obj.home_rank}.")
        obj.save(expected_version=form.cleaned_data.get("base_version") if change else None)
        forget_autosaves(request, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """The story form; a save that lost a race for its slug is rolled back and the form checked again.

        The form's check that the slug is free runs before the save, so two editors saving one slug at
        once both pass it and the second save breaks the unique constraint. Checked again, the form finds
        the story that won and shows the slug error, the editor's text still in the form.
        """
        for attempt in range(1, SLUG_RACE_ATTEMPTS + 1):
            try:
                return super().changeform_view(request, object_id, form_url, extra_context)
            except IntegrityError as error:
                if request.method != "POST" or not took_a_slug(error) or attempt == SLUG_RACE_ATTEMPTS:
                    raise

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(autosave_context(self, request, context["adminform"].form, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, unquote(object_id))
        extra_context = extra_context or {}
        if article is not None and request.method == "GET" and self.has_change_permission(request, article):
            extra_context["others_editing"] = EditingPresence.beat(article, request.user)
            extra_context["presence_url"] = reverse("admin:articles_article_presence", args=[article.pk])
        if article is not None and article.status == Article.Status.REVIEW and self.has_publish_permission(request):
            extra_context["send_back_url"] = reverse("admin:articles_article_send_back", args=[article.pk])
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        own = [
            *autosave_urls(self),
            *live_urls(self),
            path(
                "home-board/",
                self.admin_site.admin_view(partial(home_board_view, self)),
                name="articles_article_home_board",
            ),
            path(
                "<int:pk>/presence/", self.admin_site.admin_view(self.presence_view), name="articles_article_presence"
            ),
            path(
                "<int:pk>/send-back/",
                self.admin_site.admin_view(partial(send_back_view, self)),
                name="articles_article_send_back",
            ),
            path(
                "<int:pk>/revoke-preview/",
                self.admin_site.admin_view(self.revoke_preview_view),
                name="articles_article_revoke_preview",
            ),
        ]
        return own + super().get_urls()

    def presence_view(self, request, pk):
        """Heartbeat from an open change page: who else has this story open right now."""
        article = get_object_or_404(Article, pk=pk)
        if request.method != "POST" or not self.has_change_permission(request, article):
            raise PermissionDenied
        others = EditingPresence.beat(article, request.user)
        return JsonResponse(
            {
                "others": [
                    {"name": str(p.user), "since": timezone.localtime(p.opened_at).strftime("%H:%M")} for p in others
                ]
            }
        )

    def revoke_preview_view(self, request, pk):
        article = get_object_or_404(Article, pk=pk)
        if request.method != "POST" or not self.has_change_permission(request, article):
            raise PermissionDenied
        Article.objects.filter(pk=pk).update(preview_key=new_preview_key())
        self.message_user(request, "Every shared preview link of this story now answers “not found”.", messages.SUCCESS)
        return redirect("admin:articles_article_change", pk)

    def _move(self, request, queryset, to_status, allowed_from):
        moved, stale = 0, []
        for article in queryset:
            if article.status not in allowed_from or not self.has_change_permission(request, article):
                continue
            posted = request.POST.get(f"version_{article.pk}", "")
            stored_status, article.status = article.status, to_status
            article.last_edited_by = request.user
            if checklist.goes_live(stored_status, article) and self.refuse_by_checklist(request, article):
                continue
            try:
                article.save(expected_version=int(posted) if posted.isdigit() else -1)
            except ValidationError as error:
                self.message_user(request, f"Not published: “{article}”: {' '.join(error.messages)}", messages.ERROR)
            except StaleArticle:
                stale.append(article)
            else:
                moved += 1
        for article in stale:
            current = Article.objects.select_related("last_edited_by").get(pk=article.pk)
            who = current.last_edited_by or "someone else"
            self.message_user(
                request,
                f"Not changed: “{current}” was changed by {who} at "
                f"{timezone.localtime(current.modified_at):%H:%M} since you opened the list. Reload and try again.",
                messages.WARNING,
            )
        return moved

    def refuse_by_checklist(self, request, article):
        """Whether the publish checklist stops this story; a bulk action cannot tick “Publish anyway”."""
        blocking, advisory = checklist.open_items(checklist.Attempt.as_stored(article, request.user))
        if blocking:
            message = f"Not published: “{article}” needs {'; '.join(blocking).lower()}."
        elif advisory:
            message = (
                f"Not published: “{article}” has open advisory checklist items ({'; '.join(advisory).lower()}). "
                "Publish it from its own page, where you can tick “Publish anyway”."
            )
        else:
            return False
        self.message_user(request, message, messages.ERROR)
        return True

    @admin.action(description="Submit selected drafts for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        moved = self._move(request, queryset, Article.Status.REVIEW, {Article.Status.DRAFT})
        self.message_user(request, f"Submitted {moved} stories for review.", messages.SUCCESS)

    @admin.action(description="Publish selected stories (keeps a time already set)", permissions=["publish"])
    def publish(self, request, queryset):
        allowed = {Article.Status.DRAFT, Article.Status.REVIEW, Article.Status.WITHDRAWN}
        moved = self._move(request, queryset, Article.Status.PUBLISHED, allowed)
        self.message_user(request, f"Published {moved} stories.", messages.SUCCESS)

    @admin.action(description="Unpublish selected stories (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset):
        moved = self._move(request, queryset, Article.Status.DRAFT, {Article.Status.PUBLISHED})
        self.message_user(request, f"Unpublished {moved} stories.", messages.SUCCESS)

    @admin.action(description="Withdraw selected stories (taken down, readers get 404)", permissions=["publish"])
    def withdraw(self, request, queryset):
        moved = self._move(request, queryset, Article.Status.WITHDRAWN, {Article.Status.PUBLISHED})
        self.message_user(request, f"Withdrew {moved} stories.", messages.SUCCESS)

    def get_search_results(self, request, queryset, search_term):
        """On PostgreSQL: the readers' search syntax over the same full-text index, drafts included."""
        if search_term.strip() and full_text():
            if not readable(search_term):
                messages.warning(request, UNREADABLE)
                return queryset.none(), False
            return queryset.filter(search_document__vector=search_query(search_term)), False
        return super().get_search_results(request, queryset, search_term)
