from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"

    def ready(self):
        from newsroom import lookups, timestamps

        from . import publishing  # noqa: F401  (connects the cache purges)
        from .roles import setup_roles
        from .search_sql import follow_language_setting

        post_migrate.connect(setup_roles, sender=self)
        post_migrate.connect(follow_language_setting, sender=self)
        timestamps.register()
        lookups.register()
