"""Revisions, restores and recovering deleted stories, as each role meets them in the admin."""

import pytest
import reversion
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, Byline, StatusChange

from .factories import (
    ArticleFactory,
    AuthorFactory,
    DraftFactory,
    ImageFactory,
    SectionFactory,
    TagFactory,
    staff_user,
)
from .test_workflow import form_data

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def revision_url(article, version):
    return reverse("admin:articles_article_revision", args=[article.pk, version.pk])


def save_in_admin(client, article, new_bylines=(), **changes):
    """Post the story's change form as a browser would, with `changes`; new bylines are (author, role) pairs."""
    article.refresh_from_db()
    data = form_data(article, tags=[tag.pk for tag in article.tags.all()], home_rank=article.home_rank or "")
    bylines = list(article.bylines.all())
    data["bylines-TOTAL_FORMS"] = len(bylines) + len(new_bylines)
    data["bylines-INITIAL_FORMS"] = len(bylines)
    for i, byline in enumerate(bylines):
        data.update({f"bylines-{i}-id": byline.pk, f"bylines-{i}-author": byline.author_id})
        data.update({f"bylines-{i}-role": byline.role, f"bylines-{i}-position": byline.position})
    for i, (author, role) in enumerate(new_bylines, start=len(bylines)):
        data.update({f"bylines-{i}-author": author.pk, f"bylines-{i}-role": role, f"bylines-{i}-position": i})
    data.update(changes)
    response = client.post(change_url(article), data)
    assert response.status_code == 302, response.content.decode()
    article.refresh_from_db()


def oldest_version(article):
    return Version.objects.get_for_object(article).order_by("pk").first()


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# django-reversion's recover views -----------------------------------------------------------------


def test_reporter_cannot_unpublish_and_rewrite_a_published_story_through_the_recover_view():
    editor = client_for(staff_user("Editor"))
    story = ArticleFactory(headline="Council approves the budget")
    save_in_admin(editor, story, headline="Council approves the budget after a long night")
    version_before = story.version
    reporter = client_for(staff_user("Reporter"))

    assert reporter.get(reverse("admin:articles_article_history", args=[story.pk])).status_code == 200
    recover_url = reverse("admin:articles_article_recover", args=[oldest_version(story).pk])
    assert reporter.get(recover_url).status_code == 403
    assert reporter.post(recover_url, {"headline": "Rewritten by a reporter"}).status_code == 403

    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED and story.published_at is not None
    assert story.headline == "Council approves the budget after a long night"
    assert story.version == version_before


def test_the_recover_view_answers_not_found_for_a_story_that_was_not_deleted():
    editor = client_for(staff_user("Editor"))
    story = ArticleFactory()
    save_in_admin(editor, story, headline="Second headline")

    recover_url = reverse("admin:articles_article_recover", args=[oldest_version(story).pk])
    assert editor.get(recover_url).status_code == 404
    assert editor.post(recover_url).status_code == 404
    story.refresh_from_db()
    assert story.headline == "Second headline" and story.status == Article.Status.PUBLISHED


def deleted_story(editor_client):
    """A story with credits, a topic and a correction, saved in the admin and then deleted by an admin."""
    story = ArticleFactory(headline="Ferry strike ends", slug="ferry-strike-ends")
    story.tags.add(TagFactory(name="Transport"))
    save_in_admin(editor_client, story, new_bylines=[(AuthorFactory(name="Ann Vik"), "by")])
    story.corrections.create(note="An earlier version misstated the date.")
    with reversion.create_revision():
        story.save()
    last_version = story.version
    client_for(staff_user("Admin")).post(reverse("admin:articles_article_delete", args=[story.pk]), {"post": "yes"})
    assert not Article.objects.filter(pk=story.pk).exists()
    return story.pk, last_version


def test_reporter_can_neither_list_nor_read_deleted_stories():
    pk, _ = deleted_story(client_for(staff_user("Editor")))
    reporter = client_for(staff_user("Reporter"))
    version = Version.objects.get_deleted(Article).get(object_id=str(pk))

    assert reporter.get(reverse("admin:articles_article_recoverlist")).status_code == 403
    assert reporter.get(reverse("admin:articles_article_recover", args=[version.pk])).status_code == 403
    assert reporter.post(reverse("admin:articles_article_recover", args=[version.pk])).status_code == 403
    assert "Recover deleted" not in reporter.get(reverse("admin:articles_article_changelist")).content.decode()
    assert not Article.objects.filter(pk=pk).exists()


