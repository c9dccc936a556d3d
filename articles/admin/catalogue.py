"""What stories are filed under and credited to (sections, tags, authors), and the newsroom's standing policies."""

from django.contrib import admin

from ..models import Author, Policy, Section, Tag
from .widgets import KeysOnlyAutocomplete


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Author)
class AuthorAdmin(KeysOnlyAutocomplete, admin.ModelAdmin):
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


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "updated_at"]
    prepopulated_fields = {"slug": ["title"]}
