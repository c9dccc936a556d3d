"""Read replicas in one process: which database each request reads, and the page cache's guard against lag.

The "replica" here is a second connection to the test database under the alias replica_0, so it holds what
a replica that has caught up holds; how far it has replayed is set by the tests. A real streaming replica
with a real delay: tests/test_replica_lag.py.
"""

import pytest
from django.db import OperationalError, connections, router
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import pagecache, views
from articles.models import Article
from articles.pagecache import NEXT_CHANGE_KEY, POSITION_KEY, PURGES_KEY, next_scheduled_change
from articles.preview import preview_token
from newsroom import replicas
from newsroom.replicas import reading_from

from .factories import ArticleFactory, staff_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


class Replica:
    """replica_0, replayed as far as `replayed` says (None: as far as the primary, like a caught-up one)."""

    def __init__(self, real_position):
        primary = connections["default"]
        self.connection = primary.__class__({**primary.settings_dict}, alias="replica_0")
        self.real_position = real_position
        self.replayed = None
        self.asked = 0
        self.now = 1000.0

    def position(self, alias, position_sql):
        if alias != "replica_0":
            return self.real_position(alias, position_sql)
        self.asked += 1
        if self.replayed == "down":
            raise OperationalError('connection to server at "127.0.0.1", port 5433 failed: Connection refused')
        return self.replayed


@pytest.fixture
def replica(settings, monkeypatch):
    settings.DATABASE_REPLICAS = ["replica_0"]
    settings.DATABASE_ROUTERS = ["newsroom.replicas.ReplicaRouter"]
    settings.PAGE_CACHE_SECONDS = 600
    replica = Replica(replicas.wal_position)
    monkeypatch.setattr(replicas, "wal_position", replica.position)
    monkeypatch.setattr(replicas, "_replayed", {})
    monkeypatch.setattr(replicas, "_down_until", {})
    monkeypatch.setattr(replicas, "clock", lambda: replica.now)
    connections["replica_0"] = replica.connection
    yield replica
    replica.connection.close()
    del connections["replica_0"]


