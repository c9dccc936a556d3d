"""The desk's rules: shared previews die with a withdrawal, placement is an editor's call, the list tells
scheduled and expired stories apart, and a story readers cannot see opens in the preview."""

from datetime import timedelta
from importlib import import_module

import html5lib
import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.models import Article
from articles.preview import preview_token

from .factories import ArticleFactory, BylineFactory, DraftFactory, ImageFactory, ReadyDraftFactory, staff_user
from .test_reader_pages import home_layout
from .test_workflow import bulk, change_url, client_for, form_data

pytestmark = pytest.mark.django_db

DRAFT, REVIEW, PUBLISHED, WITHDRAWN = (
    Article.Status.DRAFT,
    Article.Status.REVIEW,
    Article.Status.PUBLISHED,
    Article.Status.WITHDRAWN,
)


def shared_link(article):
    return reverse("articles:preview_link", args=[preview_token(article)])


def home_lead(client):
    return home_layout(client.get("/"))["lead"]


def parse(response):
    return html5lib.HTMLParser(namespaceHTMLElements=False).parse(response.content.decode())


def text(element):
    return "".join(element.itertext()).strip()


# Preview links ------------------------------------------------------------------------------------


def withdraw_in_the_form(article, editor):
    client_for(editor).post(change_url(article), form_data(article, status=WITHDRAWN))


def withdraw_in_bulk(article, editor):
    bulk(client_for(editor), "withdraw", article)


def withdraw_in_code(article, editor):
    article.status, article.last_edited_by = WITHDRAWN, editor
    article.save()


@pytest.mark.parametrize("withdraw", [withdraw_in_the_form, withdraw_in_bulk, withdraw_in_code])
def test_withdrawal_kills_links_copied_before_it_even_when_the_story_is_published_again(withdraw):
    editor = staff_user("Editor")
    story = ArticleFactory(headline="Libel risk", lead_image=ImageFactory())
    BylineFactory(article=story)
    copied = shared_link(story)
    assert Client().get(copied).status_code == 200

    withdraw(story, editor)
    story.refresh_from_db()
    assert story.status == WITHDRAWN
    assert Client().get(copied).status_code == 404
    assert Client().get(shared_link(story)).status_code == 404  # no link at all while withdrawn

    bulk(client_for(editor), "publish", story)
    story.refresh_from_db()
    assert story.is_published()
    assert Client().get(copied).status_code == 404
    assert Client().get(shared_link(story)).status_code == 200


def test_editor_previews_a_withdrawn_story_but_is_offered_no_shareable_link():
    editor = client_for(staff_user("Editor"))
    story = ArticleFactory(status=WITHDRAWN, headline="Taken down")

    page = editor.get(change_url(story)).content.decode()

    assert "/preview/" + str(story.pk) + "/" in page
    assert "Shareable link" not in page and "no shareable link" in page
    assert editor.get(reverse("articles:preview", args=[story.pk])).status_code == 200


def test_reporter_gets_no_shareable_link_to_a_story_they_may_only_read():
    reporter = staff_user("Reporter")
    scheduled = ArticleFactory(published_at=timezone.now() + timedelta(days=1), created_by=reporter)

    page = client_for(reporter).get(change_url(scheduled))

    assert page.status_code == 200  # view only: scheduled stories are past the draft stage
    html = page.content.decode()
    assert f"/preview/{scheduled.pk}/" in html
    assert preview_token(scheduled) not in html and "Shareable link" not in html


def test_reporter_shares_a_link_to_their_own_draft():
    reporter = staff_user("Reporter")
    draft = DraftFactory(created_by=reporter)

    html = client_for(reporter).get(change_url(draft)).content.decode()

    assert "Shareable link" in html and preview_token(draft) in html


# Home page place ----------------------------------------------------------------------------------


def test_reporter_cannot_set_the_home_page_place_in_the_form():
    reporter = staff_user("Reporter")
    client = client_for(reporter)
    draft = DraftFactory(created_by=reporter)

    assert 'name="home_rank"' not in client.get(change_url(draft)).content.decode()
    response = client.post(change_url(draft), form_data(draft, home_rank="1", take_home_place="on"))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.home_rank is None


def test_a_place_given_by_a_reporter_on_any_save_path_is_not_kept_and_bulk_publish_does_not_lead_with_it():
    reporter, editor = staff_user("Reporter"), staff_user("Editor")
    ArticleFactory(headline="The editors' lead", home_rank=1)
    draft = ReadyDraftFactory(created_by=reporter, headline="Self-promoted")
    draft.home_rank, draft.last_edited_by = 1, reporter
    draft.save()
    draft.refresh_from_db()
    assert draft.home_rank is None

    bulk(client_for(editor), "publish", draft)

    assert Article.objects.get(pk=draft.pk).is_published()
    assert home_lead(Client()) == "The editors' lead"


def test_a_second_story_given_a_held_place_is_refused_with_the_holder_named_and_the_text_kept():
    editor = client_for(staff_user("Editor"))
    holder = ArticleFactory(headline="Flood warning", home_rank=1)
    story = ArticleFactory(headline="Bridge reopens")

    response = editor.post(change_url(story), form_data(story, home_rank="1", headline="Bridge reopens at last"))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'Place 1 is held by “<a href="{change_url(holder)}" target="_blank">Flood warning</a>” (published)' in html
    assert "Take the place" in html and "Bridge reopens at last" in html
    assert Article.objects.get(pk=story.pk).home_rank is None
    assert Article.objects.get(pk=holder.pk).home_rank == 1