def test_editor_recovers_a_deleted_story_as_a_draft_with_its_credits_topics_and_corrections():
    editor_user = staff_user("Editor")
    editor = client_for(editor_user)
    pk, last_version = deleted_story(editor)
    assert "Recover deleted" in editor.get(reverse("admin:articles_article_changelist")).content.decode()
    listing = editor.get(reverse("admin:articles_article_recoverlist")).content.decode()
    version = Version.objects.get_deleted(Article).get(object_id=str(pk))
    recover_url = reverse("admin:articles_article_recover", args=[version.pk])
    assert recover_url in listing and "Ferry strike ends" in listing

    page = editor.get(recover_url).content.decode()
    assert "Ann Vik" in page and "Transport" in page and "Recover as a draft" in page
    response = editor.post(recover_url)

    assert response.status_code == 302 and response["Location"] == reverse("admin:articles_article_change", args=[pk])
    story = Article.objects.get(pk=pk)
    assert (story.headline, story.status, story.published_at) == ("Ferry strike ends", Article.Status.DRAFT, None)
    assert story.version > last_version
    assert [str(byline) for byline in story.bylines.all()] == ["By Ann Vik"]
    assert [tag.name for tag in story.tags.all()] == ["Transport"]
    assert [c.note for c in story.corrections.all()] == ["An earlier version misstated the date."]
    assert [(c.from_status, c.to_status, c.changed_by) for c in story.status_changes.all()] == [
        ("", Article.Status.DRAFT, editor_user)
    ]
    assert Version.objects.get_for_object(story).first().revision.user == editor_user


def test_recovering_a_story_whose_address_another_story_now_holds_is_refused_with_a_message():
    editor = client_for(staff_user("Editor"))
    pk, _ = deleted_story(editor)
    ArticleFactory(headline="A new story", slug="ferry-strike-ends")
    version = Version.objects.get_deleted(Article).get(object_id=str(pk))

    response = editor.post(reverse("admin:articles_article_recover", args=[version.pk]))

    assert response.status_code == 302
    assert "the address “ferry-strike-ends” now belongs to another story, “A new story”" in messages_of(response)[-1]
    assert not Article.objects.filter(pk=pk).exists()


# Restoring a revision -----------------------------------------------------------------------------


def test_restoring_brings_back_every_byline_the_revision_page_shows():
    editor = client_for(staff_user("Editor"))
    story = ArticleFactory()
    names = ["Ann Vik", "Bo Lund", "Cai Berg", "Dag Holm"]
    credits = [
        (AuthorFactory(name=name), role) for name, role in zip(names, ["by", "by", "additional", "photos"], strict=True)
    ]
    save_in_admin(editor, story, new_bylines=credits)
    four_bylines = Version.objects.get_for_object(story).first()
    story.bylines.exclude(author__name="Ann Vik").delete()
    save_in_admin(editor, story, headline="Only one byline now")

    page = editor.get(revision_url(story, four_bylines)).content.decode()
    assert "<del>Vik; By: Bo Lund; Additional reporting by: Cai Berg; Photos by: Dag Holm</del>" in page
    response = editor.post(revision_url(story, four_bylines), {"base_version": story.version})

    assert response.status_code == 302
    assert [str(byline) for byline in story.bylines.all()] == [
        "By Ann Vik",
        "By Bo Lund",
        "Additional reporting by Cai Berg",
        "Photos by Dag Holm",
    ]


def test_a_revision_saved_with_other_stories_restores_only_this_storys_bylines():
    editor = staff_user("Editor")
    story, other = ArticleFactory(), ArticleFactory()
    with reversion.create_revision():  # a bulk action saves every selected story in one revision
        Byline.objects.create(article=story, author=AuthorFactory(name="Ann Vik"))
        Byline.objects.create(article=other, author=AuthorFactory(name="Bo Lund"))
        story.save()
        other.save()
    version = Version.objects.get_for_object(story).get()
    story.bylines.all().delete()
    story.refresh_from_db()

    client_for(editor).post(revision_url(story, version), {"base_version": story.version})

    assert [str(byline) for byline in story.bylines.all()] == ["By Ann Vik"]


