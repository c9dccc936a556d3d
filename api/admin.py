"""API keys in the admin: admins make one (its secret shown once, on the next page), see when each was last
used, and revoke it. Nobody else sees keys: the Admin role alone holds their permissions (articles/roles.py)."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers

from .models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "prefix", "rate_limit", "created_at", "last_used_at", "active"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["owner"]
    search_fields = ["name", "prefix", "owner__username"]
    date_hierarchy = "created_at"
    fields = ["name", "owner", "rate_limit", "prefix", "created_at", "created_by", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "created_by", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    @admin.display(boolean=True, description="active")
    def active(self, key):
        return key.is_active

    def get_fields(self, request, obj=None):
        return ["name", "owner", "rate_limit"] if obj is None else self.fields

    def get_changeform_initial_data(self, request):
        return {"owner": request.user.pk, **super().get_changeform_initial_data(request)}

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            obj.secret = obj.issue()  # on the object, not on this admin that every request shares
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        """The new key, shown this once: only its digest is stored."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "key": obj,
            "secret": obj.secret,
            "title": "Copy the new API key",
        }
        response = TemplateResponse(request, "admin/api/apikey/issued.html", context)
        add_never_cache_headers(response)
        return response

    @admin.action(description="Revoke selected keys", permissions=["change"])
    def revoke(self, request, queryset):
        revoked = 0
        for key in queryset.active():
            key.revoke()
            revoked += 1
        self.message_user(request, f"{revoked} key(s) revoked: requests sending them are refused.", messages.SUCCESS)
