from django.contrib import admin, messages
from django.db.models.functions import Coalesce, Now

from .models import Article, Author, Byline, Correction, Section, Tag
from .search import full_text, search_query


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "user"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    autocomplete_fields = ["user"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 1
    autocomplete_fields = ["author"]
    fields = ["author", "role", "position"]


class CorrectionInline(admin.StackedInline):
    model = Correction
    extra = 0
    fields = ["kind", "note", "created_at"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["headline", "status_label", "section", "byline_names", "published_at", "modified_at"]
    list_filter = ["status", "section", "article_type", "authors"]
    list_select_related = ["section"]
    date_hierarchy = "published_at"
    search_fields = ["headline", "standfirst", "slug"]
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["tags"]
    inlines = [BylineInline, CorrectionInline]
    readonly_fields = ["word_count", "created_at", "created_by", "modified_at", "last_edited_by"]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "standfirst", "body"]}),
        ("Placement", {"fields": ["section", "article_type", "tags", "dateline", "source"]}),
        ("Publishing", {"fields": ["status", "published_at", "expires_at", "updated_at"]}),
        (
            "Record",
            {
                "classes": ["collapse"],
                "fields": ["word_count", "created_at", "created_by", "modified_at", "last_edited_by"],
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).for_listing()

    @admin.display(description="status", ordering="status")
    def status_label(self, article):
        return "Scheduled" if article.is_scheduled else article.get_status_display()

    @admin.display(description="bylines")
    def byline_names(self, article):
        return ", ".join(byline.author.name for byline in article.bylines.all())

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.last_edited_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="Publish selected stories now (keeps a time already set)")
    def publish(self, request, queryset):
        count = queryset.exclude(status=Article.Status.PUBLISHED).update(
            status=Article.Status.PUBLISHED,
            published_at=Coalesce("published_at", Now()),
            last_edited_by=request.user,
            modified_at=Now(),
        )
        self.message_user(request, f"Published {count} stories.", messages.SUCCESS)

    @admin.action(description="Unpublish selected stories (back to draft)")
    def unpublish(self, request, queryset):
        count = queryset.filter(status=Article.Status.PUBLISHED).update(
            status=Article.Status.DRAFT, last_edited_by=request.user, modified_at=Now()
        )
        self.message_user(request, f"Unpublished {count} stories.", messages.SUCCESS)

    def get_search_results(self, request, queryset, search_term):
        """On PostgreSQL: the readers' search syntax over the same full-text index, drafts included."""
        if search_term.strip() and full_text():
            return queryset.filter(search_document__vector=search_query(search_term)), False
        return super().get_search_results(request, queryset, search_term)
