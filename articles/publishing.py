"""What happens around a story's change: its related stories worked out again, its stored cards emptied and
made again, and purging exactly the cached pages that show it.

Signals call `refresh_related` and `purge_story`; both run after the transaction commits (the related
lists first), so a reader can never refill the cache with the old version between the purge and the commit.
Cards are emptied inside the change's transaction, before any purge, and made again after it commits
(articles/cards.py).
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from images.models import Image

from . import cards
from .models import (
    Article,
    Author,
    Byline,
    Correction,
    LiveCoverage,
    LiveEntry,
    Policy,
    Section,
    Tag,
    story_saved,
)
from .pagecache import bump

# Pages that list stories from everywhere: any public story change may show there.
SITE_WIDE = ["home", "feeds", "sitemaps", "archive", "search"]


def purge(surfaces):
    surfaces = list(surfaces)
    transaction.on_commit(lambda: bump(surfaces))


def story_surfaces(article):
    """Every surface that shows this story as it is now."""
    return [
        f"article:{article.pk}",
        f"section:{article.section_id}",
        *(f"tag:{tag_id}" for tag_id in article.tags.values_list("pk", flat=True)),
        *(f"author:{author_id}" for author_id in article.bylines.values_list("author_id", flat=True)),
        *SITE_WIDE,
    ]


def purge_story(article, *also):
    """Purge the pages of a story that readers can see, or could see before this change."""
    surfaces = [*story_surfaces(article), *also]
    if changes_navigation(article, surfaces):
        surfaces.append("site")
    purge(surfaces)


def changes_navigation(article, surfaces):
    """Whether the story is the only one readers may see in a section it is (or was) in.

    The navigation on every page lists the sections with a published story: such a story's change may add
    its section there or drop it.
    """
    sections = {int(surface.removeprefix("section:")) for surface in surfaces if surface.startswith("section:")}
    others = Article.objects.published().exclude(pk=article.pk).filter(section__in=sections)
    return others.values("section").distinct().count() < len(sections)


def refresh_related(article):
    """After commit, work out again the related stories of `article` and of the stories in its list.

    Relatedness is nearly mutual: the stories most related to this one are the ones whose lists gain it
    (when it is published or gains topics) or lose it (when it leaves). Other stories' lists take it in
    when they next change, or from `manage.py refresh_related_stories`; meanwhile the publishing gate keeps
    an expired or withdrawn story out of every list as soon as it leaves.
    """
    # The admin saves the story, then its topics, in one transaction: only the last refresh asked for runs.
    article._related_refresh = token = object()

    def refresh():
        if article._related_refresh is not token:
            return
        story = Article.objects.filter(pk=article.pk)
        before = story.values_list("related_ids", flat=True).first() or []
        story.refresh_related_stories()
        after = article.related_ids = story.values_list("related_ids", flat=True).first()
        Article.objects.filter(pk__in={*before, *(after or [])}).refresh_related_stories()

    transaction.on_commit(refresh)


def changes_related(article, before):
    """Whether the change may move the story into or out of related lists, or change its own."""
    if before is None:
        return True
    return any(before[field] != getattr(article, field) for field in ("status", "section_id", "published_at"))


def purge_everything():
    """Section names, author names and topics appear on every page (navigation, bylines)."""
    purge(["site"])


def is_or_was_public(article, before=None):
    return article.status == Article.Status.PUBLISHED or (before and before["status"] == Article.Status.PUBLISHED)


# What a story's card shows of each model (attribute names): a save that changes none of it leaves cards alone.
CARD_FIELDS = {
    Article: {"headline", "slug", "standfirst", "body", "published_at", "article_type", "status"}
    | {"section_id", "lead_image_id"},
    Section: {"name", "slug"},
    Author: {"name"},
    Image: {"file", "width", "height", "alt_text", "focal_x", "focal_y"},
}


def stories_showing(instance):
    """The stories whose cards show this section, author or picture."""
    if isinstance(instance, Section):
        return Article.objects.filter(section=instance)
    if isinstance(instance, Author):
        return Article.objects.filter(bylines__author=instance)
    return Article.objects.filter(lead_image=instance)


@receiver(post_save, sender=Article)
def story_card_changed(sender, instance, update_fields=None, **kwargs):
    saved = update_fields and {Article._meta.get_field(name).attname for name in update_fields}
    if saved is None or saved & CARD_FIELDS[Article]:
        cards.changed(Article.objects.filter(pk=instance.pk))


@receiver(pre_save, sender=Section)
@receiver(pre_save, sender=Author)
@receiver(pre_save, sender=Image)
def remember_card_values(sender, instance, **kwargs):
    stored = sender.objects.filter(pk=instance.pk).values(*CARD_FIELDS[sender]).first() if instance.pk else None
    instance._card_values_before = stored


@receiver(post_save, sender=Section)
@receiver(post_save, sender=Author)
@receiver(post_save, sender=Image)
def shown_on_cards_changed(sender, instance, **kwargs):
    """A section, author or picture changed what cards show of it: those cards, emptied and made again.

    Connected before `names_changed`, so that even outside a transaction the cards are emptied before the purge.
    """
    before = getattr(instance, "_card_values_before", None)
    if before and any(before[field] != getattr(instance, field) for field in CARD_FIELDS[sender]):
        cards.changed(stories_showing(instance))


@receiver(story_saved)
def story_changed(sender, article, before, **kwargs):
    if is_or_was_public(article, before):
        if changes_related(article, before):
            refresh_related(article)
        purge_story(article, f"section:{before['section_id']}" if before else "home")


def story_parts_changed(instance, origin=None):
    """A byline or live coverage of a story changed: its card, emptied and made again; nothing when the story
    itself is being deleted (its card goes with it), by itself or in a queryset."""
    if not (isinstance(origin, Article) or getattr(origin, "model", None) is Article):
        cards.changed(Article.objects.filter(pk=instance.article_id))


@receiver([post_save, post_delete], sender=Byline)
def byline_changed(sender, instance, origin=None, **kwargs):
    story_parts_changed(instance, origin)
    article = Article.objects.filter(pk=instance.article_id).first()
    if article and is_or_was_public(article):
        purge_story(article, f"author:{instance.author_id}")


@receiver(m2m_changed, sender=Article.tags.through)
def tags_changed(sender, instance, action, pk_set, **kwargs):
    if action == "pre_clear":
        instance._cleared_tag_ids = list(instance.tags.values_list("pk", flat=True))
    elif action in {"post_add", "post_remove", "post_clear"} and is_or_was_public(instance):
        removed = pk_set or getattr(instance, "_cleared_tag_ids", [])
        refresh_related(instance)
        purge_story(instance, *(f"tag:{tag_id}" for tag_id in removed))


@receiver([post_save, post_delete], sender=Correction)
def correction_changed(sender, instance, **kwargs):
    article = Article.objects.filter(pk=instance.article_id).first()
    if article:
        purge_story(article, "corrections")


@receiver(pre_delete, sender=Article)
def story_deleted(sender, instance, **kwargs):
    if is_or_was_public(instance):
        purge_story(instance)


@receiver([post_save, post_delete], sender=Section)
@receiver([post_save, post_delete], sender=Author)
@receiver([post_save, post_delete], sender=Tag)
def names_changed(sender, **kwargs):
    purge_everything()


@receiver([post_save, post_delete], sender=Policy)
def policy_changed(sender, instance, **kwargs):
    purge([f"policy:{instance.pk}", "corrections"])


def live_surface(article_pk):
    """What shows a live story's entries: its page, its entries' feed and its update endpoint, nothing else."""
    return f"live:{article_pk}"


@receiver([post_save, post_delete], sender=LiveEntry)
def live_entry_changed(sender, instance, **kwargs):
    purge([live_surface(instance.article_id)])


@receiver(m2m_changed, sender=LiveEntry.authors.through)
def live_entry_authors_changed(sender, instance, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"} and isinstance(instance, LiveEntry):
        purge([live_surface(instance.article_id)])


@receiver([post_save, post_delete], sender=LiveCoverage)
def live_coverage_changed(sender, instance, origin=None, **kwargs):
    """Opening or closing coverage changes the story's cards (the "Live" label) as well as its page."""
    story_parts_changed(instance, origin)
    article = Article.objects.filter(pk=instance.article_id).first()
    if article and is_or_was_public(article):
        purge_story(article, live_surface(article.pk))
