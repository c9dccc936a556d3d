"""Story revisions (stored by django-reversion): compare one with the current story, restore it."""

import reversion
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from .forms import readable, word_diff
from .models import Article, Author, Byline, Section, Tag

# What a restore brings back: the words, the placement and the credits. The publishing state
# (status, times) stays as it is, so restoring never publishes or unpublishes anything.
RESTORED_FIELDS = ["headline", "slug", "standfirst", "body", "section", "article_type", "dateline", "source"]


def revision_state(version):
    """The story's fields, tags and bylines as this revision saved them."""
    data = version.field_dict
    state = {name: data.get(name, "") for name in RESTORED_FIELDS if name != "section"}
    state["section"] = Section.objects.filter(pk=data.get("section_id")).first()
    state["tags"] = list(Tag.objects.filter(pk__in=data.get("tags") or []))
    byline_type = ContentType.objects.get_for_model(Byline)
    state["bylines"] = sorted(
        (
            (v.field_dict["position"], v.field_dict["author_id"], v.field_dict["role"])
            for v in version.revision.version_set.filter(content_type=byline_type)
        ),
        key=lambda credit: credit[0],
    )
    return state


def compare_with_current(article, version):
    then = revision_state(version)
    rows = []
    for name in [*RESTORED_FIELDS, "tags"]:
        now_value = list(article.tags.all()) if name == "tags" else getattr(article, name)
        then_text, now_text = readable(name, then[name]), readable(name, now_value)
        label = Article._meta.get_field(name).verbose_name.capitalize()
        rows.append({"label": label, "changed": then_text != now_text, "diff": word_diff(then_text, now_text)})
    return rows


def restore_revision(article, version, user, expected_version):
    """Bring a revision's text back as a new revision; refuse if the story moved on meanwhile."""
    state = revision_state(version)
    with reversion.create_revision():
        for name in RESTORED_FIELDS:
            setattr(article, name, state[name] if name != "section" or state[name] else article.section)
        article.last_edited_by = user
        article.save(expected_version=expected_version)
        article.tags.set(state["tags"])
        article.bylines.all().delete()
        credited = [author_id for _, author_id, _ in state["bylines"]]
        existing_authors = set(Author.objects.filter(pk__in=credited).values_list("pk", flat=True))
        for position, author_id, role in state["bylines"]:
            if author_id in existing_authors:  # a contributor deleted since then cannot be credited again
                Byline.objects.create(article=article, author_id=author_id, role=role, position=position)
        reversion.set_user(user)
        reversion.set_comment(
            f"Restored the revision of {timezone.localtime(version.revision.date_created):%d %b %Y %H:%M}."
        )
    return article
