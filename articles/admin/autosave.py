"""Autosave for the story form: endpoints, the "unsaved changes" offer on the form, and clearing on save.

The story admin wires these in: `autosave_urls()` into `get_urls()`, `autosave_context()` into
`render_change_form()` and `forget_autosaves()` into `save_model()`. The copy is kept as posted and goes
through the story form (validation, sanitising, the version check) only when its owner restores and saves it.
"""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.forms import ModelChoiceField
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from ..forms import readable, word_diff
from ..models import Article, Autosave
from ..sanitize import clean_html

# Seconds of typing before the page sends its copy (static/js/autosave.js waits this long after a change).
QUIET_SECONDS = 15


def autosave_urls(model_admin):
    def view(function):
        return model_admin.admin_site.admin_view(lambda request, **kwargs: function(model_admin, request, **kwargs))

    return [
        path("<int:pk>/autosave/", view(save_autosave), name="articles_article_autosave"),
        path("<int:pk>/autosave/discard/", view(discard_autosave), name="articles_article_discard_autosave"),
        path("autosave/<uuid:key>/", view(save_autosave), name="articles_article_autosave_new"),
        path("autosave/<uuid:key>/discard/", view(discard_autosave), name="articles_article_discard_autosave_new"),
    ]


def posted_fields(request):
    """The form as the browser sent it, without the token and the submit buttons."""
    return {
        name: values
        for name, values in request.POST.lists()
        if name != "csrfmiddlewaretoken" and not name.startswith("_")
    }


def save_autosave(model_admin, request, pk=None, key=None):
    """Keep this person's copy of the story (or of a new story, by the add page's key); the story is untouched."""
    if request.method != "POST":
        raise PermissionDenied
    if pk is None:
        if not model_admin.has_add_permission(request):
            raise PermissionDenied
        autosave, _ = Autosave.objects.update_or_create(
            user=request.user, key=key, defaults={"article": None, "data": posted_fields(request), "base_version": None}
        )
    else:
        article = get_object_or_404(Article, pk=pk)
        if not model_admin.has_change_permission(request, article):
            raise PermissionDenied
        base_version = request.POST.get("base_version", "")
        if not base_version.isdigit():
            return HttpResponseBadRequest("The form is missing the story's version; reload the page.")
        autosave, _ = Autosave.objects.update_or_create(
            user=request.user,
            article=article,
            defaults={"data": posted_fields(request), "base_version": int(base_version)},
        )
    return JsonResponse({"saved_at": timezone.localtime(autosave.saved_at).strftime("%H:%M")})


def discard_autosave(model_admin, request, pk=None, key=None):
    """Throw away this person's copy and reopen the form without it."""
    if request.method != "POST":
        raise PermissionDenied
    if pk is None:
        Autosave.objects.filter(user=request.user, article=None, key=key).delete()
        back = reverse("admin:articles_article_add")
    else:
        article = get_object_or_404(Article, pk=pk)
        if not model_admin.has_view_or_change_permission(request, article):
            raise PermissionDenied
        Autosave.objects.filter(user=request.user, article=article).delete()
        back = reverse("admin:articles_article_change", args=[pk])
    model_admin.message_user(request, "Your unsaved changes were discarded.", messages.SUCCESS)
    return redirect(back)


def page_key(request):
    """The add page's key for its copy, from its address (`?autosave=`), if it is one."""
    try:
        return uuid.UUID(request.GET.get("autosave", ""))
    except ValueError:
        return None


def forget_autosaves(request, article):
    """A save keeps the copy in the story: this person's autosave of it, and of the new story it came from, go."""
    key = page_key(request)
    kept_for_new_story = Q(article=None, key=key) if key else Q(pk__in=[])
    Autosave.objects.filter(Q(article=article) | kept_for_new_story, user=request.user).delete()


def autosave_context(model_admin, request, form, article):
    """Where the page sends its copy, and the copy it offers back (on opening the form, not after a save)."""
    if article is None:
        if not model_admin.has_add_permission(request):
            return {}
        key = page_key(request) or uuid.uuid4()
        mine = Autosave.objects.unsaved_new_stories(request.user)
        offered = (mine.filter(key=key).first() or mine.first()) if request.method == "GET" else None
        context = {
            "autosave_url": reverse("admin:articles_article_autosave_new", args=[key]),
            "autosave_key": key,
        }
    else:
        if not model_admin.has_change_permission(request, article):
            return {}
        offered = None
        if request.method == "GET":
            offered = Autosave.objects.filter(user=request.user, article=article).first()
        context = {"autosave_url": reverse("admin:articles_article_autosave", args=[article.pk])}
    context["autosave_quiet_ms"] = QUIET_SECONDS * 1000
    if offered is not None:
        context["autosave"] = offered
        context["autosave_stale"] = article is not None and offered.base_version != article.version
        context["autosave_changes"] = changes(form, offered)
        context["autosave_offer"] = {
            "key": str(offered.key),
            "url": None if article else reverse("admin:articles_article_autosave_new", args=[offered.key]),
            "base_version": offered.base_version,
            "data": offered.data,
            "labels": choice_labels(form, offered),
        }
        discard = (
            ("admin:articles_article_discard_autosave", [article.pk])
            if article
            else ("admin:articles_article_discard_autosave_new", [offered.key])
        )
        context["autosave_discard_url"] = reverse(discard[0], args=discard[1])
    return context


def as_value(field, value):
    """A field's value as an object the conflict view can read (a section, tags...), or as it came."""
    try:
        return field.clean(field.prepare_value(value))
    except (ValidationError, TypeError, ValueError):
        return value


def changes(form, autosave):
    """Each field the copy holds differently from the form as it opened, with a word diff."""
    typed_data = MultiValueDict(autosave.data)
    found = []
    for name, field in form.fields.items():
        if name == "base_version":
            continue
        initial = form[name].initial
        typed = field.widget.value_from_datadict(typed_data, {}, form.add_prefix(name))
        if not field.has_changed(initial, typed):
            continue
        if name == "body":
            typed = clean_html(typed or "")  # read as the save will keep it
        theirs, yours = readable(name, as_value(field, initial)), readable(name, as_value(field, typed))
        if theirs != yours:
            found.append({"label": field.label or name, "diff": word_diff(theirs, yours)})
    return found


def choice_labels(form, autosave):
    """Names of the sections, tags, photos... the copy chose, for lists that load their choices on demand."""
    labels = {}
    for name, field in form.fields.items():
        values = [value for value in autosave.data.get(form.add_prefix(name), []) if value.isdigit()]
        if isinstance(field, ModelChoiceField) and values:
            labels[name] = {str(obj.pk): str(obj) for obj in field.queryset.filter(pk__in=values)}
    return labels
