from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import InvalidPage, Paginator
from django.db import DatabaseError, connection
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from .models import Article, Author, OldSlug, Section, Tag
from .pagecache import depends_on
from .preview import article_for_token

PAGE_SIZE = 20


def paginate(request, queryset):
    """One page of a listing; a missing, malformed or out-of-range page number is a 404."""
    paginator = Paginator(queryset, PAGE_SIZE)
    try:
        return paginator.page(request.GET.get("page", 1))
    except InvalidPage as exc:
        raise Http404("No such page.") from exc


def home(request):
    depends_on(request, "home")
    stories = list(Article.objects.published().for_listing()[: PAGE_SIZE + 1])
    lead, latest = (stories[0], stories[1:]) if stories else (None, [])
    return render(request, "articles/home.html", {"lead": lead, "latest": latest})


def article_detail(request, section, slug):
    article = Article.objects.published().for_detail().filter(slug=slug).first()
    if article is None:
        # A story whose slug changed after readers saw it keeps its old address.
        old = get_object_or_404(OldSlug.objects.select_related("article"), slug=slug)
        if not old.article.is_published():
            raise Http404("No such story.")
        return redirect(old.article, permanent=True)
    if article.section.slug != section:
        return redirect(article, permanent=True)
    depends_on(
        request,
        f"article:{article.pk}",
        f"section:{article.section_id}",
        *(f"tag:{tag.pk}" for tag in article.tags.all()),
        *(f"author:{byline.author_id}" for byline in article.bylines.all()),
    )
    return render(request, "articles/article_detail.html", {"article": article})


def render_preview(request, article):
    response = render(request, "articles/article_detail.html", {"article": article, "preview": True})
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@staff_member_required
def article_preview(request, pk):
    """An editor's preview of any story, in the real public template."""
    if not request.user.has_perm("articles.view_article"):
        raise Http404("No such story.")
    return render_preview(request, get_object_or_404(Article.objects.for_detail(), pk=pk))


@never_cache
def article_preview_link(request, token):
    """A shared preview: anyone with a valid, unexpired, unrevoked link reads that one story."""
    article = article_for_token(token)
    if article is None:
        raise Http404("This preview link is not valid any more.")
    return render_preview(request, article)


def section_detail(request, slug):
    section = get_object_or_404(Section, slug=slug)
    depends_on(request, f"section:{section.pk}")
    page = paginate(request, Article.objects.published().filter(section=section).for_listing())
    return render(request, "articles/section_detail.html", {"section": section, "page": page})


def author_detail(request, slug):
    author = get_object_or_404(Author, slug=slug)
    depends_on(request, f"author:{author.pk}")
    page = paginate(request, Article.objects.published().filter(authors=author).distinct().for_listing())
    return render(request, "articles/author_detail.html", {"author": author, "page": page})


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    depends_on(request, f"tag:{tag.pk}")
    page = paginate(request, Article.objects.published().filter(tags=tag).for_listing())
    return render(request, "articles/tag_detail.html", {"tag": tag, "page": page})


def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok"})
