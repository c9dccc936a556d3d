"""URLs of run.py's uncached server (bench/yardstick_settings.py): the site's, plus two yardstick views.

- /bench/one-query/<pk>/: the bare view issue 8 measures itself against, a story of about 3 KB from one
  query (`.only(...).get(pk=...)`) in an f-string, no template;
- /bench/article-data/<pk>/: what the article page loads (the story with its bylines, topics and
  corrections, related stories, the navigation: its six queries) returned the same way, no template.

Between them and the article page's row in the same run, the table shows what the framework floor, the
ORM's queries and the page's template each cost. Not part of the site: only run.py serves them.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import include, path
from django.utils.html import escape

from articles.models import Article, Section


def one_query(request, pk):
    story = get_object_or_404(Article.objects.only("headline", "standfirst", "body"), pk=pk)
    return HttpResponse(f"<h1>{escape(story.headline)}</h1><p>{escape(story.standfirst)}</p>{story.body}")


def article_data(request, pk):
    story = get_object_or_404(Article.objects.published().for_detail(), pk=pk)
    related = list(Article.objects.published().related_to(story))
    navigation = list(Section.objects.all())
    return HttpResponse(
        f"<h1>{escape(story.headline)}</h1>{story.body}<p>{len(story.listed_bylines)} bylines, "
        f"{len(story.tags.all())} topics, {len(story.corrections.all())} notes, {len(related)} related, "
        f"{len(navigation)} sections</p>"
    )


handler500 = "newsroom.errors.server_error"
urlpatterns = [
    path("bench/one-query/<int:pk>/", one_query),
    path("bench/article-data/<int:pk>/", article_data),
    path("", include("newsroom.urls")),
]
