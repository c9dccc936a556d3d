from django.core.management.base import BaseCommand

from articles.models import Article


class Command(BaseCommand):
    help = (
        "Work out again every live or scheduled story's related stories. Run once after upgrading, then now "
        "and then (e.g. nightly): a newly published story enters the lists of its closest stories at once, "
        "the others' lists when they next change or when this runs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--newest",
            type=int,
            metavar="N",
            help="Only the N newest stories: a big archive's readers are mostly on them (older ones work "
            "their list out on each page view until a full run reaches them).",
        )

    def handle(self, *args, newest=None, **options):
        stories = Article.objects.published_or_scheduled()
        if newest is not None:
            stories = stories.filter(pk__in=stories.order_by("-published_at", "-id").values("pk")[:newest])
        stories.refresh_related_stories()
        self.stdout.write(f"Related stories worked out for {stories.count():,} stories.")
