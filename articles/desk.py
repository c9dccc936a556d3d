"""The desk: what the admin's first screen lists for an editor or a reporter, each list one query."""

from datetime import timedelta

from django.db import models
from django.utils import timezone

from .models import Article, Autosave, Correction, EditingPresence, StatusChange

AHEAD = timedelta(hours=48)
# Each list shows this many; the story list's filters show the rest.
DESK_LIST_LENGTH = 15
DESK_CORRECTIONS = 8


def last_status_change(field):
    """A story's newest status-log entry's `field`, as a subquery for annotating stories."""
    newest = StatusChange.objects.filter(article=models.OuterRef("pk")).order_by("-changed_at", "-id")
    return models.Subquery(newest.values(field)[:1])


def last_submission(field):
    submissions = StatusChange.objects.filter(article=models.OuterRef("pk"), to_status=Article.Status.REVIEW)
    return models.Subquery(submissions.order_by("-changed_at", "-id").values(field)[:1])


def with_submission(stories):
    """Stories with who last submitted them for review (`submitted_by`) and when (`submitted_at`)."""
    return stories.annotate(
        submitted_at=last_submission("changed_at"), submitted_by=last_submission("changed_by__username")
    )


def with_last_change(stories):
    """Stories with their newest status-log entry: who moved them, when, from what, and the note."""
    return stories.annotate(
        moved_from=last_status_change("from_status"),
        moved_by=last_status_change("changed_by__username"),
        moved_at=last_status_change("changed_at"),
        move_note=last_status_change("note"),
    )


def listed(stories):
    return list(stories.select_related("section")[:DESK_LIST_LENGTH])


def editor_desk(user, now):
    stories = Article.objects.all()
    start_of_day = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    fresh_since = now - timedelta(seconds=EditingPresence.STALE_AFTER_SECONDS)
    return {
        "in_review": listed(with_submission(stories.filter(status=Article.Status.REVIEW)).order_by("submitted_at")),
        "scheduled": listed(stories.scheduled().filter(published_at__lte=now + AHEAD).order_by("published_at")),
        "my_stories": listed(stories.owned_by(user).order_by("-modified_at")),
        "assigned_to_me": listed(stories.filter(assigned_to=user).order_by("-modified_at")),
        "published_today": listed(stories.published().filter(published_at__gte=start_of_day)),
        "expiring": listed(
            stories.filter(status=Article.Status.PUBLISHED, expires_at__gt=now, expires_at__lte=now + AHEAD).order_by(
                "expires_at"
            )
        ),
        "corrections": list(Correction.objects.select_related("article", "created_by")[:DESK_CORRECTIONS]),
        "editing_now": list(
            EditingPresence.objects.filter(seen_at__gte=fresh_since)
            .select_related("user", "article")
            .order_by("article__headline", "opened_at")
        ),
    }


def reporter_desk(user):
    own = Article.objects.owned_by(user)
    drafts = with_last_change(own.filter(status=Article.Status.DRAFT)).order_by("-modified_at")
    sent_back = drafts.filter(moved_from=Article.Status.REVIEW)
    return {
        "my_stories": listed(drafts.exclude(pk__in=sent_back.values("pk"))),
        "sent_back": listed(sent_back.order_by("-moved_at")),
        "submitted": listed(with_submission(own.filter(status=Article.Status.REVIEW)).order_by("-submitted_at")),
        "published": listed(own.filter(status=Article.Status.PUBLISHED)),
    }


def desk_for(user):
    """The desk's lists for `user`: an editor's (they may publish) or a reporter's.

    `never_saved` are stories typed on the add page and autosaved but never saved, shown under "My stories".
    """
    may_publish = user.has_perm("articles.publish_article")
    lists = editor_desk(user, timezone.now()) if may_publish else reporter_desk(user)
    never_saved = list(Autosave.objects.unsaved_new_stories(user)[:DESK_LIST_LENGTH])
    return {"desk": {"for_editor": may_publish, "never_saved": never_saved, **lists}}
