from django.db import migrations

from articles.search_sql import SNIPPET_SQL


def replace_snippet_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SNIPPET_SQL)


class Migration(migrations.Migration):
    """articles_snippet() gives a story whose body lacks the words (found by its headline, summary or credits)
    its body's first 15 words without ts_headline, which found nothing to mark there anyway."""

    dependencies = [
        ("articles", "0026_search_snippet_window"),
    ]

    operations = [
        migrations.RunPython(replace_snippet_function, migrations.RunPython.noop),
    ]
