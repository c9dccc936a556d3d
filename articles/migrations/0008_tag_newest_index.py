from django.db import migrations


class Migration(migrations.Migration):
    """Related stories read each topic's newest stories from this index (ArticleQuerySet.related_to)."""

    dependencies = [
        ("articles", "0007_home_rank_index"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS articles_article_tags_tag_newest ON articles_article_tags (tag_id, article_id DESC)",
            "DROP INDEX IF EXISTS articles_article_tags_tag_newest",
        ),
    ]
