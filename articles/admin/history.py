from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from reversion.admin import VersionAdmin
from reversion.models import Version

from ..models import Article, StaleArticle
from ..revisions import compare_with_current, describe_revision, recover_story, restore_revision


class StoryHistoryAdmin(VersionAdmin):
    """A story's revisions compared and restored, and deleted stories recovered, on django-reversion's records.

    django-reversion's own recover and revert views revert the database rows and then save through the
    change form, judged against the reverted row instead of the current one: they are replaced here. The
    admin using this mixin provides `has_publish_permission()`.
    """

    history_latest_first = True

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """One revision beside the current story, with a restore button (django-reversion stores them)."""
        article = self.get_object(request, unquote(object_id))
        if article is None or not self.has_view_or_change_permission(request, article):
            raise Http404("No such story.")
        version = get_object_or_404(Version.objects.get_for_object(article), pk=version_id)
        can_restore = self.has_change_permission(request, article)
        if request.method == "POST":
            if not can_restore:
                raise PermissionDenied
            try:
                restore_revision(article, version, request.user, expected_version=int(request.POST["base_version"]))
            except (KeyError, ValueError, StaleArticle):
                self.message_user(
                    request,
                    "The story changed while you were comparing; compare again before restoring.",
                    messages.ERROR,
                )
                return redirect(request.path)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return redirect(request.path)
            self.message_user(request, f"Restored the revision of {version.revision.date_created:%d %b %Y %H:%M}.")
            return redirect("admin:articles_article_change", article.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Revision of “{article}”",
            "article": article,
            "version": version,
            "rows": compare_with_current(article, version, request.user),
            "can_restore": can_restore,
        }
        return TemplateResponse(request, "admin/articles/article/revision.html", context)

    def has_recover_permission(self, request):
        """Deleted stories are seen and brought back only by people who may publish."""
        return self.has_add_permission(request) and self.has_publish_permission(request)

    def changelist_view(self, request, extra_context=None):
        # django-reversion's change list offers "Recover deleted articles" to everyone who may change stories.
        context = {"has_change_permission": self.has_recover_permission(request), **(extra_context or {})}
        return super().changelist_view(request, context)

    def recoverlist_view(self, request, extra_context=None):
        if not self.has_recover_permission(request):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        """A deleted story as one of its revisions saved it, with a button to bring it back as a draft."""
        if not self.has_recover_permission(request):
            raise PermissionDenied
        version = get_object_or_404(Version.objects.get_for_model(Article), pk=version_id)
        if Article.objects.filter(pk=version.object_id).exists():
            raise Http404("This story was not deleted; compare and restore its revisions from its history.")
        if request.method == "POST":
            try:
                article = recover_story(version, request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return redirect("admin:articles_article_recoverlist")
            self.message_user(request, f"Recovered “{article}” as a draft. Publish it again from here when ready.")
            return redirect("admin:articles_article_change", article.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Recover “{version.object_repr}”",
            "version": version,
            "rows": describe_revision(version),
        }
        return TemplateResponse(request, "admin/articles/article/recover.html", context)
