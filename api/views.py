"""The content API's operations (django-ninja), each answering GET and HEAD, revalidated by ETag (304).

Each declares the surfaces it shows, as the pages do (articles/pagecache.py), so the page cache keeps its
answers until a change to one of them purges it: lists of stories are feeds ("feeds", bumped by any public
story's change), a story is its page's surfaces, search is "search", and every answer shows names ("site").
"""

import json

from django.db.models import Q
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.http import http_date
from django.views.decorators.http import conditional_page
from ninja import Query, Router
from ninja.decorators import decorate_view

from articles import live_read, readpath
from articles.models import Article, Author, Section, Tag
from articles.pagecache import depends_on
from articles.publishing import live_surface
from articles.search import SearchForm, search_archive
from articles.site import absolute_url

from . import cursors, http, listing, ninjs, stories
from .listing import BadFilter
from .schemas import (
    AuthorPage,
    Error,
    Index,
    LiveEntryPage,
    SearchPage,
    SectionList,
    Story,
    StoryPage,
    TopicPage,
)
from .schemas import Ninjs as NinjsItem
from .schemas import NinjsPage as NinjsList

router = Router()
BIGGEST_KEY = cursors.BIGGEST_KEY
FORMAT = Query(None, description="`ninjs` for IPTC ninjs 2.1 (as does `Accept: application/ninjs+json`), or `json`.")
CURSOR = Query(None, description="From the previous page's `next_cursor` (or follow its `next` URL).")
LIMIT = Query(None, description=f"Items a page: 1 to {listing.MOST_LIMIT}, {listing.DEFAULT_LIMIT} by default.")
SLUG = "A slug, as in the item's `slug`."


def read(path, schema, url_name, ninjs_schema=None, **extra):
    """An operation for GET (and HEAD, left out of the schema) at `path`, answering `schema`, its errors as
    `Error`, with ETag and 304."""
    responses = {200: schema, 400: Error, 404: Error, 429: Error}
    if ninjs_schema:
        ninjs_content = {http.NINJS if ninjs_schema is NinjsItem else http.JSON: {"schema": ref(ninjs_schema)}}
        extra["openapi_extra"] = {"responses": {200: {"content": ninjs_content}}}

    def decorate(view):
        view = decorate_view(conditional_page)(view)
        router.add_api_operation(path, ["HEAD"], view, response=responses, url_name=url_name, include_in_schema=False)
        return router.api_operation(["GET"], path, response=responses, url_name=url_name, **extra)(view)

    return decorate


def ref(schema):
    return {"$ref": f"#/components/schemas/{schema.__name__}"}


def format_asked(request, format):
    if format is not None and format not in http.FORMATS:
        raise BadFilter("format", f"“format” is one of: {', '.join(http.FORMATS)}.")
    return http.wants_ninjs(request)


def following(request, cursor):
    """The URL of the page after this one: the same request with the cursor after its last item."""
    if cursor is None:
        return None
    query = request.GET.copy()
    query["cursor"] = cursor
    return absolute_url(f"{request.path}?{query.urlencode()}")


def ninjs_response(data):
    return HttpResponse(json.dumps(data), content_type=http.NINJS)


@read("", Index, "index", summary="What this API offers")
def index(request):
    depends_on(request)
    names = {"openapi": "openapi-json", "docs": "openapi-view"}
    return {
        name: stories.api_url(names.get(name, name))
        for name in ("stories", "sections", "authors", "topics", "search", "openapi", "docs")
    }


@read("stories/", StoryPage, "stories", ninjs_schema=NinjsList, summary="Published stories, newest first")
def story_list(
    request,
    section: str | None = Query(None, description=SLUG),
    tag: str | None = Query(None, description=f"A topic. {SLUG}"),
    author: str | None = Query(None, description=SLUG),
    story_type: str | None = Query(None, alias="type", description="news, analysis, opinion, review, explainer, live"),
    published_after: str | None = Query(None, description="From this date or time (ISO 8601), inclusive."),
    published_before: str | None = Query(None, description="Before this date or time (ISO 8601)."),
    updated_since: str | None = Query(None, description="Changed (saved or corrected) at or after this time."),
    cursor: str | None = CURSOR,
    limit: str | None = LIMIT,
    format: str | None = FORMAT,
):
    full = format_asked(request, format)
    filters = listing.story_filters(
        section, tag, author, story_type, published_after, published_before, updated_since, cursor, limit
    )
    depends_on(request, "feeds")
    found, after = listing.stories_page(filters, timezone.now(), full=full)
    page = {"next": following(request, after), "next_cursor": after}
    if full:
        return HttpResponse(
            json.dumps({"items": [ninjs.story(story) for story in found], **page}), content_type=http.JSON
        )
    live_read.mark_open_coverage(found)
    return {"items": [stories.card(story) for story in found], **page}


def published_story(id):
    """The published story with key `id`, with everything its page shows, and its related stories; or 404."""
    if not 0 < id <= BIGGEST_KEY:
        raise Http404("No such story.")
    now = timezone.now()
    if readpath.supported():
        found = readpath.article_page(id, now, by="id")
        if found is None:
            raise Http404("No such story.")
        return found
    article = Article.objects.published(at=now).for_detail().filter(pk=id).first()
    if article is None:
        raise Http404("No such story.")
    return article, Article.objects.published(at=now).related_stored_on(article)


