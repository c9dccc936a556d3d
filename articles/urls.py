from django.urls import converters, path, register_converter
from django.views.decorators.http import conditional_page

from . import feeds, views


class UnicodeSlugConverter(converters.SlugConverter):
    """Slugs in any script ("иван-петров"), as SlugField(allow_unicode=True) stores them; Django's is ASCII."""

    regex = r"[-\w]+"


register_converter(UnicodeSlugConverter, "uslug")

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("authors/<uslug:slug>/", views.author_detail, name="author"),
    path("tags/<uslug:slug>/", views.tag_detail, name="tag"),
    path("search/", views.search, name="search"),
    path("preview/<int:pk>/", views.article_preview, name="preview"),
    path("preview/<str:token>/", views.article_preview_link, name="preview_link"),
    # Feeds answer revalidations with 304: Django's Feed sets Last-Modified, conditional_page adds the ETag.
    path("feeds/rss/", conditional_page(feeds.LatestStories()), name="feed_rss"),
    path("feeds/atom/", conditional_page(feeds.LatestStoriesAtom()), name="feed_atom"),
    path("feeds/sections/<uslug:slug>/rss/", conditional_page(feeds.SectionStories()), name="section_feed_rss"),
    path("feeds/sections/<uslug:slug>/atom/", conditional_page(feeds.SectionStoriesAtom()), name="section_feed_atom"),
    path("feeds/authors/<uslug:slug>/rss/", conditional_page(feeds.AuthorStories()), name="author_feed_rss"),
    path("feeds/authors/<uslug:slug>/atom/", conditional_page(feeds.AuthorStoriesAtom()), name="author_feed_atom"),
    path("feeds/corrections/rss/", conditional_page(feeds.Corrections()), name="corrections_feed_rss"),
    path("feeds/corrections/atom/", conditional_page(feeds.CorrectionsAtom()), name="corrections_feed_atom"),
    path("corrections/", views.corrections, name="corrections"),
    path("policies/<uslug:slug>/", views.policy_detail, name="policy"),
    path("archive/", views.Archive.as_view(), name="archive"),
    path("archive/<int:year>/", views.YearArchive.as_view(), name="archive_year"),
    path("archive/<int:year>/<int:month>/", views.MonthArchive.as_view(), name="archive_month"),
    path("archive/<int:year>/<int:month>/<int:day>/", views.DayArchive.as_view(), name="archive_day"),
    path("<uslug:section>/<uslug:slug>/", views.article_detail, name="detail"),
    path("<uslug:section>/<uslug:slug>/updates/", views.live_updates, name="live_updates"),
    path("<uslug:section>/<uslug:slug>/feed/rss/", conditional_page(feeds.LiveEntries()), name="live_feed_rss"),
    path("<uslug:section>/<uslug:slug>/feed/atom/", conditional_page(feeds.LiveEntriesAtom()), name="live_feed_atom"),
    path("<uslug:slug>/", views.section_detail, name="section"),
]