def test_editor_takes_a_held_place_and_the_holder_moves_off_it_in_the_same_save():
    editor = client_for(staff_user("Editor"))
    ArticleFactory(headline="Flood warning", home_rank=1)
    story = ArticleFactory(headline="Bridge reopens")

    response = editor.post(change_url(story), form_data(story, home_rank="1", take_home_place="on"), follow=True)

    assert "“Flood warning” no longer holds home page place 1." in response.content.decode()
    assert dict(Article.objects.filter(home_rank__isnull=False).values_list("headline", "home_rank")) == {
        "Bridge reopens": 1
    }
    assert home_lead(Client()) == "Bridge reopens"


def test_places_reporters_gave_before_are_cleared_and_editors_places_stay():
    migration = import_module("articles.migrations.0013_desk_roles")
    reporter, editor = staff_user("Reporter"), staff_user("Editor")
    by_reporter = DraftFactory(home_rank=1)
    by_editor = DraftFactory(home_rank=2)
    live = ArticleFactory(home_rank=3)
    Article.objects.filter(pk__in=[by_reporter.pk, live.pk]).update(last_edited_by=reporter)
    Article.objects.filter(pk=by_editor.pk).update(last_edited_by=editor)

    migration.clear_reporters_home_places(apps, None)

    assert dict(Article.objects.values_list("pk", "home_rank")) == {by_reporter.pk: None, by_editor.pk: 2, live.pk: 3}


# The list and "View on site" ----------------------------------------------------------------------


def stories_in_every_state():
    now = timezone.now()
    return {
        "draft": DraftFactory(headline="A draft"),
        "review": ArticleFactory(headline="In review", status=REVIEW, published_at=None),
        "scheduled": ArticleFactory(headline="Tomorrow's", published_at=now + timedelta(days=1)),
        "live": ArticleFactory(headline="Live now"),
        "expired": ArticleFactory(headline="Gone stale", expires_at=now - timedelta(minutes=5)),
        "withdrawn": ArticleFactory(headline="Pulled", status=WITHDRAWN),
    }


def test_list_filters_stories_by_where_they_stand_and_says_scheduled_and_expired():
    editor = client_for(staff_user("Editor"))
    stories = stories_in_every_state()
    url = reverse("admin:articles_article_changelist")

    for state, story in stories.items():
        rows = parse(editor.get(url, {"state": state})).findall(".//table[@id='result_list']/tbody/tr")
        assert [text(row.find("th")) for row in rows] == [story.headline]
        label = text(rows[0].find("td[@class='field-status_label']"))
        expected = {"scheduled": "Scheduled", "live": "Published", "expired": "Expired"}.get(state)
        assert label == (expected or story.get_status_display())
    filters = editor.get(url).content.decode()
    for choice in ["Scheduled", "Published (live)", "Expired", "In review", "Withdrawn"]:
        assert f">{choice}</a>" in filters


@settings(max_examples=40, deadline=None)
@given(
    published=st.one_of(st.none(), st.integers(-5, 5)),
    expires=st.one_of(st.none(), st.integers(-5, 5)),
    status=st.sampled_from(Article.Status.values),
)
def test_every_story_is_in_exactly_one_state_and_the_story_agrees_with_its_queryset(published, expires, status):
    now = timezone.now()

    def hours_from_now(offset):
        return None if offset is None else now + timedelta(hours=offset, minutes=1)

    Article.objects.all().delete()
    story = ArticleFactory(status=status, published_at=hours_from_now(published), expires_at=hours_from_now(expires))
    sets = {
        "live": Article.objects.published(),
        "scheduled": Article.objects.scheduled(),
        "expired": Article.objects.expired(),
    }
    found = {name for name, stories in sets.items() if stories.filter(pk=story.pk).exists()}

    holds = {"live": story.is_published(), "scheduled": story.is_scheduled, "expired": story.is_expired}
    assert found == {name for name, true in holds.items() if true}
    assert len(found) == (1 if status == PUBLISHED else 0)


def view_on_site(client, article):
    [link] = [
        a.get("href") for a in parse(client.get(change_url(article))).iter("a") if "viewsitelink" in a.get("class", "")
    ]
    return link


@pytest.mark.parametrize("state", ["draft", "review", "scheduled", "expired", "withdrawn"])
def test_view_on_site_of_a_story_readers_cannot_see_opens_the_staff_preview(state):
    editor = client_for(staff_user("Editor"))
    story = stories_in_every_state()[state]

    link = view_on_site(editor, story)

    assert link == reverse("articles:preview", args=[story.pk])
    assert story.headline in editor.get(link).content.decode()


def test_view_on_site_of_a_live_story_opens_the_story():
    editor = client_for(staff_user("Editor"))
    story = ArticleFactory()

    response = editor.get(view_on_site(editor, story))

    assert response.status_code == 302 and response["Location"].endswith(story.get_absolute_url())