def test_the_revision_page_compares_and_restore_brings_back_picture_topics_and_home_page_place():
    editor = client_for(staff_user("Editor"))
    picture = ImageFactory(caption="Harbour at dawn")
    story = ArticleFactory(lead_image=picture, home_rank=2)
    story.tags.add(TagFactory(name="Harbour"))
    save_in_admin(editor, story, headline="First")
    first = Version.objects.get_for_object(story).first()
    save_in_admin(editor, story, lead_image="", home_rank="", tags=[TagFactory(name="Weather").pk])

    page = editor.get(revision_url(story, first)).content.decode()
    for label, was, now in [("Lead image", "Harbour at dawn", None), ("Tags", "Harbour", "Weather")]:
        assert f'<th scope="row">{label}</th>' in page and f"<del>{was}" in page
        assert now is None or f"<ins>{now}</ins>" in page
    assert '<th scope="row">Home page place</th><td class="conflict__text"><del>2</del>' in page
    editor.post(revision_url(story, first), {"base_version": story.version})

    story.refresh_from_db()
    assert (story.lead_image, story.home_rank) == (picture, 2)
    assert [tag.name for tag in story.tags.all()] == ["Harbour"]


def test_reporter_restoring_their_draft_leaves_the_home_page_place_to_editors():
    reporter_user = staff_user("Reporter")
    reporter = client_for(reporter_user)
    draft = DraftFactory(headline="Draft words", created_by=reporter_user, home_rank=None)
    save_in_admin(reporter, draft, headline="Second draft words")
    first = Version.objects.get_for_object(draft).first()
    Article.objects.filter(pk=draft.pk).update(home_rank=1)  # an editor places it meanwhile
    draft.refresh_from_db()

    reporter.post(revision_url(draft, first), {"base_version": draft.version})

    draft.refresh_from_db()
    assert (draft.headline, draft.home_rank, draft.status) == ("Second draft words", 1, Article.Status.DRAFT)


def test_restoring_moves_the_version_forward_keeps_the_publishing_state_and_refreshes_the_cached_page(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 600
    editor = client_for(staff_user("Editor"))
    story = ArticleFactory(headline="Old headline")
    save_in_admin(editor, story, headline="Old headline")
    first = Version.objects.get_for_object(story).first()
    with django_capture_on_commit_callbacks(execute=True):
        save_in_admin(editor, story, headline="New headline")
    assert "New headline" in client.get(story.get_absolute_url()).content.decode()
    before = story.version, story.published_at

    with django_capture_on_commit_callbacks(execute=True):
        editor.post(revision_url(story, first), {"base_version": story.version})

    story.refresh_from_db()
    assert story.version == before[0] + 1 and story.published_at == before[1]
    assert story.status == Article.Status.PUBLISHED
    assert "Old headline" in client.get(story.get_absolute_url()).content.decode()


def test_restoring_a_revision_whose_address_another_story_now_holds_is_refused_with_a_message():
    editor = client_for(staff_user("Editor"))
    story = ArticleFactory(headline="Bridge closes", slug="bridge-closes")
    save_in_admin(editor, story)
    first = Version.objects.get_for_object(story).first()
    save_in_admin(editor, story, headline="Bridge reopens", slug="bridge-reopens", body="<p>Open again.</p>")
    ArticleFactory(headline="Another bridge closes", slug="bridge-closes", section=SectionFactory())

    response = editor.post(revision_url(story, first), {"base_version": story.version})

    assert response.status_code == 302
    assert (
        "the address “bridge-closes” now belongs to another story, “Another bridge closes”" in messages_of(response)[-1]
    )
    story.refresh_from_db()
    assert (story.headline, story.slug, story.body) == ("Bridge reopens", "bridge-reopens", "<p>Open again.</p>")
    assert not StatusChange.objects.filter(article=story).exclude(from_status="").exists()


def test_revision_and_conflict_tables_read_a_non_breaking_space_as_a_space():
    alice, bob = client_for(staff_user("Editor", "alice")), client_for(staff_user("Editor", "bob"))
    story = ArticleFactory(body="<p>Tides&nbsp;rise at&nbsp;dawn.</p>")
    save_in_admin(alice, story)
    first = Version.objects.get_for_object(story).first()
    stale_version = story.version
    save_in_admin(alice, story, body="<p>Tides&nbsp;fall at&nbsp;dusk &amp; dawn.</p>")

    page = alice.get(revision_url(story, first)).content.decode()
    assert "nbsp" not in page and "Tides <del>rise</del> <ins>fall</ins> at <ins>dusk &amp;</ins> dawn." in page
    conflict = bob.post(change_url(story), {"base_version": stale_version, "body": "<p>Tides&nbsp;turn.</p>"})
    assert "Tides fall at dusk &amp; dawn." in conflict.content.decode()
    assert "nbsp" not in conflict.content.decode().split('id="conflict-heading"')[1].split("</section>")[0]
