"""Story revisions (stored by django-reversion): compare one with the current story, restore it, recover a deleted one.

The revision page shows `revision_state` and a restore applies that same state, so what an editor
compared is exactly what comes back. Restoring and recovering save through `Article.save`: the version
moves forward, a status change is logged and the cached pages are purged, as for any other save.
"""

import reversion
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.text import capfirst
from reversion.models import Version

from images.models import Image

from .forms import readable, word_diff
from .models import Article, Author, Byline, Correction, Section, Tag

# What a restore brings back: the words, the picture, the placement and the credits. The publishing
# state (status and times) stays as it is, so restoring never publishes or unpublishes anything.
TEXT_FIELDS = ["headline", "slug", "standfirst", "body", "article_type", "dateline", "source"]
TEXT_FIELDS += Article.SEARCH_AND_SOCIAL
COMPARED = ["headline", "slug", "standfirst", "body", "lead_image", "section", "article_type", "tags", "dateline"]
COMPARED += ["source", "home_rank", "bylines", *Article.SEARCH_AND_SOCIAL]
# Placing a story on the home page is for people who may publish.
PUBLISHERS_ONLY = {"home_rank"}


def revision_state(version, article=None):
    """What this revision restores, as rows that exist now.

    A tag, contributor or picture deleted since cannot come back and is left out; a section deleted
    since leaves the story in its current one.
    """
    data = version.field_dict
    state = {name: data.get(name) or "" for name in TEXT_FIELDS}
    state["home_rank"] = data.get("home_rank")
    state["lead_image"] = Image.objects.filter(pk=data.get("lead_image_id")).first()
    state["section"] = Section.objects.filter(pk=data.get("section_id")).first() or (article and article.section)
    state["tags"] = list(Tag.objects.filter(pk__in=data.get("tags") or []))
    state["bylines"] = saved_bylines(version)
    return state


def saved_bylines(version):
    """The story's credits in this revision, in their order, as unsaved Byline rows."""
    byline_type = ContentType.objects.get_for_model(Byline)
    # One revision can hold several stories (a bulk action saves them together): keep this story's.
    saved = [
        (v.field_dict, int(v.object_id))
        for v in version.revision.version_set.filter(content_type=byline_type)
        if str(v.field_dict["article_id"]) == version.object_id
    ]
    authors = Author.objects.in_bulk([data["author_id"] for data, _ in saved])
    credits = sorted((data["position"], byline_id, data) for data, byline_id in saved if data["author_id"] in authors)
    return [
        Byline(author=authors[data["author_id"]], role=data["role"], position=position) for position, _, data in credits
    ]


def may_place(user):
    return user.has_perm("articles.publish_article")


def compare_with_current(article, version, user):
    """One row per restorable field: the words only in the revision, the words only in the story now."""
    then = revision_state(version, article)
    now = {name: getattr(article, name) for name in COMPARED if name not in {"tags", "bylines"}}
    now["tags"] = list(article.tags.all())
    now["bylines"] = list(article.bylines.select_related("author"))
    rows = []
    for name in COMPARED:
        then_text, now_text = readable(name, then[name]), readable(name, now[name])
        rows.append(
            {
                "label": label_for(name),
                "changed": then_text != now_text,
                "kept": name in PUBLISHERS_ONLY and not may_place(user),
                "diff": word_diff(then_text, now_text),
            }
        )
    return rows


def describe_revision(version):
    """A deleted story as this revision saved it, one row per field."""
    state = revision_state(version)
    return [{"label": label_for(name), "text": readable(name, state[name])} for name in COMPARED]


def label_for(name):
    return "Bylines" if name == "bylines" else capfirst(Article._meta.get_field(name).verbose_name)


def restore_revision(article, version, user, expected_version):
    """Bring a revision back as a new revision; refuse (StaleArticle) if the story moved on meanwhile.

    Raises ValidationError, with nothing changed, when the revision's address now belongs to another story.
    """
    state = revision_state(version, article)
    when = timezone.localtime(version.revision.date_created)
    check_address_is_free(state["slug"], article.pk, "Not restored")
    try:
        with reversion.create_revision():
            apply(state, article, user)
            article.save(expected_version=expected_version)
            credit(article, state)
            reversion.set_user(user)
            reversion.set_comment(f"Restored the revision of {when:%d %b %Y %H:%M}.")
    except IntegrityError as error:  # another story took the address a moment ago
        raise ValidationError(f"Not restored: another story now uses the address “{state['slug']}”.") from error
    return article


def recover_story(version, user):
    """Bring a deleted story back from one of its revisions, under its old id, as a draft nobody reads yet."""
    state = revision_state(version)
    if state["section"] is None:
        raise ValidationError("Not recovered: the story's section has been deleted since. Create it again first.")
    check_address_is_free(state["slug"], None, "Not recovered")
    # Editors who still have the old story open must not be able to save over the recovered one.
    versions_seen = Version.objects.get_for_object_reference(Article, version.object_id)
    last_seen = max(v.field_dict.get("version") or 0 for v in versions_seen)
    article = Article(pk=int(version.object_id), status=Article.Status.DRAFT, created_by=user, version=last_seen + 1)
    when = timezone.localtime(version.revision.date_created)
    try:
        with reversion.create_revision():
            apply(state, article, user)
            article.save()
            credit(article, state)
            correction_type = ContentType.objects.get_for_model(Correction)
            for saved in version.revision.version_set.filter(content_type=correction_type):
                data = saved.field_dict
                if str(data["article_id"]) == version.object_id:
                    writer = get_user_model().objects.filter(pk=data["created_by_id"]).first()
                    fields = {name: data[name] for name in ["kind", "note", "created_at"]}
                    Correction.objects.create(article=article, created_by=writer, **fields)
            reversion.set_user(user)
            reversion.set_comment(f"Recovered as a draft from the revision of {when:%d %b %Y %H:%M}.")
    except IntegrityError as error:
        raise ValidationError(f"Not recovered: another story now uses the address “{state['slug']}”.") from error
    return article


def check_address_is_free(slug, pk, refusal):
    holder = Article.objects.exclude(pk=pk).filter(slug=slug).first()
    if holder is not None:
        raise ValidationError(
            f"{refusal}: the address “{slug}” now belongs to another story, “{holder}”. "
            "Change that story's address first. Nothing was changed."
        )


def apply(state, article, user):
    for name in [*TEXT_FIELDS, "lead_image", "section", "home_rank"]:
        if name not in PUBLISHERS_ONLY or may_place(user):
            setattr(article, name, state[name])
    article.last_edited_by = user


def credit(article, state):
    article.tags.set(state["tags"])
    article.bylines.all().delete()
    for byline in state["bylines"]:
        Byline.objects.create(article=article, author=byline.author, role=byline.role, position=byline.position)
