import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models, transaction

from articles.search_sql import UNWORDS_SQL, WORDS_FILL_SQL, WORDS_SQL


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute(WORDS_SQL)


# Stories filled a transaction: about 1.5 s of work each at a million stories.
FILL_BATCH = 10_000


def fill(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(min(article_id), 0), coalesce(max(article_id), 0) FROM articles_searchdocument")
        first, last = cursor.fetchone()
    for start in range(first, last + 1, FILL_BATCH):
        with transaction.atomic(using=connection.alias):
            schema_editor.execute(WORDS_FILL_SQL, [start, start + FILL_BATCH])
    schema_editor.execute("ANALYZE articles_searchwords")


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNWORDS_SQL)


class Migration(migrations.Migration):
    """Each story's words without positions, in a table of their own, for the search's walks by date.

    Not atomic: the trigger is added in a short transaction, then the words of the existing stories are filled
    10,000 stories a transaction while stories are still saved (at a million stories about 2.5 minutes in all;
    docs/operations.md).
    """

    atomic = False

    dependencies = [
        ("articles", "0024_story_cards"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchWords",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="articles.article",
                    ),
                ),
                ("published_at", models.DateTimeField(null=True)),
                ("words", django.contrib.postgres.search.SearchVectorField()),
                (
                    "section",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="articles.section",
                    ),
                ),
            ],
        ),
        migrations.RunPython(add_trigger, drop_trigger),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
