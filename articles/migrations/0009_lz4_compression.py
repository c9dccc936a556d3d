from django.db import migrations

# Story bodies and search documents are the big values of the archive. lz4 compresses them several times
# faster than PostgreSQL's default pglz and reads them back faster, which every save, every article page
# and every phrase search pays for. Values keep the method they were written with until rewritten.
# A PostgreSQL built without lz4 keeps pglz: the statement fails with feature_not_supported and is skipped.
COLUMNS = [("articles_article", "body"), ("articles_searchdocument", "vector")]


def set_compression(method):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table, column in COLUMNS:
            schema_editor.execute(
                f"DO $$ BEGIN ALTER TABLE {table} ALTER COLUMN {column} SET COMPRESSION {method}; "
                "EXCEPTION WHEN feature_not_supported THEN NULL; END $$"
            )

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_tag_newest_index"),
    ]

    operations = [
        migrations.RunPython(set_compression("lz4"), set_compression("pglz")),
    ]
