from django.core.paginator import InvalidPage, Paginator
from django.db import DatabaseError, connection
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from .models import Article, Author, Section, Tag
from .search import SearchForm, search_archive

PAGE_SIZE = 20


def paginate(request, queryset):
    """One page of a listing; a missing, malformed or out-of-range page number is a 404."""
    paginator = Paginator(queryset, PAGE_SIZE)
    try:
        return paginator.page(request.GET.get("page", 1))
    except InvalidPage as exc:
        raise Http404("No such page.") from exc


def home(request):
    stories = list(Article.objects.published().for_listing()[: PAGE_SIZE + 1])
    lead, latest = (stories[0], stories[1:]) if stories else (None, [])
    return render(request, "articles/home.html", {"lead": lead, "latest": latest})


def article_detail(request, section, slug):
    article = get_object_or_404(
        Article.objects.published().for_listing().prefetch_related("tags", "corrections"),
        slug=slug,
    )
    if article.section.slug != section:
        return redirect(article, permanent=True)
    return render(request, "articles/article_detail.html", {"article": article})


def section_detail(request, slug):
    section = get_object_or_404(Section, slug=slug)
    page = paginate(request, Article.objects.published().filter(section=section).for_listing())
    return render(request, "articles/section_detail.html", {"section": section, "page": page})


def author_detail(request, slug):
    author = get_object_or_404(Author, slug=slug)
    page = paginate(request, Article.objects.published().filter(authors=author).distinct().for_listing())
    return render(request, "articles/author_detail.html", {"author": author, "page": page})


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    page = paginate(request, Article.objects.published().filter(tags=tag).for_listing())
    return render(request, "articles/tag_detail.html", {"tag": tag, "page": page})


def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok"})


def search(request):
    form = SearchForm(request.GET)
    if not form.is_valid():
        return render(request, "articles/search.html", {"form": form}, status=400)
    query = form.cleaned_data["q"]
    results = search_archive(page_number=request.GET.get("page"), **form.cleaned_data) if query else None
    return render(request, "articles/search.html", {"form": form, "query": query, "results": results})
