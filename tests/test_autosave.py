"""Autosave: each person's copy of a story kept on the server as they type, never over the story itself."""

import json
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article, Autosave

from .factories import DraftFactory, SectionFactory, staff_user
from .test_workflow import form_data

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def reporter():
    return staff_user("Reporter")


@pytest.fixture
def editor():
    return staff_user("Editor")


def new_form_data(section, **changes):
    data = {
        "headline": "Ferry strike ends",
        "slug": "ferry-strike-ends",
        "standfirst": "",
        "body": "<p>Crews return on Monday.</p>",
        "section": section.pk,
        "article_type": "news",
        "dateline": "",
        "source": "",
        "status": "draft",
        "bylines-TOTAL_FORMS": "0",
        "bylines-INITIAL_FORMS": "0",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def autosave_url(article):
    return reverse("admin:articles_article_autosave", args=[article.pk])


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_reporter_autosave_keeps_the_copy_and_never_touches_the_story(reporter):
    draft = DraftFactory(created_by=reporter, headline="Harbour delay", body="<p>The dredging starts in May.</p>")
    before = Article.objects.values().get(pk=draft.pk)

    response = logged_in(reporter).post(
        autosave_url(draft), form_data(draft, headline="Harbour delay hits ferries", body="<p>Half typed</p>")
    )

    assert response.status_code == 200
    assert response.json()["saved_at"]
    autosave = Autosave.objects.get()
    assert (autosave.user, autosave.article, autosave.base_version) == (reporter, draft, draft.version)
    assert autosave.data["headline"] == ["Harbour delay hits ferries"]
    assert "csrfmiddlewaretoken" not in autosave.data
    assert Article.objects.values().get(pk=draft.pk) == before


def test_each_person_keeps_one_autosave_per_story_the_newest(reporter):
    draft = DraftFactory(created_by=reporter)
    client = logged_in(reporter)
    client.post(autosave_url(draft), form_data(draft, headline="First try"))
    client.post(autosave_url(draft), form_data(draft, headline="Second try"))

    assert Autosave.objects.get().data["headline"] == ["Second try"]


def test_reporter_cannot_autosave_over_a_story_they_may_not_edit(reporter, editor):
    others_draft = DraftFactory(created_by=editor)
    own_in_review = DraftFactory(created_by=reporter, status=Article.Status.REVIEW)
    client = logged_in(reporter)

    for story in (others_draft, own_in_review):
        assert client.post(autosave_url(story), form_data(story, headline="Mine now")).status_code == 403
    assert not Autosave.objects.exists()


def test_an_autosave_with_a_null_character_or_over_the_size_limit_is_refused(reporter, settings):
    draft = DraftFactory(created_by=reporter)
    client = logged_in(reporter)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000

    assert client.post(autosave_url(draft), form_data(draft, body="<p>a\x00b</p>")).status_code == 400
    assert client.post(autosave_url(draft), form_data(draft, body="<p>" + "word " * 5000 + "</p>")).status_code == 400
    assert client.post(autosave_url(draft), form_data(draft, base_version="")).status_code == 400
    assert not Autosave.objects.exists()


def test_editor_reopens_a_story_and_is_offered_the_copy_with_a_word_diff(editor):
    story = DraftFactory(created_by=editor, headline="Harbour delay", body="<p>The dredging starts in May.</p>")
    client = logged_in(editor)
    client.post(
        autosave_url(story),
        form_data(story, body='<p>The dredging starts in June.</p><script>alert("x")</script>'),
    )

    html = client.get(change_url(story)).content.decode()

    assert "You have unsaved changes from" in html
    assert "<del>May.</del> <ins>June.</ins>" in html
    assert "Harbour delay</dd>" not in html  # only the fields that changed are listed
    assert '<script>alert("x")' not in html  # the copy is data in the page, never markup
    assert reverse("admin:articles_article_discard_autosave", args=[story.pk]) in html
    assert 'src="/static/js/autosave.js"' in html


def test_a_new_story_is_autosaved_listed_for_its_reporter_and_offered_back_on_the_add_page(reporter, editor):
    section = SectionFactory(name="Transport")
    key = uuid.uuid4()
    client = logged_in(reporter)

    response = client.post(
        reverse("admin:articles_article_autosave_new", args=[key]), new_form_data(section, headline="Ferry strike")
    )

    assert response.status_code == 200
    assert not Article.objects.exists()
    autosave = Autosave.objects.unsaved_new_stories(reporter).get()
    assert (autosave.key, autosave.article, autosave.headline) == (key, None, "Ferry strike")
    assert not Autosave.objects.unsaved_new_stories(editor).exists()
    assert autosave.get_absolute_url() == f"{reverse('admin:articles_article_add')}?autosave={key}"

    html = client.get(autosave.get_absolute_url()).content.decode()
    assert "You have unsaved changes from" in html
    assert "(“Ferry strike”)" in html
    assert "<ins>Ferry strike</ins>" in html
    offer = json.loads(html.split('id="autosave-data" type="application/json">')[1].split("</script>")[0])
    assert offer["data"]["headline"] == ["Ferry strike"]
    assert offer["labels"]["section"] == {str(section.pk): "Transport"}
    assert offer["url"] == reverse("admin:articles_article_autosave_new", args=[key])
    desk = client.get(reverse("admin:index")).content.decode()
    assert f'href="{reverse("admin:articles_article_add")}?autosave={key}">Ferry strike</a>' in desk
    # A plain "add story" offers the newest story left unsaved too, and the page keeps a key of its own.
    assert "You have unsaved changes from" in client.get(reverse("admin:articles_article_add")).content.decode()


def test_saving_the_story_clears_its_autosave_and_leaves_others_copies(reporter, editor):
    draft = DraftFactory(created_by=reporter)
    logged_in(editor).post(autosave_url(draft), form_data(draft, headline="Editor's idea"))
    client = logged_in(reporter)
    client.post(autosave_url(draft), form_data(draft, headline="Reporter's copy"))

    response = client.post(change_url(draft), form_data(draft, headline="Reporter's copy", _continue="1"))

    assert response.status_code == 302
    assert list(Autosave.objects.values_list("user__username", flat=True)) == ["editor"]
    assert "You have unsaved changes" not in client.get(change_url(draft)).content.decode()


def test_saving_a_new_story_clears_the_autosave_it_came_from(reporter):
    section = SectionFactory()
    key = uuid.uuid4()
    client = logged_in(reporter)
    client.post(reverse("admin:articles_article_autosave_new", args=[key]), new_form_data(section))

    response = client.post(f"{reverse('admin:articles_article_add')}?autosave={key}", new_form_data(section))

    assert response.status_code == 302
    assert Article.objects.get().headline == "Ferry strike ends"
    assert not Autosave.objects.exists()


def test_restoring_a_copy_typed_on_an_older_version_meets_the_conflict_screen(reporter, editor):
    """Restore puts the copy's version in the form, so a save after someone else's shows both side by side."""
    draft = DraftFactory(created_by=reporter, headline="Harbour delay", body="<p>The dredging starts in May.</p>")
    client = logged_in(reporter)
    client.post(autosave_url(draft), form_data(draft, body="<p>The dredging starts in June.</p>"))
    logged_in(editor).post(change_url(draft), form_data(draft, headline="Harbour delay: new date"))
    draft.refresh_from_db()
    assert draft.headline == "Harbour delay: new date"

    offered = client.get(change_url(draft)).content.decode()
    restored = {name: values for name, values in Autosave.objects.get().data.items()}
    response = client.post(change_url(draft), restored)

    assert "The story was saved by someone since you typed them" in offered
    assert response.status_code == 200
    html = response.content.decode()
    assert "since you opened it" in html
    assert "Changed by editor at" in html
    assert "<del>May.</del> <ins>June.</ins>" in html
    draft.refresh_from_db()
    assert (draft.headline, draft.body) == ("Harbour delay: new date", "<p>The dredging starts in May.</p>")


def test_discard_drops_only_the_persons_own_copy(reporter, editor):
    draft = DraftFactory(created_by=reporter)
    logged_in(editor).post(autosave_url(draft), form_data(draft, headline="Editor's idea"))
    client = logged_in(reporter)
    client.post(autosave_url(draft), form_data(draft, headline="Reporter's copy"))

    response = client.post(reverse("admin:articles_article_discard_autosave", args=[draft.pk]))

    assert response.status_code == 302
    assert response["Location"] == change_url(draft)
    assert list(Autosave.objects.values_list("user__username", flat=True)) == ["editor"]


def test_pending_for_names_copies_of_others_typed_since_the_last_save(reporter, editor):
    draft = DraftFactory(created_by=reporter)
    logged_in(reporter).post(autosave_url(draft), form_data(draft, headline="Reporter's copy"))
    logged_in(editor).post(autosave_url(draft), form_data(draft, headline="Editor's copy"))

    assert [a.user for a in Autosave.objects.pending_for(draft, excluding_user=editor)] == [reporter]
    assert Autosave.objects.pending_for(draft).count() == 2
    Article.objects.filter(pk=draft.pk).update(modified_at=draft.modified_at + timedelta(days=1))
    draft.refresh_from_db()
    assert not Autosave.objects.pending_for(draft, excluding_user=editor).exists()


def test_the_add_page_names_its_copy_and_ignores_a_malformed_key(reporter):
    client = logged_in(reporter)
    add = reverse("admin:articles_article_add")

    fresh = client.get(add).content.decode()
    malformed = client.get(f"{add}?autosave=not-a-key")
    saved = client.post(f"{add}?autosave=not-a-key", new_form_data(SectionFactory()))

    key = fresh.split('data-key="')[1].split('"')[0]
    assert reverse("admin:articles_article_autosave_new", args=[uuid.UUID(key)]) in fresh
    assert "You have unsaved changes" not in fresh
    assert malformed.status_code == 200
    assert saved.status_code == 302


def test_discarding_a_new_story_drops_that_copy_only(reporter):
    section = SectionFactory()
    kept, dropped = uuid.uuid4(), uuid.uuid4()
    client = logged_in(reporter)
    for key in (kept, dropped):
        client.post(reverse("admin:articles_article_autosave_new", args=[key]), new_form_data(section))

    response = client.post(reverse("admin:articles_article_discard_autosave_new", args=[dropped]))

    assert response["Location"] == reverse("admin:articles_article_add")
    assert list(Autosave.objects.values_list("key", flat=True)) == [kept]
