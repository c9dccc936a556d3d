from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.sitemaps.views import SitemapIndexItem, sitemap
from django.core.paginator import InvalidPage, Page, Paginator
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import http_date
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import conditional_page
from django.views.generic.dates import ArchiveIndexView, DayArchiveView, MonthArchiveView, YearArchiveView

from newsroom.replicas import reads_primary

from . import cards, listing_read, live_read, readpath
from .context_processors import sections_with_stories
from .models import EARLIEST_YEAR, LATEST_YEAR, Article, Author, Correction, OldSlug, Policy, Section, Tag
from .models.gate import shown_on_home
from .pagecache import depends_on
from .preview import article_for_token
from .publishing import live_surface
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
    if readpath.supported():
        page = listing_read.home_page(timezone.now())
    else:
        page = Article.objects.published().home_page()
        live_read.mark_open_coverage(shown_on_home(page))
    return render(request, "articles/home.html", page)


@conditional_page
def article_detail(request, section, slug):
    article, related = story_with_related(slug)
    if article is None:
        # A story whose slug changed after readers saw it keeps its old address.
        old = get_object_or_404(OldSlug.objects.select_related("article"), slug=slug)
        if not old.article.is_published():
            raise Http404("No such story.")
        return redirect(old.article, permanent=True)
    if article.section.slug != section:
        return redirect(article, permanent=True)
    live, last_modified = None, article.last_modified
    if article.article_type == Article.Type.LIVE:
        try:
            live = live_read.live_page(article, timezone.now(), at=request.GET.get("at"))
        except live_read.NoSuchEntry as exc:
            raise Http404("No such update in this story.") from exc
        last_modified = max(filter(None, [last_modified, live_read.last_changed(live)]))
    depends_on(
        request,
        f"article:{article.pk}",
        f"section:{article.section_id}",
        *(f"tag:{tag.pk}" for tag in article.tags.all()),
        *(f"author:{byline.author_id}" for byline in article.listed_bylines),
        *([live_surface(article.pk)] if live else []),
    )
    context = {"article": article, "related": related, "live": live}
    response = render(request, "articles/article_detail.html", context)
    # conditional_page adds an ETag of the page itself and answers revalidations with 304.
    response["Last-Modified"] = http_date(last_modified.timestamp())
    return response


@conditional_page
def live_updates(request, section, slug):
    """What changed in a live story after `since` (the `version` its page or the last answer gave), as JSON.

    Every reader who is up to date asks for the same URL: the page cache and the nginx front keep one
    answer for all of them until a changed entry purges it. conditional_page answers revalidations with 304.
    """
    article = live_read.live_story(section, slug)
    since = request.GET.get("since", "0")
    if not (since.isascii() and since.isdigit()) or len(since) > 20:
        return JsonResponse({"error": "“since” must be the version number a previous answer gave."}, status=400)
    depends_on(request, f"article:{article.pk}", live_surface(article.pk))
    return JsonResponse(live_read.updates(article, int(since), timezone.now()))


def story_with_related(slug):
    """The published story at `slug`, ready for its page, and its related stories; (None, None) if none."""
    if readpath.supported():
        return readpath.article_page(slug, timezone.now()) or (None, None)
    article = Article.objects.published().for_detail().filter(slug=slug).first()
    return article, article and Article.objects.published().related_stored_on(article)


def render_preview(request, article):
    live = None
    if article.article_type == Article.Type.LIVE:
        try:
            live = live_read.live_page(article, timezone.now(), at=request.GET.get("at"), preview=True)
        except live_read.NoSuchEntry as exc:
            raise Http404("No such update in this story.") from exc
    context = {"article": article, "preview": True, "live": live}
    response = render(request, "articles/article_detail.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@staff_member_required
@reads_primary
def article_preview(request, pk):
    """An editor's preview of any story, in the real public template."""
    if not request.user.has_perm("articles.view_article"):
        raise Http404("No such story.")
    return render_preview(request, get_object_or_404(Article.objects.for_detail(), pk=pk))


@never_cache
@reads_primary
def article_preview_link(request, token):
    """A shared preview: anyone with a valid, unexpired, unrevoked link reads that one story."""
    article = article_for_token(token)
    if article is None:
        raise Http404("This preview link is not valid any more.")
    return render_preview(request, article)


def section_detail(request, slug):
    if readpath.supported():
        section, page = section_from_read_path(request, slug)
    else:
        section = get_object_or_404(Section.objects.with_published_stories(), slug=slug)
        page = paginate(request, Article.objects.published().filter(section=section).for_listing())
        live_read.mark_open_coverage(page.object_list)
    depends_on(request, f"section:{section.pk}")
    context = {"section": section, "page": page, "current_section": section.slug}
    return render(request, "articles/section_detail.html", context)


def section_from_read_path(request, slug):
    """`section_detail`'s section and page of stories in one query (articles/listing_read.py), or a 404."""
    try:
        number = int(request.GET.get("page", 1))
    except ValueError as exc:
        raise Http404("No such page.") from exc
    most = ListingPaginator.MAX_PAGES * PAGE_SIZE
    found = 1 <= number <= ListingPaginator.MAX_PAGES and listing_read.section_page(
        slug, number, PAGE_SIZE, most, timezone.now()
    )
    if not found:
        raise Http404("No such section or page.")
    section, count, stories = found
    paginator = ListingPaginator([], PAGE_SIZE)
    paginator.count = count
    try:
        return section, Page(stories, paginator.validate_number(number), paginator)
    except InvalidPage as exc:
        raise Http404("No such page.") from exc


def listed(page):
    """A page of a listing read with `for_cards()`, its stories as the page prints them (articles/cards.py)."""
    page.object_list = cards.listed(page.object_list)
    return page


def author_detail(request, slug):
    author = get_object_or_404(Author.objects.with_published_stories(), slug=slug)
    depends_on(request, f"author:{author.pk}")
    page = listed(paginate(request, Article.objects.published().filter(authors=author).distinct().for_cards()))
    return render(request, "articles/author_detail.html", {"author": author, "page": page})


def tag_detail(request, slug):
    tag = get_object_or_404(Tag.objects.with_published_stories(), slug=slug)
    depends_on(request, f"tag:{tag.pk}")
    page = listed(paginate(request, Article.objects.published().filter(tags=tag).for_cards()))
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
        return Article.objects.published().for_cards()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        listed(context["page_obj"])
        return context

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
