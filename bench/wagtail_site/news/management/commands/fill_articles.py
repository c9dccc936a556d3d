"""Fill an empty bench site: a home page, the twelve sections, 600 authors, about 3,000 tags and N articles.

The articles are bench/stories.py's, drawn in bench/load_stories.py's order, so article N here is story N
there: the same headline, standfirst, body, number of bylines and tags. Pages go into the tree through
Wagtail's own add_child(), with their bylines and tags, in transactions of 500. Saving a page does not
update the search index (built once at the end, with update_index) nor the reference index (the admin's
usage counts; `manage.py rebuild_references_index` fills it, about 12 s a thousand pages): together they
were half of the 90-140 ms each page took. The article page reads neither.
"""

import sys
import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models.signals import post_save
from modelsearch.signal_handlers import post_save_signal_handler
from taggit.models import Tag
from wagtail.models import Page, Site
from wagtail.signal_handlers import disable_reference_index_auto_update

from news.models import ArticlePage, Author, Byline, HomePage, SectionPage

sys.path.insert(0, str(Path(__file__).resolve().parents[4]))
from stories import SECTIONS, StoryWriter, now, stories  # noqa: E402

AUTHORS = 600
TAGS = 3_000


class Command(BaseCommand):
    help = __doc__.split("\n\n")[0]

    def add_arguments(self, parser):
        parser.add_argument("articles", type=int, nargs="?", default=10_000)

    def handle(self, articles, **options):
        if HomePage.objects.exists():
            raise CommandError("The site is filled already: setup.sh starts from an empty database.")
        started = time.monotonic()
        writer = StoryWriter(seed=0)
        home = self.make_home()
        sections = [
            home.add_child(instance=SectionPage(title=name, slug=slug, show_in_menus=True)) for name, slug in SECTIONS
        ]
        authors = Author.objects.bulk_create(Author(name=writer.author_name()) for _ in range(AUTHORS))
        # As load_stories.py's ON CONFLICT: a name drawn twice is one tag, so both sites draw from as many.
        names = dict.fromkeys(writer.tag_name() for _ in range(TAGS))
        tags = Tag.objects.bulk_create(Tag(name=name, slug=f"bench-tag-{n}") for n, name in enumerate(names))
        post_save.disconnect(post_save_signal_handler, sender=ArticlePage)
        with disable_reference_index_auto_update():
            self.add_articles(writer, articles, sections, authors, tags, started)
        call_command("update_index", verbosity=0)
        self.stdout.write(f"{articles:,} articles and their search index in {time.monotonic() - started:.0f} s")

    def add_articles(self, writer, articles, sections, authors, tags, started):
        transaction.set_autocommit(False)
        for story_id, story in stories(writer, 1, articles, now(), sections, authors, tags):
            # A story scheduled on this project's site is live here with its coming date: whichever of them has
            # come due there by the time bench/run.py runs, it can be compared with the same story here.
            live = story.status == "published"
            article = ArticlePage(
                title=story.headline,
                slug=f"story-{story_id}",
                standfirst=story.standfirst,
                body=story.body,
                date=story.published_at,
                live=live,
                has_unpublished_changes=not live,
                first_published_at=story.published_at if live else None,
                last_published_at=story.published_at if live else None,
            )
            article.bylines = [
                Byline(author=author, role=role, sort_order=position)
                for position, (author, role) in enumerate(story.credits)
            ]
            article.tags.add(*story.tags)
            story.section.add_child(instance=article)
            if story_id % 500 == 0 or story_id == articles:
                transaction.commit()
            if story_id % 1000 == 0:
                self.stdout.write(f"{story_id:>7,} articles  {time.monotonic() - started:5.0f} s")
        transaction.set_autocommit(True)

    def make_home(self):
        """The site's root page; Wagtail's welcome page and the site pointing at it go."""
        root = Page.get_first_root_node()
        for page in root.get_children():
            page.delete()
        home = root.add_child(instance=HomePage(title="The Wagtail Courier", slug="home"))
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True, site_name=home.title)
        return home
