"""Home page places that reporters gave before placement became an editor's call (issue 15) are cleared.

Who set a place is not recorded: a draft or story in review last saved by someone who may not publish is
taken as placed by a reporter. An editor places it again if it should lead.
"""

from django.conf import settings
from django.db import migrations
from django.db.models import Q


def clear_reporters_home_places(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    publish = {"codename": "publish_article", "content_type__app_label": "articles"}
    may_publish = User.objects.filter(
        Q(is_superuser=True)
        | Q(**{f"groups__permissions__{key}": value for key, value in publish.items()})
        | Q(**{f"user_permissions__{key}": value for key, value in publish.items()})
    )
    Article.objects.filter(status__in=["draft", "review"], home_rank__isnull=False).exclude(
        last_edited_by__isnull=True
    ).exclude(last_edited_by__in=may_publish.values("pk")).update(home_rank=None)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_unicode_names"),
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(clear_reporters_home_places, migrations.RunPython.noop)]
