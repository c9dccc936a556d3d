"""The publishing gate, `ArticleQuerySet.published()`, and the listings built on it.

Every public page, feed, sitemap and search starts from `Article.objects.published()`; sections, authors and
topics are shown to readers only through it too (`with_published_stories()`).
"""

import operator
from functools import reduce

from django.apps import apps
from django.db import connections, models
from django.utils import timezone

HOME_FEATURED_STORIES = 4
HOME_STORIES_PER_SECTION = 4
HOME_RECENT_STORIES = 80
# Each topic's newest stories, this many in all, are the candidates whose shared topics are counted.
RELATED_CANDIDATES = 60
# Related stories stored on each story, more than the page shows, so that enough remain when some of them
# leave the publishing gate (expired, withdrawn) before the lists are worked out again.
RELATED_STORED = 8
RELATED_SHOWN = 4
RELATED_FIELDS = ["headline", "slug", "published_at", "section__name", "section__slug"]


class StoryStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


def card_bylines():
    """A story card's bylines with their authors, for prefetching into `Article.listed_bylines`.

    A plain list: filling each story's `bylines` manager instead costs a queryset per story, a millisecond
    on a home page of fifty.
    """
    return models.Prefetch(
        "bylines",
        queryset=apps.get_model("articles", "Byline").objects.select_related("author"),
        to_attr="listed_bylines",
    )


def not_expired(now):
    return models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)


def home_layout(stories):
    """The home page laid out from its candidate stories, newest first: the newest and the placed ones.

    Placed stories lead and are featured in their places' order; with none placed, the newest leads. The
    rest fill their sections, a few each, in the sections' order.
    """
    placed = sorted((s for s in stories if s.home_rank is not None), key=lambda s: s.home_rank)
    placed = placed[: HOME_FEATURED_STORIES + 1] or stories[:1]
    lead, featured = (placed[0], placed[1:]) if placed else (None, [])
    sections = {}
    for story in stories:
        if story not in placed:
            sections.setdefault(story.section, []).append(story)
    by_section = [
        (section, section_stories[:HOME_STORIES_PER_SECTION])
        for section, section_stories in sorted(sections.items(), key=lambda item: (item[0].order, item[0].name))
    ]
    return {"lead": lead, "featured": featured, "sections": by_section}


def shown_on_home(page):
    return [*filter(None, [page["lead"]]), *page["featured"], *(s for _, shown in page["sections"] for s in shown)]


