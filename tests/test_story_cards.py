"""Story cards made on write (articles/cards.py): a stored card is the card the templates render for the story as it
is now, every change to what it shows reaches readers' pages, and a change to the card templates retires them all."""

import io
import re
import shutil
import threading
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles import cards, live_read, readpath
from articles.models import Article, Byline, Card, LiveCoverage, Section, people

from .factories import (
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    ImageFactory,
    SectionFactory,
    TagFactory,
    staff_user,
)
from .test_settings import ROOT
from .test_workflow import client_for

pytestmark = pytest.mark.django_db

CARD = re.compile(r'<article class="card.*?</article>', re.DOTALL)
# Any script, any symbol; control characters too (the models clean them out of plain text).
TEXT = st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=40)
STATES = ["draft", "review", "scheduled", "published", "expired", "withdrawn"]


def in_state(state, now):
    """Status, publication and expiry times of a story in `state`."""
    if state in {"draft", "review", "withdrawn"}:
        return {"status": state, "published_at": now - timedelta(hours=1) if state == "withdrawn" else None}
    published_at = now + timedelta(days=1) if state == "scheduled" else now - timedelta(hours=1)
    expires_at = now - timedelta(minutes=1) if state == "expired" else None
    return {"status": Article.Status.PUBLISHED, "published_at": published_at, "expires_at": expires_at}


def fresh_cards(pk):
    """The story's card and lead card rendered now from its rows, as a page without stored cards renders them."""
    story = Article.objects.for_listing().get(pk=pk)
    live_read.mark_open_coverage([story])
    return cards.render(story), cards.render(story, is_lead=True)


def stored(pk):
    """The story's stored card and lead card if they are current, else None."""
    card = Card.objects.filter(article_id=pk, version=cards.version()).first()
    return card and (card.html, card.lead_html)


