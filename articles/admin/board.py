"""The home page board: which story holds the lead and each featured place; editors move them."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from ..models import Article
from ..models.gate import HOME_FEATURED_STORIES

HOME_PLACES = range(1, HOME_FEATURED_STORIES + 2)  # 1 leads, the rest are featured under it
BOARD_CANDIDATES = 100


class HomePlaceForm(forms.Form):
    place = forms.TypedChoiceField(coerce=int, choices=[(place, place) for place in HOME_PLACES])
    story = forms.ModelChoiceField(queryset=Article.objects.all(), error_messages={"invalid_choice": "No such story."})


def place_name(place):
    return "the lead" if place == 1 else f"featured place {place}"


def home_board_view(model_admin, request):
    """The places with their stories; a place already taken is given away only once the editor confirms."""
    if not request.user.has_perm("articles.publish_article"):
        raise PermissionDenied
    form = HomePlaceForm(request.POST or None)
    if request.method == "POST" and "clear" in request.POST:
        story = Article.objects.filter(pk=request.POST["clear"] if request.POST["clear"].isdigit() else None).first()
        if story is not None and story.home_rank is not None:
            story.leave_home_place(request.user)
            model_admin.message_user(request, f"“{story}” is off the home page's places.", messages.SUCCESS)
        return redirect("admin:articles_article_home_board")
    if form.is_valid():
        place, story = form.cleaned_data["place"], form.cleaned_data["story"]
        holder = Article.objects.holding_home_place(place).exclude(pk=story.pk).first()
        if holder is not None and request.POST.get("confirm") != "yes":
            context = {
                **model_admin.admin_site.each_context(request),
                "opts": Article._meta,
                "title": f"Which story moves off {place_name(place)}?",
                "place": place,
                "story": story,
                "holder": holder,
            }
            return TemplateResponse(request, "admin/articles/article/home_board_confirm.html", context)
        moved = story.take_home_place(place, request.user)
        note = f" “{moved}” no longer holds it." if moved else ""
        model_admin.message_user(request, f"“{story}” now holds {place_name(place)}.{note}", messages.SUCCESS)
        return redirect("admin:articles_article_home_board")
    placed = list(Article.objects.filter(home_rank__in=HOME_PLACES).select_related("section").order_by("pk"))
    candidates = (Article.objects.published() | Article.objects.scheduled()).order_by("-published_at", "-id")
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Article._meta,
        "title": "Home page board",
        "form": form,
        "places": [
            {"number": place, "name": place_name(place), "stories": [s for s in placed if s.home_rank == place]}
            for place in HOME_PLACES
        ],
        "candidates": candidates.only("headline", "status", "published_at", "expires_at")[:BOARD_CANDIDATES],
    }
    return TemplateResponse(request, "admin/articles/article/home_board.html", context)
