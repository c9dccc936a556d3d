"""Related stories are worked out when stories change and stored; the page shows them through the publishing gate."""

import io
from datetime import timedelta

import html5lib
import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article

from .factories import ArticleFactory, SectionFactory, TagFactory, staff_user

pytestmark = pytest.mark.django_db

STATES = ["draft", "review", "scheduled", "published", "expired", "withdrawn"]


def put_in_state(story, state):
    now = timezone.now()
    story.status, story.published_at, story.expires_at = Article.Status.PUBLISHED, now - timedelta(hours=2), None
    if state in {"draft", "review", "withdrawn"}:
        story.status = {"draft": Article.Status.DRAFT, "review": Article.Status.REVIEW}.get(state, state)
    elif state == "scheduled":
        story.published_at = now + timedelta(days=1)
    elif state == "expired":
        story.expires_at = now - timedelta(minutes=1)
    story.last_edited_by = staff_user("Editor")
    story.save()


def related_headlines(client, story):
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    document = html5lib.HTMLParser(namespaceHTMLElements=False).parse(response.content.decode())
    return ["".join(link.itertext()) for link in document.iterfind(".//a[@class='related__headline']")]


def stored_ids(story):
    return Article.objects.get(pk=story.pk).related_ids


@pytest.fixture
def ferries():
    """A story about ferries and a second one sharing its topics, each in the other's stored list."""
    topics = TagFactory.create_batch(2)
    story = ArticleFactory(headline="Ferry fares rise")
    neighbour = ArticleFactory(headline="Ferry timetable cut", section=SectionFactory())
    for each in (story, neighbour):
        each.tags.set(topics)
    Article.objects.published_or_scheduled().refresh_related_stories()
    assert stored_ids(story) == [neighbour.pk]
    return story, neighbour, topics


@pytest.mark.parametrize("state", STATES)
def test_a_related_story_shows_exactly_when_the_gate_lets_it_through_even_from_a_stale_list(client, ferries, state):
    """The stored list is not worked out again here (a story expires by itself): the gate alone decides."""
    story, neighbour, _ = ferries
    put_in_state(neighbour, state)

    shown = "Ferry timetable cut" in related_headlines(client, story)
    in_gate = Article.objects.published().filter(pk=neighbour.pk).exists()
    assert shown == in_gate == (state == "published")
    assert client.get(neighbour.get_absolute_url()).status_code == (200 if in_gate else 404)


@pytest.mark.parametrize("state", STATES)
def test_related_lists_worked_out_on_save_agree_with_the_gate_in_every_state(client, commit, ferries, state):
    story, neighbour, _ = ferries
    commit(lambda: put_in_state(neighbour, state))

    in_gate = Article.objects.published().filter(pk=neighbour.pk).exists()
    assert ("Ferry timetable cut" in related_headlines(client, story)) == in_gate == (state == "published")
    # Scheduled stories are stored (the gate lets them in when they go live); the rest leave the list.
    assert (neighbour.pk in stored_ids(story)) == (state in {"published", "scheduled"})


def test_a_withdrawn_story_leaves_related_lists_at_once_and_another_takes_its_place(
    client, commit, ferries, django_capture_on_commit_callbacks
):
    story, neighbour, topics = ferries
    same_section = commit(lambda: ArticleFactory(headline="Harbour dredging", section=story.section))
    assert related_headlines(client, story) == ["Ferry timetable cut", "Harbour dredging"]

    with django_capture_on_commit_callbacks() as after_commit:
        neighbour.status, neighbour.last_edited_by = Article.Status.WITHDRAWN, staff_user("Editor")
        neighbour.save()
    # Not committed yet: the stored list still names it, the gate does not.
    assert neighbour.pk in stored_ids(story)
    assert related_headlines(client, story) == ["Harbour dredging"]

    for callback in after_commit:
        callback()
    assert stored_ids(story) == [same_section.pk]


def test_a_story_given_shared_topics_enters_the_related_lists_of_its_closest_stories(client, commit, ferries):
    story, neighbour, topics = ferries
    newcomer = commit(lambda: ArticleFactory(headline="Ferry strike called", section=SectionFactory()))
    assert "Ferry strike called" not in related_headlines(client, story)

    commit(lambda: newcomer.tags.add(*topics))
    assert {"Ferry timetable cut", "Ferry strike called"} <= set(related_headlines(client, story))
    assert set(related_headlines(client, newcomer)) == {"Ferry fares rise", "Ferry timetable cut"}

    commit(lambda: newcomer.tags.clear())
    assert "Ferry strike called" not in related_headlines(client, story)


def test_a_newly_published_story_appears_in_its_related_stories_lists(client, commit, ferries):
    story, neighbour, topics = ferries
    draft = ArticleFactory(headline="Ferry union talks", status=Article.Status.DRAFT, published_at=None)
    draft.tags.set(topics)
    commit(lambda: put_in_state(draft, "published"))

    assert "Ferry union talks" in related_headlines(client, story)
    assert "Ferry union talks" in related_headlines(client, neighbour)


def test_stored_related_stories_keep_related_to_order(client, commit):
    """Shared topics first, then the section's newest; never the story itself."""
    section, other_section = SectionFactory(), SectionFactory()
    ferries, fares, weather = TagFactory(), TagFactory(), TagFactory()
    article = ArticleFactory(section=section, headline="The story itself")
    two_tags = ArticleFactory(section=other_section, headline="Shares two topics")
    one_tag = ArticleFactory(section=other_section, headline="Shares one topic")
    ArticleFactory(section=section, headline="Same section only")
    ArticleFactory(section=other_section, headline="Unrelated story")
    article.tags.add(ferries, fares)
    two_tags.tags.add(ferries, fares)
    one_tag.tags.add(fares, weather)
    output = io.StringIO()
    call_command("refresh_related_stories", stdout=output)

    assert "for 5 stories" in output.getvalue()
    assert stored_ids(article) is not None
    expected = ["Shares two topics", "Shares one topic", "Same section only"]
    assert related_headlines(client, article) == expected
    assert [s.headline for s in Article.objects.published().related_to(article)] == expected
