"""The hand-written read path (articles/readpath.py) and the ORM's publishing gate agree, and pages are the same."""

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles import cards, listing_read, live_read, readpath
from articles.models import Article, Author, Byline, Correction, LiveCoverage, LiveEntry, Section, Tag

from .factories import ArticleFactory, AuthorFactory, BylineFactory, ImageFactory, SectionFactory, TagFactory

# The read path runs on PostgreSQL only (readpath.supported()); elsewhere both sides would be the ORM.
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

STATUSES = [Article.Status.DRAFT, Article.Status.REVIEW, Article.Status.PUBLISHED, Article.Status.WITHDRAWN]
# Minutes from now: long past, just past, this very moment, just ahead, far ahead; None for no time.
OFFSETS = st.one_of(st.none(), st.sampled_from([-525_600, -61, -1, 0, 1, 61, 525_600]), st.integers(-5, 5))
# Status, publication and expiry times, section, home page place.
STORY = st.tuples(st.sampled_from(STATUSES), OFFSETS, OFFSETS, st.integers(0, 2), st.sampled_from([None, 1, 2]))


def make_stories(states, now):
    """Stories in the given (status, published, expires, section) states, each listing all others as related."""
    sections = [SectionFactory(), SectionFactory(), SectionFactory()]
    stories = []
    for n, (status, published, expires, section, place) in enumerate(states):
        stories.append(
            ArticleFactory(
                status=status,
                published_at=None if published is None else now + timedelta(minutes=published),
                expires_at=None if expires is None else now + timedelta(minutes=expires),
                section=sections[section],
                home_rank=place,
                headline=f"Story {n}",
            )
        )
    Article.objects.update(related_ids=[story.pk for story in stories])
    return stories


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(states=st.lists(STORY, min_size=1, max_size=6))
def test_the_read_path_shows_exactly_the_stories_the_gate_lets_through(states):
    """Draft, review, scheduled, published, expired and withdrawn, at and around the very moment of the request."""
    Article.objects.all().delete()
    Section.objects.all().delete()
    now = timezone.now().replace(microsecond=0)
    stories = make_stories(states, now)
    published = set(Article.objects.published(at=now).values_list("pk", flat=True))

    for story in stories:
        found = readpath.article_page(story.slug, now)
        assert (found is not None) == (story.pk in published), (story.status, story.published_at, story.expires_at)
        if found:
            article, related = found
            assert article.pk == story.pk
            expected = [pk for pk in article.related_ids if pk in published][:4]
            assert [other.pk for other in related] == expected

    expected = [section.pk for section in Section.objects.all() if section.articles.filter(pk__in=published)]
    assert [section.pk for section in readpath.navigation(now)] == expected

    for section in Section.objects.all():
        listed = Article.objects.published(at=now).filter(section=section)
        found = listing_read.section_page(section.slug, 1, 2, 3, now)
        if not listed:
            assert found is None
        else:
            assert found[0] == section and found[1] == min(3, listed.count())
            assert [story.pk for story in found[2]] == [story.pk for story in listed[:2]]

    assert home_ids(listing_read.home_page(now)) == home_ids(Article.objects.published(at=now).home_page())


