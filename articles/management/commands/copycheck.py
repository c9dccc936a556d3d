from argparse import ArgumentTypeError
from collections import Counter
from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import timezone

from articles import copydesk
from articles.models import Article, HouseStyle, Section, review_copy


def day(value):
    try:
        return timezone.make_aware(datetime.combine(datetime.strptime(value, "%Y-%m-%d").date(), time.min))
    except ValueError as exc:
        raise ArgumentTypeError(f"{value!r} is not a date written YYYY-MM-DD") from exc


class Command(BaseCommand):
    help = (
        "List the copy desk's findings in published stories (the house style guide and the copy checks), "
        "e.g. after adding a style guide entry. Findings ignored on a story are left out."
    )

    def add_arguments(self, parser):
        parser.add_argument("--section", metavar="SLUG", help="Only stories in this section.")
        parser.add_argument("--since", metavar="YYYY-MM-DD", type=day, help="Only stories published since this day.")
        parser.add_argument("--check", choices=sorted(copydesk.CHECKS), help="Only findings of this check.")

    def handle(self, *args, section=None, since=None, check=None, **options):
        stories = Article.objects.published().select_related("section").order_by("-published_at", "-pk")
        if section is not None:
            if not Section.objects.filter(slug=section).exists():
                raise CommandError(f"There is no section {section!r}.")
            stories = stories.filter(section__slug=section)
        if since is not None:
            stories = stories.filter(published_at__gte=since)
        house, read, found, kinds = HouseStyle.house(), 0, 0, Counter()
        for story in stories.only("headline", "standfirst", "body", "published_at", "section__slug").iterator(500):
            read += 1
            findings = [
                finding
                for finding in review_copy(
                    story, headline=story.headline, standfirst=story.standfirst, body=story.body, house=house
                )
                if not finding.ignored and (check is None or finding.check == check)
            ]
            if not findings:
                continue
            found += 1
            kinds.update(copydesk.CHECKS[finding.check].lower() for finding in findings)
            when = timezone.localtime(story.published_at).date()
            admin = reverse("admin:articles_article_change", args=[story.pk])
            self.stdout.write(f"“{story.headline}” ({story.section.slug}, {when}) {admin}")
            for finding in findings:
                shown = finding.shown if len(finding.shown) <= 60 else f"{finding.shown[:59]}…"
                said = (
                    f"“{shown}” → “{finding.suggestion}”"
                    if finding.suggestion is not None
                    else f"{finding.message} “{shown}”"
                )
                self.stdout.write(f"  {finding.field}, {copydesk.CHECKS[finding.check].lower()}: {said}")
        summary = ", ".join(f"{kind} {count}" for kind, count in kinds.most_common())
        total = sum(kinds.values())
        self.stdout.write(
            f"{found} of {read} published stories have findings" + (f": {total} in all ({summary})." if total else ".")
        )