class ArticleQuerySet(models.QuerySet):
    def published(self, at=None):
        """Stories readers may see: published, due and not expired. The one gate of every public surface.

        `at` (default: now) lets articles/readpath.py compile this very condition into its SQL.
        """
        now = at or timezone.now()
        return self.filter(status=StoryStatus.PUBLISHED, published_at__lte=now).filter(not_expired(now))

    def scheduled(self):
        """Published stories that go live by themselves later (and have not expired before that)."""
        now = timezone.now()
        return self.filter(status=StoryStatus.PUBLISHED, published_at__gt=now).filter(not_expired(now))

    def expired(self):
        """Published stories taken down by their expiry time."""
        return self.filter(status=StoryStatus.PUBLISHED).exclude(not_expired(timezone.now()))

    def published_or_scheduled(self):
        return self.published() | self.scheduled()

    def for_listing(self):
        """Everything a story card shows, in a constant number of queries."""
        return self.select_related("section", "lead_image").prefetch_related(card_bylines())

    def for_cards(self):
        """A listing of stored cards (articles/cards.py): the story, its section and picture, and its card; the
        bylines are read by `cards.listed()` for the stories whose card must be rendered."""
        return self.select_related("section", "lead_image", "card")

    def for_detail(self):
        """Everything the article page shows, in a constant number of queries."""
        return self.for_listing().prefetch_related("tags", "corrections")

    def owned_by(self, user):
        """Stories a contributor may call their own: created by, assigned to, or bylined to them."""
        return self.filter(
            models.Q(created_by=user) | models.Q(assigned_to=user) | models.Q(bylines__author__user=user)
        ).distinct()

    def holding_home_place(self, rank):
        """The story in home page place `rank` (one, unless older data put two there)."""
        return self.filter(home_rank=rank).order_by("pk")

    def for_feed(self):
        """Everything a feed entry carries (bylines, topics), in a constant number of queries."""
        return self.for_listing().prefetch_related("tags")

    def with_pk_in_any(self, *subqueries):
        """Rows whose key is in any of these (small, sliced) subqueries.

        On PostgreSQL a UNION: each subquery is a small index scan, where an OR of them makes the planner
        read every story. SQLite cannot slice inside a UNION; at its sizes an OR is fine.
        """
        if connections[self.db].features.supports_slicing_ordering_in_compound:
            return self.filter(pk__in=subqueries[0].union(*subqueries[1:]))
        return self.filter(reduce(operator.or_, (models.Q(pk__in=subquery) for subquery in subqueries)))

    def home_page(self):
        """The home page: the lead, the featured stories and the newest few of each section, in two queries.

        Editors place stories with `home_rank` (1 leads); with nothing placed, the newest story leads.
        Sections are filled from the newest HOME_RECENT_STORIES stories: two index scans, however big the
        archive (a per-section window over every story took seconds on a million). Bylines are loaded for
        the stories shown only; a window in SQL choosing them cost more to plan than it saved.
        """
        newest = self.order_by("-published_at", "-id").values("pk")[:HOME_RECENT_STORIES]
        placed = self.filter(home_rank__isnull=False).values("pk")
        stories = self.with_pk_in_any(newest, placed).select_related("section", "lead_image")
        page = home_layout(list(stories.order_by("-published_at", "-id")))
        models.prefetch_related_objects(shown_on_home(page), card_bylines())
        return page

    def related_to(self, article, limit=4):
        """Stories sharing the most topics with `article`, then its section's newest; never `article` itself.

        Candidates are the newest stories (by id, i.e. by creation) of each of its topics, RELATED_CANDIDATES
        in all, and the newest few of its section: the shared topics are counted over a few hundred rows.
        """
        tag_ids = [tag.pk for tag in article.tags.all()]
        shared_tags = models.Count("tags", filter=models.Q(tags__in=tag_ids)) if tag_ids else models.Value(0)
        same_section = models.Case(models.When(section=article.section_id, then=1), default=0)
        # Per topic, its newest stories straight from the (tag, article) index; a UNION, never an OR.
        tagged = self.model.tags.through.objects.order_by("-article_id").values("article_id")
        by_topic = [tagged.filter(tag_id=tag_id)[: RELATED_CANDIDATES // len(tag_ids)] for tag_id in tag_ids]
        by_section = self.filter(section=article.section_id).order_by("-published_at").values("pk")[: limit + 1]
        return (
            self.exclude(pk=article.pk)
            .with_pk_in_any(by_section, *by_topic)
            .annotate(shared_tags=shared_tags, same_section=same_section)
            .select_related("section")
            .only(*RELATED_FIELDS)
            .order_by("-shared_tags", "-same_section", "-published_at", "-id")[:limit]
        )

    def refresh_related_stories(self):
        """Store in each story's `related_ids` its RELATED_STORED best `related_to()` stories.

        Scheduled stories are candidates too: the page's gate keeps them out until they go live.
        """
        candidates = self.model.objects.published_or_scheduled()
        for story in self.only("pk", "section_id").prefetch_related("tags").iterator(chunk_size=500):
            related = candidates.related_to(story, limit=RELATED_STORED).values_list("pk", flat=True)
            self.model.objects.filter(pk=story.pk).update(related_ids=list(related))

    def related_stored_on(self, article):
        """Those of `article`'s stored related stories that this queryset (the gate) holds, best first.

        Building `related_to()`'s query costs more than the rest of the page; the stored ids are one plain
        lookup. A story whose list was never worked out (`related_ids` is None) gets `related_to()`.
        """
        if article.related_ids is None:
            return self.related_to(article, limit=RELATED_SHOWN)
        rank = {pk: position for position, pk in enumerate(article.related_ids)}
        stories = self.filter(pk__in=rank).select_related("section").only(*RELATED_FIELDS)
        return sorted(stories, key=lambda story: rank[story.pk])[:RELATED_SHOWN]


class StoryOwnerQuerySet(models.QuerySet):
    """Sections, authors or topics: what readers see of them follows the publishing gate."""

    story_field = None  # the Article field that points to one of these

    def with_published_stories(self):
        """Those with a story readers may see; the rest have no page, feed or link on the public site."""
        stories = (
            apps.get_model("articles", "Article")
            .objects.published()
            .filter(**{self.story_field: models.OuterRef("pk")})
        )
        return self.filter(models.Exists(stories))


class SectionQuerySet(StoryOwnerQuerySet):
    story_field = "section"


class AuthorQuerySet(StoryOwnerQuerySet):
    story_field = "authors"


class TagQuerySet(StoryOwnerQuerySet):
    story_field = "tags"
