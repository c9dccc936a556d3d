"""RSS 2.0 and Atom feeds: the whole site, each section, each author, and the corrections."""

import io

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.files.storage import default_storage
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape

from .live_read import live_story
from .models import Article, Author, Correction, LiveEntry, Section
from .pagecache import depends_on
from .publishing import live_surface
from .sanitize import xml_text
from .site import absolute_url

FEED_SIZE = 30


class WrittenWhole:
    """The XML written into the response in one piece, not one small chunk per element and attribute.

    gunicorn sends every chunk of a response separately: a 20 KB feed from the page cache took 9 ms, not 1.
    """

    def write(self, outfile, encoding):
        whole = io.StringIO()
        super().write(whole, encoding)
        outfile.write(whole.getvalue())


def well_formed(value):
    """Every text in a feed's or entry's data without the characters XML 1.0 forbids."""
    if isinstance(value, dict):
        return {key: well_formed(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(well_formed(item) for item in value)
    return xml_text(value)


class WellFormed:
    """A control character in a row stored before save() cleaned text is left out, not a 500 for every feed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.feed = well_formed(self.feed)

    def add_item(self, *args, **kwargs):
        super().add_item(*args, **kwargs)
        self.items[-1] = well_formed(self.items[-1])


class NewsRssFeed(WellFormed, WrittenWhole, Rss201rev2Feed):
    """RSS 2.0 that credits every byline (`dc:creator`) and carries the full text in `content:encoded`."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:dc": "http://purl.org/dc/elements/1.1/",
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, _url in item.get("bylines", []):
            handler.addQuickElement("dc:creator", name)
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])


