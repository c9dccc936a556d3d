import time

from django.core.management.base import BaseCommand

from articles import cards
from articles.models import Article


class Command(BaseCommand):
    help = (
        "Make the stored story cards of live and scheduled stories, newest first. --stale makes those missing, "
        "emptied by a change (a section or author renamed, a picture edited) or made by other card templates: "
        "run it after every deploy and every few minutes (e.g. from cron). --all makes every card again."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--stale", action="store_true", help="Only cards that are not current.")
        which.add_argument("--all", action="store_true", help="Every card.")

    def handle(self, *args, **options):
        stories = Article.objects.published_or_scheduled()
        if options["stale"]:
            stories = cards.stale(stories)
        pks = list(stories.order_by("-published_at", "-id").values_list("pk", flat=True))
        started, made = time.monotonic(), 0
        for start in range(0, len(pks), 10 * cards.BATCH):
            made += cards.make(pks[start : start + 10 * cards.BATCH])
            if options["verbosity"] > 1:
                self.stdout.write(f"{made:,} of {len(pks):,} cards made")
        seconds = time.monotonic() - started
        self.stdout.write(f"Made {made:,} story cards in {seconds:.0f} s (version {cards.version()}).")