def cards_on(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return CARD.findall(response.content.decode())


def card_of(html):
    """A stored card as a page shows it: the <article> (the macro ends it with a newline)."""
    (card,) = CARD.findall(html)
    return card


def orm_path(monkeypatch):
    monkeypatch.setattr(readpath, "supported", lambda using="default": False)


@pytest.fixture
def pictures():
    return [ImageFactory(alt_text="Ferry “at dusk” <quay>", focal_x=10, focal_y=90), ImageFactory(alt_text="Квартал")]


# State, type, picture (index or None), headline, standfirst (empty: the summary is the body's opening),
# bylines (name, role), live coverage (None: never opened or closed; True open; False closed).
STORY = st.tuples(
    st.sampled_from(STATES),
    st.sampled_from(Article.Type.values),
    st.sampled_from([None, 0, 1]),
    TEXT,
    st.one_of(st.just(""), TEXT),
    st.lists(st.tuples(TEXT, st.sampled_from(Byline.Role.values)), max_size=4),
    st.sampled_from([None, True, False]),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(story=STORY, body=st.lists(TEXT, min_size=1, max_size=30))
def test_a_stored_card_is_what_the_templates_render_for_the_story_and_readers_get_it(
    client, commit, monkeypatch, pictures, story, body
):
    """Random stories in every state and type, with or without a picture, bylines in any script, live coverage
    open or closed: after their commit a live or scheduled story has a current card equal to a fresh render,
    and its section page prints exactly the card the ORM path renders; the others have none and show nowhere."""
    Article.objects.all().delete()
    state, article_type, picture, headline, standfirst, credits, coverage = story
    now = timezone.now()

    def write():
        made = ArticleFactory(
            **in_state(state, now),
            article_type=article_type,
            lead_image=None if picture is None else pictures[picture],
            headline=headline,
            standfirst=standfirst,
            body="".join(f"<p>{words}</p>" for words in body),
        )
        for position, (name, role) in enumerate(credits):
            BylineFactory(article=made, author=AuthorFactory(name=name), role=role, position=position)
        if coverage is not None:
            LiveCoverage.objects.create(article=made, ended_at=None if coverage else now)
        return made

    made = commit(write)

    if state in {"published", "scheduled"}:
        assert stored(made.pk) == fresh_cards(made.pk)
    else:
        assert stored(made.pk) is None
    section = made.section.get_absolute_url()
    if state == "published":
        assert cards_on(client, section) == [card_of(stored(made.pk)[0])]
        orm_path(monkeypatch)
        assert cards_on(client, section) == [card_of(stored(made.pk)[0])]
        monkeypatch.undo()
    else:
        assert client.get(section).status_code == 404
        assert cards_on(client, "/") == []


@pytest.fixture
def story(commit, pictures):
    """A published live story (coverage open) with a cropped picture and two bylines, its card made."""

    def write():
        made = ArticleFactory(
            section=SectionFactory(name="Harbour", slug="harbour"),
            headline="Ferry fares rise",
            article_type=Article.Type.LIVE,
            lead_image=pictures[0],
        )
        BylineFactory(article=made, author=AuthorFactory(name="Ana Ruiz"), position=0)
        BylineFactory(article=made, author=AuthorFactory(name="Jonas Berg"), role=Byline.Role.PHOTOS, position=1)
        return made

    made = commit(write)
    assert stored(made.pk) == fresh_cards(made.pk)
    return made


def rename_section(story, editor):
    section = story.section
    data = {"name": "Waterfront", "slug": section.slug, "description": "", "order": 0}
    assert editor.post(reverse("admin:articles_section_change", args=[section.pk]), data).status_code == 302


def rename_author(story, editor):
    author = story.bylines.get(position=0).author
    data = {"name": "Ana Ruiz-Berg", "slug": author.slug, "bio": "", "user": ""}
    assert editor.post(reverse("admin:articles_author_change", args=[author.pk]), data).status_code == 302


def edit_picture(story, editor, **changes):
    image = story.lead_image
    data = {"alt_text": image.alt_text, "caption": "", "credit": "", "source": "", "focal_x": 10, "focal_y": 90}
    response = editor.post(reverse("admin:images_image_change", args=[image.pk]), {**data, **changes})
    assert response.status_code == 302


def change_bylines(story, editor):
    story.bylines.get(position=1).delete()
    BylineFactory(article=story, author=AuthorFactory(name="Li Wei"), role=Byline.Role.ADDITIONAL_REPORTING)


def close_coverage(story, editor):
    coverage = reverse("admin:articles_article_live_coverage", args=[story.pk])
    assert editor.post(coverage, {"action": "end"}).status_code == 302


def edit_story(story, editor):
    story.refresh_from_db()
    story.headline, story.last_edited_by = "Ferry fares fall", staff_user("Editor", "another-editor")
    story.save()


# Each change, and what readers' cards show after it and must no longer show.
CHANGES = {
    "section renamed": (rename_section, ">Waterfront</a>", ">Harbour</a>"),
    "author renamed": (rename_author, "By Ana Ruiz-Berg. Photos by Jonas Berg", "By Ana Ruiz."),
    "picture described anew": (
        lambda story, editor: edit_picture(story, editor, alt_text="Ferry in fog"),
        'alt="Ferry in fog"',
        "at dusk",
    ),
    "picture cropped": (lambda story, editor: edit_picture(story, editor, focal_x=90), "-c", "-c0x0x"),
    "bylines changed": (change_bylines, "By Ana Ruiz. Additional reporting by Li Wei ·", "Jonas Berg"),
    "live coverage closed": (close_coverage, "Ferry fares rise", "label--live"),
    "story edited": (edit_story, "Ferry fares fall", "Ferry fares rise"),
}


@pytest.mark.parametrize("remade", [True, False], ids=["remade after commit", "left for refresh_cards"])
@pytest.mark.parametrize("change", CHANGES)
def test_after_each_change_readers_get_the_new_card(client, commit, monkeypatch, story, change, remade):
    """Whether the card is made again at once or left empty for `refresh_cards --stale`, the home page (the story
    leads) and the section page show the story as it now is, the same as the ORM path renders it."""
    make_change, now_shown, gone = CHANGES[change]
    if not remade:
        monkeypatch.setattr(cards, "REMADE_AT_ONCE", 0)
    old_crop = re.search(r"-c\d+x\d+x\d+x\d+", stored(story.pk)[0]).group()

    commit(lambda: make_change(story, client_for(staff_user("Editor"))))

    assert (stored(story.pk) is not None) == remade
    if not remade:
        call_command("refresh_cards", "--stale", stdout=io.StringIO())
    assert stored(story.pk) == fresh_cards(story.pk)
    (lead,) = cards_on(client, "/")
    (listed,) = cards_on(client, story.section.get_absolute_url())
    assert (listed, lead) == tuple(map(card_of, stored(story.pk)))
    for card in (lead, listed):
        assert now_shown in card
        assert (gone if change != "picture cropped" else old_crop) not in card
    orm_path(monkeypatch)
    assert cards_on(client, "/") == [lead] and cards_on(client, story.section.get_absolute_url()) == [listed]


def test_a_change_empties_the_card_in_its_own_transaction_so_readers_never_get_the_old_one(client, story):
    """Before the commit's callbacks run (nothing is made again yet) the page already shows the new name."""
    story.section.name = "Waterfront"
    story.section.save()

    assert stored(story.pk) is None
    assert ">Waterfront</a>" in cards_on(client, "/")[0]


def test_saves_that_change_nothing_on_the_card_leave_it_alone(commit, story):
    made = stored(story.pk)
    commit(lambda: story.take_home_place(1, staff_user("Editor")))
    story.section.order = 5
    commit(story.section.save)
    story.lead_image.caption = "A caption cards do not show"
    commit(story.lead_image.save)
    assert stored(story.pk) == made
    assert Card.objects.get(article=story).html == made[0]


def test_a_cached_page_shows_the_new_card_after_a_rename(client, commit, settings, story):
    settings.PAGE_CACHE_SECONDS = 600
    assert ">Harbour</a>" in cards_on(client, "/")[0]
    commit(lambda: rename_section(story, client_for(staff_user("Editor"))))
    assert ">Waterfront</a>" in cards_on(client, "/")[0]


@pytest.mark.postgres  # deferred foreign-key checks
@pytest.mark.parametrize("how", ["story", "queryset"])
def test_deleting_a_story_takes_its_card_and_leaves_no_card_behind(commit, story, how):
    commit(story.delete if how == "story" else Article.objects.filter(pk=story.pk).delete)
    with connection.cursor() as cursor:  # the foreign keys are checked at commit, which tests never reach
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert not Card.objects.exists()


@pytest.fixture
def templates_changed(settings, tmp_path):
    """A deploy whose card template differs: the templates read from a copy with a class added to the summary."""
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    card = tmp_path / "templates/articles/_card.html"
    card.write_text(card.read_text().replace('class="card__summary"', 'class="card__summary card__summary--v2"'))

    def deploy():
        jinja2, *others = django_settings.TEMPLATES
        settings.TEMPLATES = [{**jinja2, "DIRS": [tmp_path / "templates"]}, *others]

    return deploy


def test_a_change_to_the_card_templates_retires_every_stored_card_until_refresh_cards_makes_them_again(
    client, commit, story, templates_changed
):
    others = commit(lambda: [ArticleFactory(section=story.section) for _ in range(3)])
    before = cards.version()
    assert all(stored(other.pk) for other in others)

    templates_changed()

    assert cards.version() != before
    assert all(stored(other.pk) is None for other in [story, *others])
    listed = cards_on(client, story.section.get_absolute_url())
    assert len(listed) == 4 and all("card__summary--v2" in card for card in listed)
    output = io.StringIO()
    call_command("refresh_cards", "--stale", stdout=output)
    assert output.getvalue().startswith("Made 4 story cards")
    newest_first = sorted([story, *others], key=lambda s: (s.published_at, s.pk), reverse=True)
    assert [card_of(stored(s.pk)[0]) for s in newest_first] == cards_on(client, story.section.get_absolute_url())


def test_what_else_a_card_depends_on_changes_the_version(settings, monkeypatch):
    """Not only the templates: where media is served from, the time zone, and code that words a card (a process
    works its version out once, for its first card: code changes with a deploy)."""
    versions = {cards.version()}
    settings.MEDIA_URL = "https://media.example/"
    versions.add(cards.version())
    settings.TIME_ZONE = "Pacific/Kiritimati"
    versions.add(cards.version())
    monkeypatch.setitem(people.ROLE_LABELS, Byline.Role.PHOTOS, "Pictures by")
    cards.version_for.cache_clear()
    versions.add(cards.version())
    assert len(versions) == 4


def test_refresh_cards_makes_the_stale_ones_or_all_of_them_and_asks_which(story):
    scheduled = ArticleFactory(published_at=timezone.now() + timedelta(days=1))
    ArticleFactory(status=Article.Status.DRAFT, published_at=None)

    def run(*args):
        output = io.StringIO()
        call_command("refresh_cards", *args, stdout=output)
        return output.getvalue()

    assert run("--stale").startswith("Made 1 story cards")  # the scheduled story: its card is ready when it goes live
    assert stored(scheduled.pk) == fresh_cards(scheduled.pk)
    assert run("--stale").startswith("Made 0 story cards")
    assert run("--all").startswith("Made 2 story cards")
    with pytest.raises(CommandError):
        call_command("refresh_cards")


@pytest.mark.parametrize("page", ["tag", "author", "archive"])
def test_topic_author_and_archive_pages_print_stored_cards_and_render_the_rest_the_same(client, commit, page):
    author, topic = AuthorFactory(name="Ана Руис"), TagFactory(name="Ferries")
    stories = commit(lambda: [ArticleFactory(article_type="live") for _ in range(3)])
    for made in stories:
        made.tags.add(topic)
        BylineFactory(article=made, author=author)  # not committed: these cards are empty again
    url = {
        "tag": topic.get_absolute_url(),
        "author": author.get_absolute_url(),
        "archive": f"/archive/{stories[0].published_at:%Y}/",
    }[page]
    cards.make([stories[0].pk])

    mixed = cards_on(client, url)
    Card.objects.all().delete()
    assert cards_on(client, url) == mixed
    assert len(mixed) == 3 and all("label--live" in card and "Ана Руис" in card for card in mixed)


@pytest.mark.postgres  # the read path's budgets (articles/listing_read.py); SQLite's pages read through the ORM
def test_with_every_card_stored_the_home_and_section_pages_stay_within_their_budgets(
    client, commit, django_assert_max_num_queries
):
    """Home: navigation, candidates, cards; section: navigation, the section with its cards."""
    stories = commit(lambda: [ArticleFactory(lead_image=ImageFactory()) for _ in range(6)])
    for made in stories:
        BylineFactory(article=made)
    cards.make([made.pk for made in stories])
    with django_assert_max_num_queries(3):
        assert len(cards_on(client, "/")) == 6
    with django_assert_max_num_queries(2):
        assert len(cards_on(client, stories[0].section.get_absolute_url())) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_card_made_from_rows_read_before_a_rename_commits_does_not_outlive_the_rename(monkeypatch):
    """Two connections: one making the card, held after reading the story; one renaming its section meanwhile.

    The rename's emptying waits for the card's row lock, so the card made from the old name is emptied after it
    is stored. (Without the lock the old name would stay on the card.)"""
    story = ArticleFactory(section=SectionFactory(name="Harbour"))
    monkeypatch.setattr(cards, "REMADE_AT_ONCE", 0)  # only the card being made races the rename
    reading, go = threading.Event(), threading.Event()
    render = cards.render

    def held_render(story, is_lead=False):
        reading.set()
        go.wait(timeout=10)
        return render(story, is_lead)

    def make():
        cards.make([story.pk])

    def rename():
        section = Section.objects.get(pk=story.section_id)
        section.name = "Waterfront"
        section.save()

    monkeypatch.setattr(cards, "render", held_render)
    making = in_thread(make)
    assert reading.wait(timeout=10)
    renaming = in_thread(rename)
    renaming.join(timeout=1)
    assert renaming.is_alive(), "the rename waits for the card's lock"
    go.set()
    making.join(timeout=10)
    renaming.join(timeout=10)

    assert not making.is_alive() and not renaming.is_alive()
    assert stored(story.pk) is None
    assert ">Waterfront</a>" in cards_on(Client(), story.section.get_absolute_url())[0]


def in_thread(work):
    def run():
        try:
            with transaction.atomic():
                work()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread
