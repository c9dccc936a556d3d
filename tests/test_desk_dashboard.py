"""The desk, the admin's first screen: each role's lists, sending a story back with a note, constant queries."""

from datetime import timedelta

import html5lib
import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, EditingPresence, StatusChange

from .factories import ArticleFactory, CorrectionFactory, DraftFactory, staff_user
from .test_workflow import bulk, change_url, client_for

pytestmark = pytest.mark.django_db

DRAFT, REVIEW, PUBLISHED, WITHDRAWN = (
    Article.Status.DRAFT,
    Article.Status.REVIEW,
    Article.Status.PUBLISHED,
    Article.Status.WITHDRAWN,
)


def desk(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return html5lib.HTMLParser(namespaceHTMLElements=False).parse(response.content.decode())


def listed(page, section_id):
    """The stories a desk list shows, in order: (headline, link) of each item's first link."""
    section = page.find(f".//section[@id='{section_id}']")
    assert section is not None, f"no {section_id} on the desk"
    items = [item.find(".//a") for item in section.find("ul").findall("li")]
    return [(link.text, link.get("href")) for link in items if link is not None]


def headlines(page, section_id):
    return [headline for headline, _ in listed(page, section_id)]


def section_text(page, section_id):
    return " ".join("".join(page.find(f".//section[@id='{section_id}']").itertext()).split())


def submit(story, reporter, hours_ago):
    story.status, story.last_edited_by = REVIEW, reporter
    story.save()
    StatusChange.objects.filter(article=story, to_status=REVIEW).update(
        changed_at=timezone.now() - timedelta(hours=hours_ago)
    )
    return story


def in_hours(hours):
    return timezone.now() + timedelta(hours=hours)


def test_editor_desk_shows_each_list_with_the_right_stories_and_links():
    editor, reporter = staff_user("Editor"), staff_user("Reporter")
    newer = submit(DraftFactory(headline="Council votes on the bridge", created_by=reporter), reporter, 1)
    older = submit(DraftFactory(headline="Strike at the port", created_by=reporter), reporter, 5)
    ArticleFactory(headline="Budget at noon", published_at=in_hours(5))
    ArticleFactory(headline="Budget next week", published_at=in_hours(24 * 7))
    DraftFactory(headline="Editor's own draft", created_by=editor)
    DraftFactory(headline="Assigned feature", created_by=reporter, assigned_to=editor)
    DraftFactory(headline="Someone else's draft", created_by=reporter)
    today = ArticleFactory(headline="Ferry returns", published_at=timezone.now() - timedelta(seconds=30))
    ArticleFactory(headline="Last week's news", published_at=timezone.now() - timedelta(days=7))
    ArticleFactory(headline="Offer ends tomorrow", expires_at=in_hours(20), published_at=in_hours(-48))
    ArticleFactory(headline="Offer ends next month", expires_at=in_hours(24 * 30), published_at=in_hours(-48))
    CorrectionFactory(article=today, note="The ferry leaves at 9, not 10.")
    EditingPresence.beat(older, reporter)

    page = desk(client_for(editor))

    assert listed(page, "desk-in-review") == [
        ("Strike at the port", change_url(older)),
        ("Council votes on the bridge", change_url(newer)),
    ]
    assert "Submitted by reporter" in section_text(page, "desk-in-review")
    assert headlines(page, "desk-scheduled") == ["Budget at noon"]
    assert headlines(page, "desk-my-stories") == ["Assigned feature", "Editor's own draft"]  # newest first
    assert headlines(page, "desk-assigned") == ["Assigned feature"]
    assert "Ferry returns" in headlines(page, "desk-published-today")
    assert "Last week's news" not in headlines(page, "desk-published-today")
    assert headlines(page, "desk-expiring") == ["Offer ends tomorrow"]
    assert headlines(page, "desk-corrections") == ["Ferry returns"]
    assert "The ferry leaves at 9, not 10." in section_text(page, "desk-corrections")
    assert headlines(page, "desk-editing-now") == ["Strike at the port"]
    assert section_text(page, "desk-editing-now").startswith("Editing right now reporter:")
    assert page.find(f".//a[@href='{reverse('admin:articles_article_home_board')}']") is not None
    assert page.find(".//section[@id='desk-sent-back']") is None
    assert "editorial" in page.find(".//*[@id='site-name']").findtext("a")  # the project's header stays


def test_stale_presence_is_not_on_the_desk():
    editor, reporter = staff_user("Editor"), staff_user("Reporter")
    story = DraftFactory(created_by=reporter)
    EditingPresence.beat(story, reporter)
    EditingPresence.objects.update(seen_at=timezone.now() - timedelta(minutes=5))

    assert headlines(desk(client_for(editor)), "desk-editing-now") == []


def test_reporter_desk_shows_their_own_stories_and_never_other_peoples_drafts():
    editor, reporter = staff_user("Editor"), staff_user("Reporter")
    other = staff_user("Reporter", username="other-reporter")
    draft = DraftFactory(headline="My draft on the floods", created_by=reporter)
    submit(DraftFactory(headline="My story in review", created_by=reporter), reporter, 2)
    ArticleFactory(headline="My published story", created_by=reporter)
    DraftFactory(headline="Another reporter's secret draft", created_by=other)
    ArticleFactory(headline="Someone else's published story", created_by=editor)

    response = client_for(reporter).get(reverse("admin:index"))
    page = desk(client_for(reporter))

    assert listed(page, "desk-my-stories") == [("My draft on the floods", change_url(draft))]
    assert headlines(page, "desk-submitted") == ["My story in review"]
    assert headlines(page, "desk-published") == ["My published story"]
    assert headlines(page, "desk-sent-back") == []
    assert "Another reporter's secret draft" not in response.content.decode()
    assert page.find(".//section[@id='desk-in-review']") is None
    assert reverse("admin:articles_article_home_board") not in response.content.decode()


# Sending back -------------------------------------------------------------------------------------


def test_editor_sends_a_story_back_with_a_note_and_the_reporter_reads_it_on_their_desk():
    editor, reporter = staff_user("Editor"), staff_user("Reporter")
    story = submit(DraftFactory(headline="Strike at the port", created_by=reporter), reporter, 1)
    client = client_for(editor)

    asked = bulk(client, "send_back", story)
    assert asked.status_code == 200
    assert 'name="note"' in asked.content.decode()
    assert Article.objects.get(pk=story.pk).status == REVIEW  # nothing happens before the note is written

    data = {"action": "send_back", "_selected_action": [story.pk], f"version_{story.pk}": story.version}
    client.post(reverse("admin:articles_article_changelist"), {**data, "note": "Needs a second source."})

    story.refresh_from_db()
    assert story.status == DRAFT
    log = story.status_changes.first()
    assert (log.from_status, log.to_status, log.changed_by, log.note) == (
        REVIEW,
        DRAFT,
        editor,
        "Needs a second source.",
    )
    page = desk(client_for(reporter))
    assert listed(page, "desk-sent-back") == [("Strike at the port", change_url(story))]
    assert "Sent back by editor" in section_text(page, "desk-sent-back")
    assert "Needs a second source." in section_text(page, "desk-sent-back")
    assert headlines(page, "desk-my-stories") == []


def test_sending_back_without_a_note_asks_again_and_changes_nothing():
    editor, reporter = staff_user("Editor"), staff_user("Reporter")
    story = submit(DraftFactory(created_by=reporter), reporter, 1)
    data = {"action": "send_back", "_selected_action": [story.pk], f"version_{story.pk}": story.version, "note": " "}

    response = client_for(editor).post(reverse("admin:articles_article_changelist"), data)

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert Article.objects.get(pk=story.pk).status == REVIEW


def test_reporter_cannot_send_a_story_back():
    reporter = staff_user("Reporter")
    story = submit(DraftFactory(created_by=reporter), reporter, 1)
    data = {"action": "send_back", "_selected_action": [story.pk], f"version_{story.pk}": story.version, "note": "x"}

    client = client_for(reporter)
    client.post(reverse("admin:articles_article_changelist"), data)

    assert Article.objects.get(pk=story.pk).status == REVIEW
    assert not StatusChange.objects.filter(note="x").exists()
    assert "send_back" not in client.get(reverse("admin:articles_article_changelist")).content.decode()


def test_a_stale_send_back_is_refused():
    editor, reporter = staff_user("Editor"), staff_user("Reporter")
    story = submit(DraftFactory(created_by=reporter), reporter, 1)
    data = {"action": "send_back", "_selected_action": [story.pk], f"version_{story.pk}": story.version - 1}

    response = client_for(editor).post(
        reverse("admin:articles_article_changelist"), {**data, "note": "Cut it."}, follow=True
    )

    assert Article.objects.get(pk=story.pk).status == REVIEW
    assert "changed since you opened it" in response.content.decode()


# Query budget -------------------------------------------------------------------------------------


def fill_the_desk(editor, reporter, count):
    for n in range(count):
        submit(DraftFactory(created_by=reporter), reporter, n + 1)
        DraftFactory(created_by=reporter)
        DraftFactory(created_by=editor, assigned_to=editor)
        ArticleFactory(created_by=reporter, published_at=in_hours(3), expires_at=in_hours(30))
        live = ArticleFactory(created_by=reporter, published_at=timezone.now() - timedelta(seconds=10))
        CorrectionFactory(article=live, created_by=editor)
        sent_back = submit(DraftFactory(created_by=reporter), reporter, 1)
        sent_back.send_back(editor, f"Note {n}")
        EditingPresence.beat(live, editor)


@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.parametrize("role, budget", [("Editor", 14), ("Reporter", 10)])
def test_the_desk_costs_the_same_queries_however_many_stories(role, budget, count, django_assert_max_num_queries):
    """Session, user, permissions, the app list and one query per list (never-saved stories too); none per story."""
    editor, reporter = staff_user("Editor"), staff_user("Reporter")
    fill_the_desk(editor, reporter, count)
    client = client_for(editor if role == "Editor" else reporter)

    with django_assert_max_num_queries(budget):
        response = client.get(reverse("admin:index"))

    assert response.status_code == 200


def test_editor_sends_one_story_back_from_its_change_page():
    editor, reporter = staff_user("Editor"), staff_user("Reporter")
    story = submit(DraftFactory(headline="Strike at the port", created_by=reporter), reporter, 1)
    client = client_for(editor)
    send_back_url = reverse("admin:articles_article_send_back", args=[story.pk])

    assert f'href="{send_back_url}"' in client.get(change_url(story)).content.decode()
    asked = client.get(send_back_url)
    assert 'name="note"' in asked.content.decode()
    client.post(send_back_url, {"note": "Check the figures.", f"version_{story.pk}": story.version})

    story.refresh_from_db()
    assert story.status == DRAFT
    assert story.status_changes.first().note == "Check the figures."


def test_reporter_gets_403_sending_back_from_the_change_page_and_sees_no_link():
    reporter = staff_user("Reporter")
    story = submit(DraftFactory(created_by=reporter), reporter, 1)
    send_back_url = reverse("admin:articles_article_send_back", args=[story.pk])
    client = client_for(reporter)

    assert client.post(send_back_url, {"note": "x", f"version_{story.pk}": story.version}).status_code == 403
    assert Article.objects.get(pk=story.pk).status == REVIEW
    assert send_back_url not in client.get(change_url(story)).content.decode()
