from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "webhooks"
    verbose_name = "Partner webhooks"

    def ready(self):
        from . import events  # noqa: F401  (connects the story signals)
