"""Endpoints and the delivery log, for admins only (the Admin role holds the webhooks permissions; no other does)."""

from django.contrib import admin, messages
from django.contrib.admin.utils import display_for_value
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from .forms import EndpointForm
from .models import Delivery, Endpoint
from .queue import enqueue_on_commit

Status = Delivery.Status


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    list_display = ["name", "url", "section_names", "active", "waiting", "gave_up", "created_at"]
    list_filter = ["active"]
    search_fields = ["name", "url"]
    readonly_fields = ["secret_hint", "created_at"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("sections")
            .annotate(
                waiting_count=Count("deliveries", filter=Q(deliveries__status=Status.PENDING)),
                failed_count=Count("deliveries", filter=Q(deliveries__status=Status.FAILED)),
            )
        )

    def get_fields(self, request, obj=None):
        fields = ["name", "url", "new_secret", "sections", "active"]
        return [*fields, "secret_hint", "created_at"] if obj else fields

    @admin.display(description="sections")
    def section_names(self, endpoint):
        return ", ".join(section.name for section in endpoint.sections.all()) or "All"

    @admin.display(description="secret")
    def secret_hint(self, endpoint):
        return f"ends {endpoint.secret_hint}"

    @admin.display(description="waiting", ordering="waiting_count")
    def waiting(self, endpoint):
        return self.deliveries_link(endpoint, Status.PENDING, endpoint.waiting_count)

    @admin.display(description="gave up", ordering="failed_count")
    def gave_up(self, endpoint):
        return self.deliveries_link(endpoint, Status.FAILED, endpoint.failed_count)

    def deliveries_link(self, endpoint, status, count):
        url = reverse("admin:webhooks_delivery_changelist")
        return format_html(
            '<a href="{}?endpoint__id__exact={}&status__exact={}">{}</a>', url, endpoint.pk, status, count
        )


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The delivery log: read-only, with "Retry now" for the selected deliveries or from one delivery's page."""

    list_display = ["created_at", "endpoint", "story", "event", "status", "attempts", "last_status_code", "error"]
    list_filter = ["status", "event", "endpoint"]
    list_select_related = ["endpoint", "article"]
    search_fields = ["article__headline", "endpoint__name", "=uuid"]
    date_hierarchy = "created_at"
    actions = ["retry_now"]
    fields = readonly_fields = [
        "uuid",
        "endpoint",
        "story",
        "event",
        "status",
        "attempts",
        "created_at",
        "last_attempt_at",
        "next_attempt",
        "gives_up",
        "delivered_at",
        "last_status_code",
        "last_error",
    ]
    change_form_template = "admin/webhooks/delivery/change_form.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request):
        return request.user.has_perm("webhooks.change_delivery")

    @admin.display(description="story", ordering="article__headline")
    def story(self, delivery):
        if delivery.article_id is None:
            return "(deleted)"
        url = reverse("admin:articles_article_change", args=[delivery.article_id])
        return format_html('<a href="{}">{}</a>', url, delivery.article.headline)

    @admin.display(description="next attempt")
    def next_attempt(self, delivery):
        return self.while_waiting(delivery, delivery.next_attempt_at)

    @admin.display(description="gives up")
    def gives_up(self, delivery):
        return self.while_waiting(delivery, delivery.give_up_at)

    def while_waiting(self, delivery, moment):
        """A time that means something only while the delivery waits, as the admin shows times."""
        waiting = delivery.status == Status.PENDING
        return display_for_value(moment if waiting else None, self.get_empty_value_display())

    @admin.display(description="last error")
    def error(self, delivery):
        return delivery.last_error[:120]

    @admin.action(description="Retry now", permissions=["retry"])
    def retry_now(self, request, queryset):
        count = retry(queryset)
        self.message_user(request, f"{count} deliveries will be tried again now.", messages.SUCCESS)

    def get_urls(self):
        retry_url = path("<int:pk>/retry/", self.admin_site.admin_view(self.retry_view), name="webhooks_delivery_retry")
        return [retry_url, *super().get_urls()]

    def retry_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_retry_permission(request):
            raise PermissionDenied
        delivery = get_object_or_404(Delivery, pk=pk)
        retry(Delivery.objects.filter(pk=delivery.pk))
        self.message_user(request, "The delivery will be tried again now.", messages.SUCCESS)
        return redirect("admin:webhooks_delivery_change", delivery.pk)

    def render_change_form(self, request, context, *args, **kwargs):
        context["may_retry"] = self.has_retry_permission(request)
        return super().render_change_form(request, context, *args, **kwargs)


def retry(deliveries):
    """Make deliveries due at once, with a fresh day of retries, and hand them to the broker after the commit."""
    with transaction.atomic():
        ids = list(deliveries.values_list("pk", flat=True))
        Delivery.objects.filter(pk__in=ids).update(
            status=Status.PENDING, next_attempt_at=timezone.now(), give_up_at=None, queued_at=None
        )
        enqueue_on_commit(ids)
    return len(ids)
