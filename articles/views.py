from django.contrib.sitemaps.views import SitemapIndexItem
from django.core.paginator import InvalidPage, Paginator
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import http_date
from django.views.decorators.http import conditional_page
from django.views.generic.dates import ArchiveIndexView, DayArchiveView, MonthArchiveView, YearArchiveView

from .models import Article, Author, Correction, Policy, Section, Tag
from .site import absolute_url
from .sitemaps import SITEMAPS

PAGE_SIZE = 20


def paginate(request, queryset):
    """One page of a listing; a missing, malformed or out-of-range page number is a 404."""
    paginator = Paginator(queryset, PAGE_SIZE)
    try:
        return paginator.page(request.GET.get("page", 1))
    except InvalidPage as exc:
        raise Http404("No such page.") from exc


def home(request):
    return render(request, "articles/home.html", Article.objects.published().for_listing().home_page())


@conditional_page
def article_detail(request, section, slug):
    article = get_object_or_404(
        Article.objects.published().for_listing().prefetch_related("tags", "corrections"),
        slug=slug,
    )
    if article.section.slug != section:
        return redirect(article, permanent=True)
    related = Article.objects.published().related_to(article)
    response = render(request, "articles/article_detail.html", {"article": article, "related": related})
    # conditional_page adds an ETag of the page itself and answers revalidations with 304.
    response["Last-Modified"] = http_date(article.last_modified.timestamp())
    return response


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


class StoryArchive:
    """Published stories by publication date, paginated like every listing; an empty period is a 404."""

    date_field = "published_at"
    paginate_by = PAGE_SIZE
    allow_empty = False
    month_format = "%m"
    template_name = "articles/article_archive.html"

    def get_queryset(self):
        return Article.objects.published().for_listing()


class Archive(StoryArchive, ArchiveIndexView):
    allow_empty = True


class YearArchive(StoryArchive, YearArchiveView):
    make_object_list = True


class MonthArchive(StoryArchive, MonthArchiveView):
    pass


class DayArchive(StoryArchive, DayArchiveView):
    pass


def corrections(request):
    page = paginate(request, Correction.objects.public())
    policy = Policy.objects.filter(slug=Policy.CORRECTIONS).first()
    return render(request, "articles/corrections.html", {"page": page, "policy": policy})


def policy_detail(request, slug):
    policy = get_object_or_404(Policy, slug=slug)
    return render(request, "articles/policy_detail.html", {"policy": policy})


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /ckeditor/",
        f"Sitemap: {absolute_url(reverse('sitemap_index'))}",
        f"Sitemap: {absolute_url(reverse('news_sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def sitemap_index(request):
    """Django's sitemap index, but with URLs on SITE_URL rather than the request's host."""
    entries = []
    for name, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        url = absolute_url(reverse("sitemap", kwargs={"section": name}))
        lastmod = sitemap.get_latest_lastmod()
        entries.append(SitemapIndexItem(url, lastmod))
        entries += [SitemapIndexItem(f"{url}?p={n}", lastmod) for n in range(2, sitemap.paginator.num_pages + 1)]
    return TemplateResponse(request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml")
