"""Live coverage: posting entries on the desk, the live page, its update endpoint, JSON-LD, feeds and the cards."""

import json
import threading
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from articles import live_read
from articles.models import Article, LiveCoverage, LiveEntry, LiveEntryChange
from articles.pagecache import PURGES_KEY, next_scheduled_change
from articles.preview import preview_token
from articles.site import absolute_url

from .factories import (
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    DraftFactory,
    LiveEntryFactory,
    LiveStoryFactory,
    SectionFactory,
    TagFactory,
    staff_user,
)
from .test_query_budgets import budget

pytestmark = pytest.mark.django_db


def live_url(story):
    return reverse("admin:articles_article_live", args=[story.pk])


def updates_url(story, since=0):
    return f"{story.get_absolute_url()}updates/?since={since}"


def json_ld(page):
    start = page.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    return json.loads(page[start : page.index("</script>", start)])


def test_an_entry_posted_from_the_story_page_saves_that_entry_alone(client):
    editor = staff_user("Editor")
    story = LiveStoryFactory(headline="Storm hits the coast")
    client.force_login(editor)

    change_page = client.get(reverse("admin:articles_article_change", args=[story.pk])).content.decode()
    response = client.post(live_url(story), {"body": "Winds of 120 km/h.\n\nFerries stopped.", "next": "change"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:articles_article_change", args=[story.pk]))
    assert "Post a live entry" in change_page
    entry = LiveEntry.objects.get()
    assert entry.body == "<p>Winds of 120 km/h.</p>\n\n<p>Ferries stopped.</p>"
    assert entry.changes.get().action == LiveEntryChange.Action.POSTED
    story.refresh_from_db()
    assert story.version == 1, "the story itself was not saved"


@pytest.mark.postgres  # SQLite takes one writer at a time: the second waits, then fails with "table is locked"
@pytest.mark.django_db(transaction=True)
def test_two_editors_posting_at_the_same_moment_both_keep_their_entries():
    call_command("setup_roles")
    story = LiveStoryFactory()
    editors = [staff_user("Editor", "ana"), staff_user("Editor", "ben")]
    both_ready = threading.Barrier(2)
    answers = []

    def post(editor):
        try:
            client = Client()
            client.force_login(editor)
            both_ready.wait(timeout=10)
            answers.append(client.post(live_url(story), {"body": f"Seen by {editor.username}"}).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=[editor]) for editor in editors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert answers == [302, 302]
    assert sorted(LiveEntry.objects.values_list("body", flat=True)) == ["<p>Seen by ana</p>", "<p>Seen by ben</p>"]
    assert Article.objects.get(pk=story.pk).version == 1


def test_a_reporter_posts_to_a_live_story_they_are_bylined_on_credited_by_default(client):
    reporter = staff_user("Reporter")
    mine, others = LiveStoryFactory(), LiveStoryFactory()
    me = AuthorFactory(user=reporter, name="Ана Руис")
    BylineFactory(article=mine, author=me)
    client.force_login(reporter)

    assert client.post(live_url(mine), {"body": "From the harbour"}).status_code == 302
    assert client.post(live_url(others), {"body": "Not mine"}).status_code == 403
    assert [entry.authors.get() for entry in LiveEntry.objects.all()] == [me]


def test_an_entry_can_only_be_posted_to_a_live_story(client):
    client.force_login(staff_user("Editor"))
    assert client.post(live_url(ArticleFactory()), {"body": "Nope"}).status_code == 404
    assert not LiveEntry.objects.exists()


def test_editing_and_deleting_an_entry_is_logged_and_reaches_readers(client):
    editor = staff_user("Editor")
    entry = LiveEntryFactory(body="<p>Two people hurt.</p>")
    story = entry.article
    client.force_login(editor)
    version = LiveEntry.objects.filter(article=story).version(timezone.now())

    edit = reverse("admin:articles_article_live_entry", args=[story.pk, entry.pk])
    assert client.post(edit, {"body": "<p>Three people hurt.</p>"}).status_code == 302
    client.logout()
    changed = client.get(updates_url(story, version)).json()
    assert [item["id"] for item in changed["entries"]] == [entry.pk]
    assert "Three people hurt." in changed["entries"][0]["html"]

    client.force_login(editor)
    delete = reverse("admin:articles_article_live_entry_delete", args=[story.pk, entry.pk])
    assert client.post(delete).status_code == 302
    client.logout()
    gone = client.get(updates_url(story, changed["version"])).json()
    assert gone["removed"] == [entry.pk] and gone["entries"] == []
    assert "Three people hurt." not in client.get(story.get_absolute_url()).content.decode()
    log = list(entry.changes.order_by("id").values_list("action", "previous"))
    assert log == [
        (LiveEntryChange.Action.EDITED, {"headline": "", "body": "<p>Two people hurt.</p>"}),
        (LiveEntryChange.Action.DELETED, {"headline": "", "body": "<p>Three people hurt.</p>"}),
    ]


def test_entry_bodies_are_sanitised_on_every_save():
    entry = LiveEntryFactory(body='<p onclick="steal()">Hi<script>alert(1)</script></p>')
    assert entry.body == "<p>Hi</p>"


def test_the_live_page_lists_key_events_on_top_then_entries_newest_first(client):
    story = LiveStoryFactory()
    now = timezone.now()
    key = LiveEntryFactory(
        article=story, headline="Evacuation ordered", key_event=True, posted_at=now - timedelta(hours=2)
    )
    newer = LiveEntryFactory(article=story, headline="Rain eases", posted_at=now - timedelta(minutes=5))

    page = client.get(story.get_absolute_url()).content.decode()

    key_events = page[page.index('id="live-key-events"') : page.index("</nav>", page.index('id="live-key-events"'))]
    assert f'href="#entry-{key.pk}"' in key_events and "Evacuation ordered" in key_events
    assert "Rain eases" not in key_events
    assert (
        page.index('id="live-key-events"') < page.index(f'id="entry-{newer.pk}"') < page.index(f'id="entry-{key.pk}"')
    )
    assert f'<a class="live-entry__time" href="#entry-{newer.pk}"' in page


def test_older_entries_are_a_page_away_and_permalinks_reach_them(client):
    story = LiveStoryFactory()
    now = timezone.now()
    entries = [
        LiveEntryFactory(article=story, posted_at=now - timedelta(minutes=n), key_event=n == 30)
        for n in range(live_read.ENTRIES_PER_PAGE + 11)
    ]
    oldest_shown, first_hidden = entries[live_read.ENTRIES_PER_PAGE - 1], entries[live_read.ENTRIES_PER_PAGE]

    first = client.get(story.get_absolute_url()).content.decode()
    assert f'id="entry-{oldest_shown.pk}"' in first and f'id="entry-{first_hidden.pk}"' not in first
    assert f'href="?at={first_hidden.pk}#entry-{first_hidden.pk}" data-live-older>Show earlier updates' in first
    # The key event from half an hour ago is not on the first page: its link opens the page that holds it.
    assert f'href="?at={entries[30].pk}#entry-{entries[30].pk}"' in first

    earlier = client.get(f"{story.get_absolute_url()}?at={first_hidden.pk}").content.decode()
    assert f'id="entry-{first_hidden.pk}"' in earlier and f'id="entry-{oldest_shown.pk}"' not in earlier
    assert "Show earlier updates" not in earlier
    for bad in ("nope", "9" * 30, "²", "١٢", ""):
        assert client.get(f"{story.get_absolute_url()}?at={bad}").status_code == 404


@pytest.mark.parametrize(
    ("minutes_ago", "label"), [(0, "12:04"), (24 * 60, "Yesterday 12:04"), (3 * 24 * 60, "30 Nov 12:04")]
)
def test_entry_times_read_like_a_live_page(minutes_ago, label, settings):
    settings.TIME_ZONE = "UTC"
    now = datetime(2026, 12, 3, 12, 30, tzinfo=UTC)
    moment = now.replace(minute=4) - timedelta(minutes=minutes_ago)
    assert live_read.time_label(moment, now) == label


def test_entry_times_of_another_year_carry_the_year(settings):
    settings.TIME_ZONE = "UTC"
    now = datetime(2026, 1, 2, 8, 0, tzinfo=UTC)
    assert live_read.time_label(now - timedelta(days=5), now) == "28 Dec 2025, 08:00"


# Story states × entry states: readers see exactly the entries of a published story that are neither a
# draft, deleted nor scheduled.
STORY_STATES = {
    "published": {},
    "draft": {"status": Article.Status.DRAFT, "published_at": None},
    "scheduled": {"published_at": timezone.now() + timedelta(days=1)},
    "expired": {"expires_at": timezone.now() - timedelta(minutes=1)},
}


@pytest.mark.parametrize("story_state", STORY_STATES)
def test_every_reader_surface_shows_exactly_the_published_entries(client, story_state):
    story = LiveStoryFactory(**STORY_STATES[story_state])
    now = timezone.now()
    posted = LiveEntryFactory(article=story, headline="Posted entry")
    LiveEntryFactory(article=story, headline="Draft entry", is_draft=True)
    LiveEntryFactory(article=story, headline="Scheduled entry", posted_at=now + timedelta(hours=1))
    LiveEntryFactory(article=story, headline="Deleted entry").delete_for_readers(None)
    visible = story_state == "published"

    assert list(LiveEntry.objects.published()) == ([posted] if visible else [])
    page = client.get(story.get_absolute_url())
    updates = client.get(updates_url(story))
    feed = client.get(f"{story.get_absolute_url()}feed/rss/")
    if not visible:
        assert (page.status_code, updates.status_code, feed.status_code) == (404, 404, 404)
        return
    html = page.content.decode()
    assert "Posted entry" in html
    assert [update["headline"] for update in json_ld(html)["liveBlogUpdate"]] == ["Posted entry"]
    assert [item["id"] for item in updates.json()["entries"]] == [posted.pk]
    titles = [item.findtext("title") for item in ElementTree.fromstring(feed.content).iter("item")]
    assert titles == ["Posted entry"]
    for hidden in ("Draft entry", "Scheduled entry", "Deleted entry"):
        assert hidden not in html and hidden not in feed.content.decode()


def test_json_ld_is_a_live_blog_posting_with_its_coverage_times_and_updates(client):
    story = LiveStoryFactory()
    author = AuthorFactory(name="Ana Ruiz")
    entry = LiveEntryFactory(article=story, headline="Bridge closed", body="<p>Police closed the bridge.</p>")
    entry.authors.add(author)
    LiveEntryFactory(article=story, body="<p>Traffic is building up.</p>")
    ended = timezone.now() - timedelta(minutes=1)
    LiveCoverage.objects.create(article=story, ended_at=ended)

    data = json_ld(client.get(story.get_absolute_url()).content.decode())

    assert data["@type"] == "LiveBlogPosting"
    assert data["coverageStartTime"] == story.published_at.isoformat()
    assert data["coverageEndTime"] == ended.isoformat()
    second, first = data["liveBlogUpdate"]
    assert first == {
        "@type": "BlogPosting",
        "headline": "Bridge closed",
        "url": f"{story.canonical_url}#entry-{entry.pk}",
        "datePublished": entry.posted_at.isoformat(),
        "dateModified": entry.changed_at.isoformat(),
        "articleBody": "Police closed the bridge.",
        "author": [{"@type": "Person", "name": "Ana Ruiz", "url": absolute_url(author.get_absolute_url())}],
    }
    assert second["headline"] == "Traffic is building up."
    assert second["author"][0]["@type"] == "Organization"


def test_a_closed_coverage_tells_readers_it_ended_and_stops_their_updates(client):
    story = LiveStoryFactory()
    LiveCoverage.objects.create(article=story, ended_at=timezone.now())

    page = client.get(story.get_absolute_url()).content.decode()

    assert "This live coverage has ended" in page
    assert "data-ended" in page
    assert client.get(updates_url(story)).json()["ended"] is True


def test_the_update_endpoint_answers_304_when_nothing_changed(client):
    entry = LiveEntryFactory()
    story = entry.article
    version = LiveEntry.objects.filter(article=story).version(timezone.now())

    first = client.get(updates_url(story, version))
    again = client.get(updates_url(story, version), HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.json() == {
        "version": str(version),
        "ended": False,
        "reload": False,
        "entries": [],
        "removed": [],
        "key_events_html": None,
    }
    assert again.status_code == 304
    LiveEntryFactory(article=story)
    assert client.get(updates_url(story, version), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


@pytest.mark.parametrize("since", ["x", "-1", "1.5", "9" * 21, "", "²", "١٢"])
def test_a_malformed_since_is_a_clear_400(client, since):
    story = LiveStoryFactory()
    response = client.get(f"{story.get_absolute_url()}updates/?since={since}")
    assert response.status_code == 400
    assert "since" in response.json()["error"]


def test_a_far_future_since_is_answered_like_now(client):
    story = LiveStoryFactory()
    assert client.get(updates_url(story, "9" * 20)).json()["entries"] == []


def test_a_reader_far_behind_is_told_to_reload(client):
    story = LiveStoryFactory()
    LiveEntry.objects.bulk_create(
        LiveEntry(article=story, body="<p>x</p>", posted_at=timezone.now() - timedelta(minutes=1))
        for _ in range(live_read.MOST_CHANGES + 1)
    )
    assert client.get(updates_url(story)).json()["reload"] is True


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600


@pytest.mark.django_db(transaction=True)
def test_a_new_entry_purges_its_story_page_feed_and_updates_and_nothing_else(page_cache):
    call_command("setup_roles")
    story, other = LiveStoryFactory(), ArticleFactory(section=SectionFactory())
    entry = LiveEntryFactory(article=story)
    version = LiveEntry.objects.filter(article=story).version(timezone.now())
    reader = Client()
    urls = {
        "page": story.get_absolute_url(),
        "feed": f"{story.get_absolute_url()}feed/rss/",
        "updates": updates_url(story, version),
        "home": "/",
        "other story": other.get_absolute_url(),
        "section": story.section.get_absolute_url(),
    }
    for url in urls.values():
        reader.get(url)
    assert {name: reader.get(url)["X-Page-Cache"] for name, url in urls.items()} == dict.fromkeys(urls, "hit")

    editor = Client()
    editor.force_login(staff_user("Editor"))
    assert editor.post(live_url(story), {"body": "Breaking: a new update"}).status_code == 302

    after = {name: reader.get(url)["X-Page-Cache"] for name, url in urls.items()}
    assert after == {
        "page": "miss",
        "feed": "miss",
        "updates": "miss",
        "home": "hit",
        "other story": "hit",
        "section": "hit",
    }
    fresh = reader.get(updates_url(story, version)).json()
    assert [item["id"] for item in fresh["entries"]] == [LiveEntry.objects.exclude(pk=entry.pk).get().pk]


def test_no_cached_page_outlives_a_scheduled_entry(page_cache):
    due = timezone.now() + timedelta(minutes=5)
    LiveEntryFactory(posted_at=due)
    LiveEntryFactory(posted_at=due - timedelta(minutes=1), is_draft=True)
    assert next_scheduled_change(cache.get(PURGES_KEY)) == pytest.approx(due.timestamp())


def test_cards_say_live_while_the_coverage_is_open(client):
    story = LiveStoryFactory(headline="Election night, live")
    ArticleFactory(section=story.section, headline="An ordinary story")

    def label_shown(url):
        page = client.get(url).content.decode()
        card = page[page.index("Election night, live") - 600 : page.index("Election night, live")]
        return '<span class="label label--live">Live</span>' in card

    story.tags.add(TagFactory(name="Elections"))
    BylineFactory(article=story)
    pages = [
        "/",
        story.section.get_absolute_url(),
        story.tags.get().get_absolute_url(),
        story.authors.get().get_absolute_url(),
        f"/archive/{timezone.localtime(story.published_at):%Y}/",
        "/search/?q=election",
    ]
    assert all(label_shown(url) for url in pages)
    LiveCoverage.objects.create(article=story, ended_at=timezone.now())
    assert not any(label_shown(url) for url in pages)


def test_a_live_story_in_draft_shows_no_entry_anywhere(client):
    story = DraftFactory(article_type=Article.Type.LIVE)
    LiveEntryFactory(article=story, headline="Too early")
    assert client.get(updates_url(story)).status_code == 404
    assert not LiveEntry.objects.published().exists()


def test_a_preview_of_a_live_story_in_draft_shows_the_entries_readers_will_see(client):
    story = DraftFactory(article_type=Article.Type.LIVE)
    LiveEntryFactory(article=story, headline="Crews reach the quay")
    LiveEntryFactory(article=story, headline="Pumps running at the outfall", key_event=True)
    LiveEntryFactory(article=story, headline="Not checked yet", is_draft=True)
    LiveEntryFactory(article=story, headline="Posted in an hour", posted_at=timezone.now() + timedelta(hours=1))
    client.force_login(staff_user("Editor"))

    page = client.get(reverse("articles:preview", args=[story.pk])).content.decode()
    shared = Client().get(reverse("articles:preview_link", args=[preview_token(story)])).content.decode()

    for html in (page, shared):
        assert "Crews reach the quay" in html and html.count("Pumps running at the outfall") == 2  # and key events
        assert "Not checked yet" not in html and "Posted in an hour" not in html
        # Nothing that would ask the public endpoints, which know nothing of the story yet.
        assert "data-updates-url" not in html and "js/live.js" not in html and "live_feed" not in html
    assert Client().get(story.get_absolute_url()).status_code == 404


@hypothesis_settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(since=st.text(max_size=30))
def test_any_since_is_answered_or_refused_clearly(client, since):
    story = Article.objects.filter(article_type=Article.Type.LIVE).first() or LiveStoryFactory()
    response = client.get(f"{story.get_absolute_url()}updates/", {"since": since})
    assert response.status_code in (200, 400)


def test_a_live_page_costs_a_few_small_queries_however_many_entries(client, django_assert_max_num_queries):
    story = LiveStoryFactory()
    for _ in range(30):
        LiveEntryFactory(article=story, key_event=True).authors.add(AuthorFactory())
    # The story page's own; coverage, entries, their authors, key events, the version; JSON-LD's coverage,
    # entries and their authors.
    with django_assert_max_num_queries(budget("article") + 9):
        assert client.get(story.get_absolute_url()).status_code == 200


def test_a_new_entry_moves_the_pages_last_modified(client):
    story = LiveStoryFactory()
    Article.objects.filter(pk=story.pk).update(modified_at=timezone.now() - timedelta(hours=1))
    before = client.get(story.get_absolute_url())["Last-Modified"]

    LiveEntryFactory(article=story)

    response = client.get(story.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=before)
    assert response.status_code == 200
    assert response["Last-Modified"] != before


def test_the_live_desk_lists_every_entry_with_its_state_and_log(client):
    editor = staff_user("Editor")
    story = LiveStoryFactory()
    client.force_login(editor)
    client.post(live_url(story), {"body": "Posted now", "headline": "Posted"})
    later = (timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    client.post(live_url(story), {"body": "Later", "headline": "Scheduled one", "posted_at": later})
    client.post(live_url(story), {"body": "Held", "headline": "Held back", "is_draft": "on"})
    gone = LiveEntryFactory(article=story, headline="Gone")
    gone.delete_for_readers(editor)

    desk = client.get(live_url(story)).content.decode()

    for headline, state in [
        ("Posted", "Posted"),
        ("Scheduled one", "Scheduled"),
        ("Held back", "Draft"),
        ("Gone", "Deleted"),
    ]:
        row = desk[desk.index(f"{headline}</td>") :]
        assert row[: row.index("</tr>")].count(f"<td>{state}</td>") == 1, headline
    assert f"Deleted by {editor.username}" in desk
    assert client.get(reverse("admin:articles_article_live_entry", args=[story.pk, gone.pk])).status_code == 404
    assert "Posted now" in client.get(story.get_absolute_url()).content.decode()


def test_a_time_outside_the_allowed_years_is_refused_with_the_form(client):
    client.force_login(staff_user("Editor"))
    story = LiveStoryFactory()
    response = client.post(live_url(story), {"body": "Old news", "posted_at": "1850-01-01T10:00"})
    assert response.status_code == 200
    assert "between the years 1900 and 2200" in response.content.decode()
    assert not LiveEntry.objects.exists()


def test_ending_and_reopening_coverage_from_the_desk(client):
    client.force_login(staff_user("Editor"))
    story = LiveStoryFactory()
    coverage = reverse("admin:articles_article_live_coverage", args=[story.pk])

    assert client.post(coverage, {"action": "end"}).status_code == 302
    assert LiveCoverage.objects.get(article=story).ended_at is not None
    assert "This live coverage has ended" in client.get(story.get_absolute_url()).content.decode()
    client.post(coverage, {"action": "reopen"})
    assert LiveCoverage.objects.get(article=story).is_open
