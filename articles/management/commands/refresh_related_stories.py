from django.core.management.base import BaseCommand

from articles.models import Article


class Command(BaseCommand):
    help = (
        "Work out again every live or scheduled story's related stories. Run once after upgrading, then now "
        "and then (e.g. nightly): a newly published story enters the lists of its closest stories at once, "
        "the others' lists when they next change or when this runs."
    )

    def handle(self, *args, **options):
        stories = Article.objects.published_or_scheduled()
        stories.refresh_related_stories()
        self.stdout.write(f"Related stories worked out for {stories.count():,} stories.")