class NewsAtomFeed(WellFormed, WrittenWhole, Atom1Feed):
    """Atom with one `author` per byline and the full text in `content`."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, url in item.get("bylines", []):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.addQuickElement("uri", url)
            handler.endElement("author")
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})


class LatestStories(Feed):
    feed_type = NewsRssFeed
    url_name = "articles:feed_rss"

    def __call__(self, request, *args, **kwargs):
        depends_on(request, "feeds")
        return super().__call__(request, *args, **kwargs)

    def title(self, obj=None):
        return settings.SITE_NAME

    def description(self, obj=None):
        # Descriptions are HTML to feed readers: every plain text put into one is escaped.
        return escape(f"The latest stories from {settings.SITE_NAME}.")

    def link(self, obj=None):
        return absolute_url(reverse("articles:home"))

    def feed_url(self, obj=None):
        return absolute_url(reverse(self.url_name))

    def author_name(self, obj=None):
        # Atom needs an author for entries without a byline.
        return settings.SITE_NAME

    def stories(self, obj):
        return Article.objects.published()

    def items(self, obj=None):
        return self.stories(obj).for_feed()[:FEED_SIZE]

    def item_title(self, article):
        return article.headline

    def item_description(self, article):
        return escape(article.summary)

    def item_link(self, article):
        return article.canonical_url

    def item_guid(self, article):
        return article.canonical_url

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.last_updated

    def item_categories(self, article):
        return [article.section.name, *(tag.name for tag in article.tags.all())]

    def item_enclosures(self, article):
        if not article.lead_image_id:
            return []
        share = article.lead_image.share_rendition
        try:
            length = str(default_storage.size(share.name))
        except OSError:  # the file is missing from storage: still announce the image
            length = "0"
        return [Enclosure(article.lead_image_url, length, "image/jpeg")]

    def item_extra_kwargs(self, article):
        return {
            "bylines": [(b.author.name, absolute_url(b.author.get_absolute_url())) for b in article.listed_bylines],
            # The body is sanitised on every save (articles/sanitize.py), so it is as safe as the page.
            "content_html": article.body if settings.FEED_FULL_TEXT else None,
        }


class LatestStoriesAtom(LatestStories):
    feed_type = NewsAtomFeed
    subtitle = LatestStories.description
    url_name = "articles:feed_atom"


class OneOwnerStories(LatestStories):
    """The feed of one section or one author, found by its slug."""

    model = None

    def get_object(self, request, slug):
        return get_object_or_404(self.model.objects.with_published_stories(), slug=slug)

    def title(self, owner):
        return f"{owner} | {settings.SITE_NAME}"

    def link(self, owner):
        return absolute_url(owner.get_absolute_url())

    def feed_url(self, owner):
        return absolute_url(reverse(self.url_name, kwargs={"slug": owner.slug}))


class SectionStories(OneOwnerStories):
    model = Section
    url_name = "articles:section_feed_rss"

    def description(self, section):
        return escape(section.description or f"The latest {section.name} stories from {settings.SITE_NAME}.")

    def stories(self, section):
        return Article.objects.published().filter(section=section)


class SectionStoriesAtom(SectionStories):
    feed_type = NewsAtomFeed
    subtitle = SectionStories.description
    url_name = "articles:section_feed_atom"


class AuthorStories(OneOwnerStories):
    model = Author
    url_name = "articles:author_feed_rss"

    def description(self, author):
        return escape(author.bio or f"Stories by {author.name} in {settings.SITE_NAME}.")

    def stories(self, author):
        return Article.objects.published().filter(authors=author).distinct()


class AuthorStoriesAtom(AuthorStories):
    feed_type = NewsAtomFeed
    subtitle = AuthorStories.description
    url_name = "articles:author_feed_atom"


class Corrections(Feed):
    feed_type = NewsRssFeed
    url_name = "articles:corrections_feed_rss"

    def __call__(self, request, *args, **kwargs):
        depends_on(request, "corrections")
        return super().__call__(request, *args, **kwargs)

    def title(self):
        return f"Corrections | {settings.SITE_NAME}"

    def description(self):
        return escape(f"Corrections and clarifications to stories in {settings.SITE_NAME}, newest first.")

    def link(self):
        return absolute_url(reverse("articles:corrections"))

    def feed_url(self):
        return absolute_url(reverse(self.url_name))

    def author_name(self):
        return settings.SITE_NAME

    def items(self):
        return Correction.objects.public()[:FEED_SIZE]

    def item_title(self, correction):
        return f"{correction.get_kind_display()}: {correction.article.headline}"

    def item_description(self, correction):
        return escape(correction.note)

    def item_link(self, correction):
        return correction.article.canonical_url

    def item_guid(self, correction):
        return absolute_url(f"{reverse('articles:corrections')}#correction-{correction.pk}")

    item_guid_is_permalink = False

    def item_pubdate(self, correction):
        return correction.created_at

    def item_updateddate(self, correction):
        return correction.created_at

    def item_categories(self, correction):
        return [correction.get_kind_display()]


class CorrectionsAtom(Corrections):
    feed_type = NewsAtomFeed
    subtitle = Corrections.description
    url_name = "articles:corrections_feed_atom"


class LiveEntries(Feed):
    """A live story's entries, newest first: what its page shows, for feed readers."""

    feed_type = NewsRssFeed
    url_name = "articles:live_feed_rss"

    def get_object(self, request, section, slug):
        article = live_story(section, slug)
        depends_on(request, f"article:{article.pk}", live_surface(article.pk))
        return article

    def title(self, article):
        return f"{article.headline} | {settings.SITE_NAME}"

    def description(self, article):
        return escape(article.summary)

    def link(self, article):
        return article.canonical_url

    def feed_url(self, article):
        return absolute_url(reverse(self.url_name, kwargs={"section": article.section.slug, "slug": article.slug}))

    def author_name(self, article):
        return settings.SITE_NAME

    def items(self, article):
        entries = LiveEntry.objects.published().filter(article=article).for_page().select_related("article__section")
        return entries.newest_first()[:FEED_SIZE]

    def item_title(self, entry):
        return entry.title

    def item_description(self, entry):
        # The body is sanitised on every save (articles/sanitize.py), as safe as the page.
        return entry.body

    def item_link(self, entry):
        return absolute_url(entry.get_absolute_url())

    def item_guid(self, entry):
        return absolute_url(entry.get_absolute_url())

    def item_pubdate(self, entry):
        return entry.posted_at

    def item_updateddate(self, entry):
        return max(entry.posted_at, entry.changed_at)

    def item_extra_kwargs(self, entry):
        return {"bylines": [(author.name, absolute_url(author.get_absolute_url())) for author in entry.authors.all()]}


class LiveEntriesAtom(LiveEntries):
    feed_type = NewsAtomFeed
    subtitle = LiveEntries.description
    url_name = "articles:live_feed_atom"