@read("stories/{int:id}/", Story, "story", ninjs_schema=NinjsItem, summary="One published story")
def story_detail(request, response: HttpResponse, id: int, format: str | None = FORMAT):
    full = format_asked(request, format)
    article, related = published_story(id)
    depends_on(
        request,
        f"article:{article.pk}",
        f"section:{article.section_id}",
        *(f"tag:{tag.pk}" for tag in article.tags.all()),
        *(f"author:{byline.author_id}" for byline in article.listed_bylines),
    )
    last_modified = http_date(article.last_modified.timestamp())
    if full:
        answer = ninjs_response(ninjs.story(article))
        answer["Last-Modified"] = last_modified
        return answer
    live_read.mark_open_coverage([article])
    response["Last-Modified"] = last_modified  # ninja copies it onto the JSON answer
    return stories.story(article, related)


@read("stories/{int:id}/entries/", LiveEntryPage, "entries", summary="A live story's entries, newest first")
def live_entries(request, id: int, cursor: str | None = CURSOR):
    if not 0 < id <= BIGGEST_KEY:
        raise Http404("No such live story.")
    now = timezone.now()
    article = Article.objects.published(at=now).select_related("section").filter(pk=id, article_type="live").first()
    if article is None:
        raise Http404("No such live story.")
    at = listing.position(cursor, int)
    try:
        live = live_read.live_page(article, now, at=str(at[0]) if at else None)
    except live_read.NoSuchEntry as exc:
        raise BadFilter("cursor", "“cursor” names no entry of this story: start again without it.") from exc
    depends_on(request, f"article:{article.pk}", live_surface(article.pk))
    after = cursors.encode(live["older"].pk) if live["older"] else None
    return {
        "story": article.pk,
        "open": live["coverage"].is_open,
        "items": [stories.live_entry(entry, article.canonical_url) for entry in live["entries"]],
        "next": following(request, after),
        "next_cursor": after,
    }


@read("sections/", SectionList, "sections", summary="Sections with published stories, in the site's order")
def section_list(request):
    depends_on(request)
    found = readpath.navigation(timezone.now()) if readpath.supported() else Section.objects.with_published_stories()
    return {"items": [stories.section(section) for section in found]}


def by_name(request, queryset, cursor, limit, represent):
    """A page of `queryset` (authors or topics) in name order, after `cursor`."""
    size = listing.page_size(limit)
    if cursor is not None:
        name, pk = listing.position(cursor, str, int)
        queryset = queryset.filter(Q(name__gt=name) | Q(name=name, pk__gt=pk))
    found = list(queryset.order_by("name", "pk")[: size + 1])
    after = cursors.encode(found[size - 1].name, found[size - 1].pk) if len(found) > size else None
    depends_on(request, "feeds")
    return {
        "items": [represent(item) for item in found[:size]],
        "next": following(request, after),
        "next_cursor": after,
    }


@read("authors/", AuthorPage, "authors", summary="Authors with published stories, by name")
def author_list(request, cursor: str | None = CURSOR, limit: str | None = LIMIT):
    authors = Author.objects.with_published_stories()
    return by_name(request, authors, cursor, limit, lambda found: stories.author(found, bio=True))


@read("topics/", TopicPage, "topics", summary="Topics with published stories, by name")
def topic_list(request, cursor: str | None = CURSOR, limit: str | None = LIMIT):
    return by_name(request, Tag.objects.with_published_stories(), cursor, limit, stories.topic)


@read("search/", SearchPage, "search", summary="The site's search: published stories, best match first")
def search(
    request,
    q: str = Query(..., description='Words, "a phrase", -excluded, either or other: as the site\'s search box.'),
    section: str | None = Query(None, description=SLUG),
    published_after: str | None = Query(None, description="From this date (YYYY-MM-DD)."),
    published_before: str | None = Query(None, description="To this date (YYYY-MM-DD), inclusive."),
    page: str | None = Query(None, description="Page number, from 1."),
):
    depends_on(request, "search")
    form = SearchForm(
        {"q": q, "section": section, "published_after": published_after, "published_before": published_before}
    )
    if not form.is_valid() or not form.cleaned_data["q"].strip():
        errors = {name: " ".join(messages) for name, messages in form.errors.items()} or {"q": "Search for something."}
        raise BadFilter(next(iter(errors)), " ".join(errors.values()), fields=errors)
    results = search_archive(page_number=page, **form.cleaned_data)
    found = results.stories
    listing.with_topics(found)  # live coverage is marked by the search
    more = results.page is not None and results.page.has_next()
    return {
        "query": form.cleaned_data["q"],
        "count": results.count,
        "more": results.more,
        "notice": results.notice,
        "suggestion": results.suggestion,
        "items": [{**stories.card(story), "snippet": str(story.snippet)} for story in found],
        "next": following_page(request, results.page.next_page_number()) if more else None,
    }


def following_page(request, number):
    query = request.GET.copy()
    query["page"] = str(number)
    return absolute_url(f"{request.path}?{query.urlencode()}")