def reads(client, url):
    """The response, and the SQL it ran on the primary and on the replica."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica_0"]) as replica,
    ):
        response = client.get(url)
    return response, [query["sql"] for query in primary], [query["sql"] for query in replica]


def test_anonymous_readers_pages_feeds_sitemaps_and_search_read_the_replica(replica, client):
    story = ArticleFactory(headline="Lighthouse keeper retires")
    urls = [
        "/",
        story.section.get_absolute_url(),
        story.get_absolute_url(),
        "/feeds/rss/",
        f"/sitemap-articles-{timezone.localtime():%Y-%m}.xml",
        "/search/?q=lighthouse",
        '/search/?q="lighthouse keeper"',
        "/search/?q=lighthuose",
    ]

    for url in urls:
        response, on_primary, on_replica = reads(client, url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert story.get_absolute_url() in html or "Did you mean" in html, url
        assert on_primary == [], url
        assert on_replica, url
    assert any("statement_timeout" in sql for sql in reads(client, "/search/?q=keeper")[2])


def test_editors_the_admin_and_previews_read_the_primary(replica, client):
    draft = ArticleFactory(status=Article.Status.DRAFT, headline="Harbour plans, not yet out")
    published = ArticleFactory()

    for url in ["/admin/login/", f"/preview/{preview_token(draft)}/"]:
        response, on_primary, on_replica = reads(client, url)
        assert response.status_code == 200, url
        assert on_replica == [], url
    assert "Harbour plans" in reads(client, f"/preview/{preview_token(draft)}/")[0].content.decode()

    client.force_login(staff_user("Editor"))
    for url in ["/", published.get_absolute_url(), f"/preview/{draft.pk}/", "/admin/articles/article/"]:
        response, on_primary, on_replica = reads(client, url)
        assert response.status_code == 200, url
        assert on_primary and on_replica == [], url


def test_writes_and_migrations_go_to_the_primary_even_in_a_readers_request(replica):
    with reading_from("replica_0"):
        assert router.db_for_read(Article) == "replica_0"
        assert router.db_for_write(Article) == "default"
        with (
            CaptureQueriesContext(connections["default"]) as on_primary,
            CaptureQueriesContext(connections["replica_0"]) as on_replica,
        ):
            story = ArticleFactory()
    assert any(query["sql"].startswith('INSERT INTO "articles_article"') for query in on_primary)
    assert not any(query["sql"].startswith(("INSERT", "UPDATE", "DELETE")) for query in on_replica)
    assert story._state.db == "default"
    assert router.db_for_read(Article) == "default"  # outside a reader's request
    assert router.allow_migrate("default", "articles") and not router.allow_migrate("replica_0", "articles")


def test_after_a_purge_readers_read_the_primary_until_the_replica_has_replayed_past_it(replica, client):
    ArticleFactory(headline="Ferry timetable changes")
    replica.replayed = None  # caught up
    response, on_primary, on_replica = reads(client, "/")
    assert response["X-Page-Cache"] == "miss" and on_primary == [] and on_replica

    replica.replayed = pagecache.cache.get(POSITION_KEY)  # stops here: the next publication is not replayed
    story = ArticleFactory(headline="Bridge reopens after repairs")
    assert pagecache.cache.get(POSITION_KEY) > replica.replayed
    for url in ["/", story.section.get_absolute_url(), story.get_absolute_url()]:
        response, on_primary, on_replica = reads(client, url)
        assert "Bridge reopens" in response.content.decode(), url
        assert response["X-Page-Cache"] == "miss", url
        assert on_primary and on_replica == [], url
        assert reads(client, url)[0]["X-Page-Cache"] == "hit", url

    replica.replayed = pagecache.cache.get(POSITION_KEY)  # caught up with the purge
    response, on_primary, on_replica = reads(client, "/?page=1")
    assert "Bridge reopens" in response.content.decode()
    assert on_primary == [] and on_replica


def test_a_replica_seen_past_the_last_purge_is_asked_again_after_a_second_or_after_the_next_purge(replica, client):
    ArticleFactory()
    replica.replayed = pagecache.cache.get(POSITION_KEY)
    client.get("/")
    client.get("/corrections/")
    assert replica.asked == 1

    replica.now += replicas.RECHECK_AFTER
    client.get("/policies/none/")
    assert replica.asked == 2

    ArticleFactory()
    replica.replayed = pagecache.cache.get(POSITION_KEY)
    client.get("/")
    assert replica.asked == 3


def test_a_replica_that_fails_is_left_alone_for_a_few_seconds_while_readers_read_the_primary(replica, client):
    story = ArticleFactory(headline="Tide tables for the week")
    replica.replayed = "down"

    for url in [story.get_absolute_url(), "/", "/healthz"]:
        response, on_primary, on_replica = reads(client, url)
        assert response.status_code == 200, url
        assert on_replica == [] and on_primary, url
    assert replica.asked == 1

    replica.replayed, replica.now = None, replica.now + replicas.RETRY_AFTER
    response, on_primary, on_replica = reads(client, "/corrections/")
    assert on_primary == [] and on_replica and replica.asked == 2


def test_a_replica_lost_in_the_middle_of_a_readers_request_gives_the_page_from_the_primary(replica, client):
    story = ArticleFactory(headline="Ferry timetable restored")
    client.get("/healthz")  # the replica is checked, and trusted for a second
    replica.connection.close()
    replica.connection.settings_dict["PORT"] = 1  # then it goes away

    for url in [story.get_absolute_url(), "/"]:
        with CaptureQueriesContext(connections["default"]) as on_primary:
            response = client.get(url)
        assert response.status_code == 200, url
        assert "Ferry timetable restored" in response.content.decode()
        assert len(on_primary), url
    assert client.get(story.get_absolute_url())["X-Page-Cache"] == "hit"
    assert replicas.replica_state("replica_0") == "down"


def test_a_cache_without_a_purge_position_starts_from_the_primarys_position_now(replica, client):
    ArticleFactory()
    pagecache.cache.clear()

    client.get("/")

    assert pagecache.cache.get(POSITION_KEY) is not None
    assert client.get("/")["X-Page-Cache"] == "hit"


def test_with_the_cache_down_readers_keep_to_the_replica(replica, client, settings):
    settings.CACHES = {"default": {"BACKEND": "newsroom.cache.FailOpenRedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    story = ArticleFactory(headline="Storm warning lifted")

    response, on_primary, on_replica = reads(client, story.get_absolute_url())

    assert "Storm warning lifted" in response.content.decode()
    assert on_primary == [] and on_replica


def test_a_page_made_while_a_purge_happens_is_not_stored(client, settings, monkeypatch):
    """The page's rows were read before the story committed; its purge came before the page was stored."""
    settings.PAGE_CACHE_SECONDS = 600
    ArticleFactory(headline="Morning story")
    render, published = views.render, []

    def render_then_publish(*args, **kwargs):
        response = render(*args, **kwargs)
        if not published:
            # Committed, and purged, after the page read its rows and before it is stored.
            published.append(ArticleFactory(headline="Story published meanwhile"))
        return response

    monkeypatch.setattr(views, "render", render_then_publish)
    first, second = client.get("/"), client.get("/")

    assert "Story published meanwhile" not in first.content.decode()
    assert "X-Page-Cache" not in first and "public" not in first.get("Cache-Control", "")
    assert second["X-Page-Cache"] == "miss" and "Story published meanwhile" in second.content.decode()


def test_the_next_scheduled_change_worked_out_before_a_purge_is_not_used_after_it():
    """A request read the stories before one was scheduled, and stored its answer after the purge."""
    purges_before = pagecache.cache.get(PURGES_KEY)
    go_live = timezone.now() + timezone.timedelta(minutes=30)
    ArticleFactory(published_at=go_live)
    pagecache.cache.set(NEXT_CHANGE_KEY, (purges_before, 0))

    assert next_scheduled_change(pagecache.cache.get(PURGES_KEY)) == go_live.timestamp()
