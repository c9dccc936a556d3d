from django.core.management.base import BaseCommand, CommandError

from articles.importers import ImportFailed, import_file


class Command(BaseCommand):
    help = "Import stories from plain-text or JSON files (format: articles/importers.py, docs/editors.md)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--publish", action="store_true", help="Publish the stories now.")
        parser.add_argument("--section", metavar="SLUG", help="Section for stories that name none.")
        parser.add_argument("--author", metavar="NAME", help="Byline for stories that name no authors.")
        parser.add_argument(
            "--no-mend",
            action="store_true",
            help="Import the copy as it came: no glued repeats or lost apostrophes mended (they are still reported).",
        )

    def handle(self, *args, paths, **options):
        failures = 0
        for path in paths:
            try:
                result = import_file(
                    path,
                    publish=options["publish"],
                    section_slug=options["section"],
                    author_name=options["author"],
                    mend=not options["no_mend"],
                )
            except ImportFailed as exc:
                failures += 1
                self.stderr.write(f"{exc}; nothing imported from this file.")
                continue
            message = f"{path}: {len(result.created)} imported"
            if result.skipped:
                message += f", {result.skipped} already imported before (skipped)"
            if result.entries_added:
                message += f", {result.entries_added} new live entries"
            self.stdout.write(message)
            for report in result.reports:
                self.stdout.write(f"  “{report.headline[:60]}”: {report.summary()}")
            for refusal in result.refused_entries:
                self.stderr.write(refusal)
        if failures:
            raise CommandError(f"{failures} of {len(paths)} files could not be imported.")
