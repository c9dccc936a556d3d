from django.db import migrations

from articles.search_sql import SNIPPET_SQL


def replace_snippet_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SNIPPET_SQL)


class Migration(migrations.Migration):
    """articles_snippet() reads a body's opening, not the whole body, when no word of it begins like the query."""

    dependencies = [
        ("articles", "0022_search_snippets"),
    ]

    operations = [
        migrations.RunPython(replace_snippet_function, migrations.RunPython.noop),
    ]
