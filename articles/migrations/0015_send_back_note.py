from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_story_dates_and_long_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="statuschange",
            name="note",
            field=models.TextField(blank=True, help_text="Why the story was sent back, for its reporter."),
        ),
    ]
