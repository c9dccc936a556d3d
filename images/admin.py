from django.contrib import admin
from django.utils.html import format_html

from newsroom.changelist import DateDrillDownChangeList

from .forms import ImageForm
from .models import Image


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageForm
    list_display = ["thumbnail", "__str__", "credit", "described", "size", "uploaded_by", "uploaded_at"]
    list_display_links = ["thumbnail", "__str__"]
    list_filter = [("alt_text", admin.EmptyFieldListFilter), "uploaded_at", "uploaded_by"]
    list_select_related = ["uploaded_by"]
    date_hierarchy = "uploaded_at"
    search_fields = ["alt_text", "caption", "credit", "source"]
    readonly_fields = ["preview", "size", "uploaded_by", "uploaded_at"]
    fieldsets = [
        (None, {"fields": ["preview", "file", "alt_text", "caption", "credit", "source"]}),
        ("Cropping", {"fields": ["focal_x", "focal_y"]}),
        ("Record", {"fields": ["size", "uploaded_by", "uploaded_at"]}),
    ]

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or request.user.has_perm("images.change_any_image"):
            return True
        return obj.uploaded_by_id == request.user.pk

    def get_changelist(self, request, **kwargs):
        return DateDrillDownChangeList

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="picture")
    def thumbnail(self, image):
        card = image.picture("card")
        return format_html('<img src="{}" alt="" width="120" height="80" loading="lazy">', card["src"])

    @admin.display(description="preview")
    def preview(self, image):
        if not image.pk:
            return "Shown after the first save."
        lead = image.picture("lead")
        return format_html(
            '<img src="{}" alt="{}" style="max-width: 480px; height: auto">', lead["src"], image.alt_text
        )

    @admin.display(description="alt text", boolean=True, ordering="alt_text")
    def described(self, image):
        return bool(image.alt_text)

    @admin.display(description="size")
    def size(self, image):
        return f"{image.width} × {image.height}"
