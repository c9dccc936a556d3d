from django.db import migrations

from articles.search_sql import SNIPPET_SQL


def create_snippet_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SNIPPET_SQL)


def drop_snippet_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS articles_snippet(text, tsquery, regconfig)")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0021_live_coverage"),
    ]

    operations = [
        migrations.RunPython(create_snippet_function, drop_snippet_function),
    ]
