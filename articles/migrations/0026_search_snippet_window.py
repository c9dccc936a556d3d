from django.db import migrations

from articles.search_sql import SNIPPET_SQL


def replace_snippet_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SNIPPET_SQL)


class Migration(migrations.Migration):
    """articles_snippet() reads 600 characters around the first match, not 1,000, and cuts the last word
    without a regular expression anchored at the end."""

    dependencies = [
        ("articles", "0025_search_words"),
    ]

    operations = [
        migrations.RunPython(replace_snippet_function, migrations.RunPython.noop),
    ]
