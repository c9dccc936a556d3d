import django.contrib.postgres.search
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from articles.search_sql import FORWARD_SQL, REVERSE_SQL, config_for, config_function_sql


def create_search(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(config_function_sql(config_for(settings.LANGUAGE_CODE)))
        schema_editor.execute(FORWARD_SQL)


def drop_search(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVERSE_SQL)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0005_lead_image'),
    ]

    operations = [
        # On SQLite the table stays empty: search falls back to a substring match there.
        migrations.CreateModel(
            name='SearchDocument',
            fields=[
                ('article', models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, primary_key=True, related_name='search_document', serialize=False, to='articles.article')),
                ('published_at', models.DateTimeField(null=True)),
                ('section', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='articles.section')),
                ('vector', django.contrib.postgres.search.SearchVectorField()),
            ],
        ),
        migrations.RunPython(create_search, drop_search),
    ]