# An entry: draft?, deleted?, minutes from now it is posted at.
ENTRY = st.tuples(st.booleans(), st.booleans(), st.sampled_from([-525_600, -61, -1, 0, 1, 61]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(story=STORY, entries=st.lists(ENTRY, max_size=5))
def test_a_live_page_read_through_the_read_path_shows_exactly_the_entries_both_gates_let_through(story, entries):
    """The story's gate (the read path's SQL) and the entry's own (`LiveEntry.objects.published()`) agree
    with the rule written out by hand: a published story's entries, not drafts, not deleted, posted by now."""
    Article.objects.all().delete()
    now = timezone.now().replace(microsecond=0)
    (live_story,) = make_stories([story], now)
    Article.objects.filter(pk=live_story.pk).update(article_type=Article.Type.LIVE)
    made = [
        LiveEntry.objects.create(
            article=live_story,
            body=f"<p>Entry {n}</p>",
            is_draft=draft,
            deleted_at=now if deleted else None,
            posted_at=now + timedelta(minutes=minutes),
        )
        for n, (draft, deleted, minutes) in enumerate(entries)
    ]
    story_public = live_story.pk in set(Article.objects.published(at=now).values_list("pk", flat=True))
    expected = {
        entry.pk
        for entry in made
        if story_public and not entry.is_draft and entry.deleted_at is None and entry.posted_at <= now
    }

    found = readpath.article_page(live_story.slug, now)
    assert (found is not None) == story_public
    shown = {entry.pk for entry in live_read.live_page(found[0], now)["entries"]} if found else set()
    assert shown == expected
    assert set(LiveEntry.objects.published(at=now).values_list("pk", flat=True)) == expected


def home_ids(page):
    return (
        page["lead"] and page["lead"].pk,
        [s.pk for s in page["featured"]],
        [(section.pk, [s.pk for s in stories]) for section, stories in page["sections"]],
    )


def test_the_gate_is_the_querysets_own_condition_compiled_once():
    sql, params = readpath.gate('"story"')

    assert '"story"."status"' in sql and '"story"."published_at"' in sql and '"story"."expires_at"' in sql
    assert readpath.GATE_TIME in params
    assert Article.Status.PUBLISHED in params


@pytest.fixture
def rich_story():
    """A story with everything its page can show: several bylines, topics, every kind of note, a picture."""
    section = SectionFactory(name="Беларусь", slug="беларусь")
    story = ArticleFactory(
        section=section,
        headline="Лукашэнка & «друзья» <script>",
        dateline="МІНСК",
        source="Agency",
        lead_image=ImageFactory(alt_text="A square", caption="Caption", credit="Photo desk"),
        article_type=Article.Type.ANALYSIS,
        updated_at=timezone.now() - timedelta(minutes=5),
    )
    for position, role in enumerate([Byline.Role.BY, Byline.Role.BY, Byline.Role.PHOTOS]):
        BylineFactory(article=story, author=AuthorFactory(name=f"Аўтар {position} 🙂"), role=role, position=position)
    for name in ["Выборы", "Минск", "Ελλάδα"]:
        story.tags.add(TagFactory(name=name))
    for kind in Correction.Kind.values:
        Correction.objects.create(article=story, kind=kind, note=f"A {kind} note <b>")
    others = [ArticleFactory(section=section, headline=f"Other {n}") for n in range(3)]
    ArticleFactory(section=section, headline="Draft other", status=Article.Status.DRAFT)
    story.refresh_from_db()
    Article.objects.refresh_related_stories()
    return story, others


def test_the_read_path_renders_the_same_page_as_the_orm(client, rich_story, monkeypatch):
    story, others = rich_story

    fast = client.get(story.get_absolute_url())
    monkeypatch.setattr(readpath, "supported", lambda using="default": False)
    slow = client.get(story.get_absolute_url())

    assert fast.status_code == slow.status_code == 200
    assert fast.content.decode() == slow.content.decode()
    html = fast.content.decode()
    assert "Аўтар 2 🙂" in html and "Ελλάδα" in html and "Other 0" in html and "Draft other" not in html
    assert fast["Last-Modified"] == slow["Last-Modified"] and fast["ETag"] == slow["ETag"]


@pytest.mark.parametrize("stored", ["no", "some", "all"])
@pytest.mark.parametrize("page", ["home", "section", "section page 2", "article"])
def test_home_section_and_article_pages_are_the_same_on_both_paths(client, rich_story, monkeypatch, page, stored):
    """With no stored card (each rendered on the request), some, or all: the read path prints stored cards, the
    ORM path renders every card afresh, and the pages are the same to the byte."""
    story, others = rich_story
    for n in range(25):
        ArticleFactory(section=story.section, headline=f"Filler {n}", standfirst="", home_rank=2 if n == 3 else None)
    closed = ArticleFactory(section=story.section, article_type=Article.Type.LIVE, headline="Closed live coverage")
    LiveCoverage.objects.create(article=closed, ended_at=timezone.now())
    ArticleFactory(section=story.section, article_type=Article.Type.LIVE, headline="Open live coverage")
    listed = list(Article.objects.published().values_list("pk", flat=True))
    cards.make({"no": [], "some": listed[::2], "all": listed}[stored])
    url = {
        "home": "/",
        "section": story.section.get_absolute_url(),
        "section page 2": story.section.get_absolute_url() + "?page=2",
        "article": story.get_absolute_url(),
    }[page]

    fast = client.get(url)
    monkeypatch.setattr(readpath, "supported", lambda using="default": False)
    slow = client.get(url)

    assert fast.status_code == slow.status_code == 200
    assert fast.content.decode() == slow.content.decode()


@pytest.mark.parametrize("query", ["?page=0", "?page=3", "?page=x", "?page=1.0", "?page=" + "9" * 30, "?page=-1"])
def test_a_page_past_the_listing_is_a_404_on_both_paths(client, monkeypatch, query):
    section = SectionFactory()
    ArticleFactory(section=section)
    url = section.get_absolute_url() + query

    assert client.get(url).status_code == 404
    monkeypatch.setattr(readpath, "supported", lambda using="default": False)
    assert client.get(url).status_code == 404


def test_the_models_the_read_path_builds_by_hand_have_no_init_signals_it_would_skip():
    from django.db.models import signals

    from images.models import Image

    for model in (Article, Section, Image, Byline, Author, Tag, Correction):
        assert not signals.pre_init.has_listeners(model) and not signals.post_init.has_listeners(model), model
