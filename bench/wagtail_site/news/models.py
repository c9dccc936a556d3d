"""A news site in Wagtail as its news starter would build one: home, sections, articles with bylines and tags."""

from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet


def listed(articles):
    """Live articles dated up to now, newest first. Stories scheduled on this project's site are live here with
    their coming dates (fill_articles), to be compared with it once due there; until then no list shows them."""
    return articles.live().filter(date__lte=timezone.now()).order_by("-date")


class HomePage(Page):
    subpage_types = ["news.SectionPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = listed(ArticlePage.objects.descendant_of(self))[:20]
        return context


class SectionPage(Page):
    parent_page_types = ["news.HomePage"]
    subpage_types = ["news.ArticlePage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = listed(ArticlePage.objects.child_of(self))[:20]
        return context


@register_snippet
class Author(models.Model):
    name = models.CharField(max_length=200)

    panels = [FieldPanel("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey("news.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items")


class ArticlePage(Page):
    standfirst = models.TextField(blank=True)
    body = RichTextField()
    date = models.DateTimeField("published", db_index=True)  # every list here is newest first
    tags = ClusterTaggableManager(through=ArticleTag, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("standfirst"),
        FieldPanel("date"),
        FieldPanel("body"),
        InlinePanel("bylines", label="Bylines"),
        FieldPanel("tags"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("standfirst"), index.SearchField("body")]
    parent_page_types = ["news.SectionPage"]
    subpage_types = []

    @cached_property
    def credits(self):
        """The bylines grouped by role, in their order: [("By", [author, author]), ("Photos by", [author])]."""
        grouped = {}
        for byline in self.bylines.select_related("author"):
            grouped.setdefault(byline.get_role_display(), []).append(byline.author)
        return list(grouped.items())

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["section"] = self.get_parent()
        context["related"] = listed(ArticlePage.objects.sibling_of(self, inclusive=False))[:4]
        return context


class Byline(Orderable):
    ROLES = [("by", "By"), ("additional", "Additional reporting by"), ("photos", "Photos by")]

    article = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, choices=ROLES, default="by")

    panels = [FieldPanel("author"), FieldPanel("role")]

    def __str__(self):
        return f"{self.get_role_display()} {self.author}"
