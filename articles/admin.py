from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from reversion.admin import VersionAdmin
from reversion.models import Version

from newsroom.changelist import DateDrillDownChangeList

from .forms import ArticleAdminForm
from .models import (
    Article,
    Author,
    Byline,
    Correction,
    EditingPresence,
    Policy,
    Section,
    StaleArticle,
    StatusChange,
    Tag,
    new_preview_key,
)
from .preview import PREVIEW_DAYS, preview_token
from .revisions import compare_with_current, describe_revision, recover_story, restore_revision
from .search import UNREADABLE, full_text, readable, search_query

REPORTER_STATUSES = [Article.Status.DRAFT, Article.Status.REVIEW]
# Saves of one form tried before a slug another editor keeps taking is left to the form's error.
SLUG_RACE_ATTEMPTS = 3


def took_a_slug(error):
    """Whether an IntegrityError is another story holding the slug (PostgreSQL names the key, SQLite the column)."""
    constraint = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)
    return constraint == "articles_article_slug_key" or "articles_article.slug" in str(error)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_organisation", "user"]
    list_filter = ["is_organisation"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    autocomplete_fields = ["user"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


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


class BylineInline(admin.TabularInline):
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
    fields = readonly_fields = ["changed_at", "changed_by", "from_status", "to_status"]
    verbose_name_plural = "status log"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(VersionAdmin):
    form = ArticleAdminForm
    list_display = ["headline", "status_label", "section", "byline_names", "published_at", "modified_at"]
    list_filter = [StateFilter, "section", "article_type", "authors"]
    list_select_related = ["section"]
    date_hierarchy = "published_at"
    search_fields = ["headline", "standfirst", "slug"]
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["tags", "lead_image"]
    actions = ["submit_for_review", "publish", "unpublish", "withdraw"]
    history_latest_first = True
    fieldsets = [
        (None, {"fields": ["headline", "slug", "standfirst", "body", "base_version"]}),
        ("Photo", {"fields": ["lead_image"]}),
        (
            "Placement",
            {"fields": ["section", "article_type", "tags", "dateline", "source", "home_rank", "take_home_place"]},
        ),
        ("Publishing", {"fields": ["status", "published_at", "expires_at", "substantive", "assigned_to"]}),
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
        left_out = set() if request.user.has_perm("articles.publish_article") else {"take_home_place"}
        may_share = obj is None or self.has_change_permission(request, obj)
        swap = {} if may_share else {"preview_links": "staff_preview"}
        return [
            (title, {**options, "fields": [swap.get(f, f) for f in options["fields"] if f not in left_out]})
            for title, options in super().get_fieldsets(request, obj)
        ]

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
            holder.home_rank, holder.last_edited_by = None, request.user
            holder.save(update_fields=["home_rank", "last_edited_by"])
            self.message_user(request, f"“{holder}” no longer holds home page place {obj.home_rank}.")
        obj.save(expected_version=form.cleaned_data.get("base_version") if change else None)

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

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, unquote(object_id))
        extra_context = extra_context or {}
        if article is not None and request.method == "GET" and self.has_change_permission(request, article):
            extra_context["others_editing"] = EditingPresence.beat(article, request.user)
            extra_context["presence_url"] = reverse("admin:articles_article_presence", args=[article.pk])
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        own = [
            path(
                "<int:pk>/presence/", self.admin_site.admin_view(self.presence_view), name="articles_article_presence"
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

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """One revision beside the current story, with a restore button (django-reversion stores them)."""
        article = self.get_object(request, unquote(object_id))
        if article is None or not self.has_view_or_change_permission(request, article):
            raise Http404("No such story.")
        version = get_object_or_404(Version.objects.get_for_object(article), pk=version_id)
        can_restore = self.has_change_permission(request, article)
        if request.method == "POST":
            if not can_restore:
                raise PermissionDenied
            try:
                restore_revision(article, version, request.user, expected_version=int(request.POST["base_version"]))
            except (KeyError, ValueError, StaleArticle):
                self.message_user(
                    request,
                    "The story changed while you were comparing; compare again before restoring.",
                    messages.ERROR,
                )
                return redirect(request.path)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return redirect(request.path)
            self.message_user(request, f"Restored the revision of {version.revision.date_created:%d %b %Y %H:%M}.")
            return redirect("admin:articles_article_change", article.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Revision of “{article}”",
            "article": article,
            "version": version,
            "rows": compare_with_current(article, version, request.user),
            "can_restore": can_restore,
        }
        return TemplateResponse(request, "admin/articles/article/revision.html", context)

    # django-reversion's own recover and revert views revert the database rows and then save through the
    # change form, judged against the reverted row instead of the current one: they are replaced here.
    def has_recover_permission(self, request):
        """Deleted stories are seen and brought back only by people who may publish."""
        return self.has_add_permission(request) and self.has_publish_permission(request)

    def changelist_view(self, request, extra_context=None):
        # django-reversion's change list offers "Recover deleted articles" to everyone who may change stories.
        context = {"has_change_permission": self.has_recover_permission(request), **(extra_context or {})}
        return super().changelist_view(request, context)

    def recoverlist_view(self, request, extra_context=None):
        if not self.has_recover_permission(request):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        """A deleted story as one of its revisions saved it, with a button to bring it back as a draft."""
        if not self.has_recover_permission(request):
            raise PermissionDenied
        version = get_object_or_404(Version.objects.get_for_model(Article), pk=version_id)
        if Article.objects.filter(pk=version.object_id).exists():
            raise Http404("This story was not deleted; compare and restore its revisions from its history.")
        if request.method == "POST":
            try:
                article = recover_story(version, request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return redirect("admin:articles_article_recoverlist")
            self.message_user(request, f"Recovered “{article}” as a draft. Publish it again from here when ready.")
            return redirect("admin:articles_article_change", article.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Recover “{version.object_repr}”",
            "version": version,
            "rows": describe_revision(version),
        }
        return TemplateResponse(request, "admin/articles/article/recover.html", context)

    def _move(self, request, queryset, to_status, allowed_from):
        moved, stale = 0, []
        for article in queryset:
            if article.status not in allowed_from or not self.has_change_permission(request, article):
                continue
            posted = request.POST.get(f"version_{article.pk}", "")
            article.status = to_status
            article.last_edited_by = request.user
            try:
                if to_status == Article.Status.PUBLISHED:
                    article.check_pictures_are_described()  # the same rule as the story form
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


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "updated_at"]
    prepopulated_fields = {"slug": ["title"]}
