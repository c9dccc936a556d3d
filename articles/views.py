from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.sitemaps.views import SitemapIndexItem, sitemap
from django.core.paginator import InvalidPage, Paginator
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import http_date
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import conditional_page
from django.views.generic.dates import ArchiveIndexView, DayArchiveView, MonthArchiveView, YearArchiveView

from .context_processors import sections_with_stories
from .models import EARLIEST_YEAR, LATEST_YEAR, Article, Author, Correction, OldSlug, Policy, Section, Tag
from .pagecache import depends_on
from .preview import article_for_token
from .search import SearchForm, full_text, search_archive
from .site import absolute_url
from .sitemaps import SITEMAPS, MonthSitemap, story_months

PAGE_SIZE = 20


class ListingPaginator(Paginator):
    """Listings go MAX_PAGES deep; older stories are a date archive away. Counting stops there too,
    so a section of a million stories costs no more than one of a thousand."""

    MAX_PAGES = 50

    @cached_property
    def count(self):
        return self.object_list[: self.per_page * self.MAX_PAGES].count()


def paginate(request, queryset):
    """One page of a listing; a missing, malformed or out-of-range page number is a 404."""
    paginator = ListingPaginator(queryset, PAGE_SIZE)
    try:
        return paginator.page(request.GET.get("page", 1))
    except InvalidPage as exc:
        raise Http404("No such page.") from exc


def home(request):
    depends_on(request, "home")
    return render(request, "articles/home.html", Article.objects.published().home_page())


@conditional_page
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
        *(f"author:{byline.author_id}" for byline in article.listed_bylines),
    )
    related = Article.objects.published().related_stored_on(article)
    response = render(request, "articles/article_detail.html", {"article": article, "related": related})
    # conditional_page adds an ETag of the page itself and answers revalidations with 304.
    response["Last-Modified"] = http_date(article.last_modified.timestamp())
    return response


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
    section = get_object_or_404(Section.objects.with_published_stories(), slug=slug)
    depends_on(request, f"section:{section.pk}")
    page = paginate(request, Article.objects.published().filter(section=section).for_listing())
    context = {"section": section, "page": page, "current_section": section.slug}
    return render(request, "articles/section_detail.html", context)


def author_detail(request, slug):
    author = get_object_or_404(Author.objects.with_published_stories(), slug=slug)
    depends_on(request, f"author:{author.pk}")
    page = paginate(request, Article.objects.published().filter(authors=author).distinct().for_listing())
    return render(request, "articles/author_detail.html", {"author": author, "page": page})


def tag_detail(request, slug):
    tag = get_object_or_404(Tag.objects.with_published_stories(), slug=slug)
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


class StoryArchive:
    """Published stories by publication date, paginated like every listing; an empty period is a 404.

    Only the years a story's date may fall in: the views reach for the year after the one asked for,
    which past 9999 Python's dates cannot hold.
    """

    date_field = "published_at"
    paginate_by = PAGE_SIZE
    allow_empty = False
    month_format = "%m"
    template_name = "articles/article_archive.html"

    def get_queryset(self):
        depends_on(self.request, "archive")
        return Article.objects.published().for_listing()

    def get_year(self):
        year = super().get_year()
        if not EARLIEST_YEAR <= int(year) <= LATEST_YEAR:
            raise Http404("No stories in that year.")
        return year


class Archive(StoryArchive, ArchiveIndexView):
    allow_empty = True


class YearArchive(StoryArchive, YearArchiveView):
    make_object_list = True


class MonthArchive(StoryArchive, MonthArchiveView):
    pass


class DayArchive(StoryArchive, DayArchiveView):
    pass


def corrections(request):
    depends_on(request, "corrections")
    page = paginate(request, Correction.objects.public())
    policy = Policy.objects.filter(slug=Policy.CORRECTIONS).first()
    return render(request, "articles/corrections.html", {"page": page, "policy": policy})


def policy_detail(request, slug):
    policy = get_object_or_404(Policy, slug=slug)
    depends_on(request, f"policy:{policy.pk}")
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


@cache_control(max_age=86400)
def favicon(request):
    """Browsers and crawlers ask for /favicon.ico whatever the pages link to: send them to the static icon."""
    return redirect(static("favicon.ico"))


def sitemap_index(request):
    """Django's sitemap index, on SITE_URL rather than the request's host: the sections, then every month.

    Months carry no lastmod: finding each month's last update would read every story; their own entries do.
    """
    depends_on(request, "sitemaps")
    entries = []
    for name, sitemap_class in SITEMAPS.items():
        url = absolute_url(reverse("sitemap", kwargs={"section": name}))
        entries.append(SitemapIndexItem(url, sitemap_class().get_latest_lastmod()))
    for year, month in story_months():
        url = absolute_url(reverse("month_sitemap", kwargs={"year": f"{year:04}", "month": f"{month:02}"}))
        entries.append(SitemapIndexItem(url, None))
    return TemplateResponse(request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml")


def month_sitemap(request, year, month):
    """The stories of one month; a month that cannot exist is a 404."""
    depends_on(request, "sitemaps")
    try:
        month_of_stories = MonthSitemap(int(year), int(month))
    except (ValueError, OverflowError) as exc:
        raise Http404("No such month.") from exc
    return sitemap(request, {"articles": month_of_stories}, section="articles", template_name="articles/sitemap.xml")


def search(request):
    depends_on(request, "search")
    form = SearchForm(request.GET, sections=sections_with_stories(request))
    context = {"form": form, "full_text": full_text()}
    if not form.is_valid():
        return render(request, "articles/search.html", context, status=400)
    query = form.cleaned_data["q"]
    results = search_archive(page_number=request.GET.get("page"), **form.cleaned_data) if query else None
    return render(request, "articles/search.html", {**context, "query": query, "results": results})
