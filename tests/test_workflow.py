import re
from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, EditingPresence, StatusChange
from articles.preview import preview_token

from .factories import ArticleFactory, ReadyDraftFactory, SectionFactory, staff_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
DRAFT, REVIEW, PUBLISHED, WITHDRAWN = (
    Article.Status.DRAFT,
    Article.Status.REVIEW,
    Article.Status.PUBLISHED,
    Article.Status.WITHDRAWN,
)


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def form_data(article, **overrides):
    """What the admin change form posts for `article`, as a browser would send it unchanged."""
    data = {
        "headline": article.headline,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "body": article.body,
        "section": article.section_id,
        "lead_image": article.lead_image_id or "",
        "article_type": article.article_type,
        "dateline": article.dateline,
        "source": article.source,
        "status": article.status,
        "published_at_0": article.published_at.strftime("%Y-%m-%d") if article.published_at else "",
        "published_at_1": article.published_at.strftime("%H:%M:%S") if article.published_at else "",
        "expires_at_0": "",
        "expires_at_1": "",
        "base_version": article.version,
        "bylines-TOTAL_FORMS": "0",
        "bylines-INITIAL_FORMS": "0",
        "bylines-MIN_NUM_FORMS": "0",
        "bylines-MAX_NUM_FORMS": "1000",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
        "corrections-MIN_NUM_FORMS": "0",
        "corrections-MAX_NUM_FORMS": "1000",
        # The status log: read only, but its (empty) formset is posted as the browser does.
        "status_changes-TOTAL_FORMS": "0",
        "status_changes-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def bulk(client, action, *articles):
    data = {"action": action, "_selected_action": [a.pk for a in articles]}
    data.update({f"version_{a.pk}": a.version for a in articles})
    return client.post(reverse("admin:articles_article_changelist"), data, follow=True)


# Roles -------------------------------------------------------------------------------------------


def test_reporter_writes_a_draft_and_submits_it_for_review():
    reporter = staff_user("Reporter")
    client = client_for(reporter)
    section = SectionFactory()
    draft = Article(headline="Pothole season", slug="pothole-season", section=section, body="<p>Holes.</p>")

    response = client.post(reverse("admin:articles_article_add"), form_data(draft, status=DRAFT, base_version=""))
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.created_by == reporter and article.status == DRAFT

    response = client.post(change_url(article), form_data(article, status=REVIEW, headline="Pothole season begins"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.status, article.headline) == (REVIEW, "Pothole season begins")
    assert list(article.status_changes.values_list("from_status", "to_status", "changed_by")) == [
        (DRAFT, REVIEW, reporter.pk),
        ("", DRAFT, reporter.pk),
    ]


def test_reporter_cannot_publish_through_a_crafted_form_post():
    reporter = staff_user("Reporter")
    article = ArticleFactory(status=DRAFT, published_at=None, created_by=reporter)

    response = client_for(reporter).post(change_url(article), form_data(article, status=PUBLISHED))

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    article.refresh_from_db()
    assert article.status == DRAFT


def test_reporter_cannot_schedule_or_set_times():
    reporter = staff_user("Reporter")
    article = ArticleFactory(status=DRAFT, published_at=None, created_by=reporter)
    data = form_data(article, published_at_0="2030-01-01", published_at_1="09:00:00", expires_at_0="2031-01-01")

    client_for(reporter).post(change_url(article), data)

    article.refresh_from_db()
    assert article.published_at is None and article.expires_at is None


@pytest.mark.parametrize("action", ["publish", "unpublish", "withdraw"])
def test_reporter_cannot_run_editor_bulk_actions(action):
    reporter = staff_user("Reporter")
    draft = ArticleFactory(status=DRAFT, published_at=None, created_by=reporter)
    live = ArticleFactory(created_by=reporter)

    bulk(client_for(reporter), action, draft, live)

    assert Article.objects.get(pk=draft.pk).status == DRAFT
    assert Article.objects.get(pk=live.pk).status == PUBLISHED


@pytest.mark.parametrize("status", [DRAFT, PUBLISHED])
def test_reporter_cannot_edit_stories_of_others_or_published_ones(status):
    reporter = staff_user("Reporter")
    others = ArticleFactory(status=status, created_by=staff_user("Editor"))
    own_published = ArticleFactory(created_by=reporter)
    client = client_for(reporter)

    for article in [others, own_published]:
        response = client.post(change_url(article), form_data(article, headline="Hijacked"))
        assert response.status_code == 403
        article.refresh_from_db()
        assert article.headline != "Hijacked"


def test_editor_publishes_schedules_withdraws_and_assigns():
    editor = staff_user("Editor")
    reporter = staff_user("Reporter")
    client = client_for(editor)
    in_review = ReadyDraftFactory(status=REVIEW, created_by=reporter)

    data = form_data(in_review, status=PUBLISHED, assigned_to=reporter.pk)
    assert client.post(change_url(in_review), data).status_code == 302
    in_review.refresh_from_db()
    assert in_review.is_published() and in_review.assigned_to == reporter

    scheduled = ReadyDraftFactory()
    tomorrow = timezone.localtime() + timedelta(days=1)
    data = form_data(
        scheduled,
        status=PUBLISHED,
        published_at_0=f"{tomorrow:%Y-%m-%d}",
        published_at_1=f"{tomorrow:%H:%M:%S}",
    )
    assert client.post(change_url(scheduled), data).status_code == 302
    scheduled.refresh_from_db()
    assert scheduled.is_scheduled and not scheduled.is_published()
    assert "Scheduled" in client.get(reverse("admin:articles_article_changelist")).content.decode()

    bulk(client, "withdraw", in_review)
    in_review.refresh_from_db()
    assert in_review.status == WITHDRAWN
    assert Client().get(in_review.get_absolute_url()).status_code == 404
    assert StatusChange.objects.filter(article=in_review, to_status=WITHDRAWN, changed_by=editor).exists()


def test_only_admins_delete_published_stories_and_only_after_confirming():
    live = ArticleFactory()
    draft = ArticleFactory(status=DRAFT)
    editor, admin = client_for(staff_user("Editor")), client_for(staff_user("Admin"))
    delete_url = reverse("admin:articles_article_delete", args=[live.pk])

    assert editor.post(delete_url, {"post": "yes"}).status_code == 403
    assert editor.post(reverse("admin:articles_article_delete", args=[draft.pk]), {"post": "yes"}).status_code == 302
    assert "Are you sure" in admin.get(delete_url).content.decode()
    assert Article.objects.filter(pk=live.pk).exists()
    assert admin.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Article.objects.filter(pk=live.pk).exists()


# No lost updates ---------------------------------------------------------------------------------


def opened_version(client, article):
    html = client.get(change_url(article)).content.decode()
    return int(re.search(r'name="base_version" value="(\d+)"', html).group(1))


def test_second_of_two_concurrent_saves_is_refused_and_keeps_both_texts():
    article = ArticleFactory(headline="Original headline", body="<p>Original text.</p>")
    alice, bob = staff_user("Editor", "alice"), staff_user("Editor", "bob")
    alice_client, bob_client = client_for(alice), client_for(bob)
    alice_version, bob_version = opened_version(alice_client, article), opened_version(bob_client, article)

    saved = alice_client.post(change_url(article), form_data(article, base_version=alice_version, body="<p>Alice.</p>"))
    assert saved.status_code == 302

    refused = bob_client.post(
        change_url(article),
        form_data(article, base_version=bob_version, headline="Bob's headline", body="<p>Bob's text.</p>"),
    )
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "This story was changed by alice at" in html and "since you opened it" in html
    assert 'value="Bob&#x27;s headline"' in html  # Bob's words are still in his form
    assert "<del>Alice.</del>" in html and "<ins>Bob&#x27;s text.</ins>" in html
    article.refresh_from_db()
    assert article.body == "<p>Alice.</p>" and article.headline == "Original headline"

    # Bob keeps their body, his headline, and saves once more.
    new_version = int(re.search(r'name="base_version" value="(\d+)"', html).group(1))
    data = form_data(
        article, base_version=new_version, headline="Bob's headline", body="<p>Bob's text.</p>", resolve_body="theirs"
    )
    assert bob_client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert (article.headline, article.body) == ("Bob's headline", "<p>Alice.</p>")


def test_bulk_action_with_a_stale_version_is_refused():
    editor = staff_user("Editor")
    draft = ReadyDraftFactory()
    stale_version = draft.version
    draft.headline = "Changed meanwhile"
    draft.last_edited_by = staff_user("Editor", "other")
    draft.save()
    draft.version = stale_version

    response = bulk(client_for(editor), "publish", draft)

    assert "was changed by other at" in response.content.decode()
    assert Article.objects.get(pk=draft.pk).status == DRAFT


def test_change_page_shows_who_else_has_the_story_open_and_the_lock_goes_stale():
    article = ArticleFactory()
    alice, bob = staff_user("Editor", "alice"), staff_user("Editor", "bob")
    client_for(alice).get(change_url(article))

    html = client_for(bob).get(change_url(article)).content.decode()
    assert "Also open by: alice" in html

    beat = client_for(alice).post(reverse("admin:articles_article_presence", args=[article.pk]))
    assert [other["name"] for other in beat.json()["others"]] == ["bob"]

    later = timezone.now() + timedelta(seconds=EditingPresence.STALE_AFTER_SECONDS + 1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert "Also open by" not in client_for(bob).get(change_url(article)).content.decode()


# Revisions ---------------------------------------------------------------------------------------


def test_every_admin_save_keeps_a_revision_that_can_be_compared_and_restored():
    editor = staff_user("Editor")
    client = client_for(editor)
    article = ArticleFactory(headline="First words", body="<p>First text.</p>")
    client.post(change_url(article), form_data(article, headline="Second words"))
    article.refresh_from_db()
    client.post(change_url(article), form_data(article, headline="Third words", body="<p>Third text.</p>"))
    article.refresh_from_db()

    versions = Version.objects.get_for_object(article)
    assert versions.count() == 2
    first = versions.order_by("pk").first()
    history = client.get(reverse("admin:articles_article_history", args=[article.pk])).content.decode()
    assert reverse("admin:articles_article_revision", args=[article.pk, first.pk]) in history

    revision_url = reverse("admin:articles_article_revision", args=[article.pk, first.pk])
    page = client.get(revision_url).content.decode()
    assert "<del>Second</del>" in page and "<ins>Third</ins>" in page

    response = client.post(revision_url, {"base_version": article.version})
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.headline, article.body) == ("Second words", "<p>First text.</p>")
    assert Version.objects.get_for_object(article).count() == 3


def test_reporters_cannot_restore_revisions_of_stories_they_cannot_edit():
    editor_client = client_for(staff_user("Editor"))
    article = ArticleFactory(headline="Before")
    editor_client.post(change_url(article), form_data(article, headline="After"))
    version = Version.objects.get_for_object(article).first()
    url = reverse("admin:articles_article_revision", args=[article.pk, version.pk])

    response = client_for(staff_user("Reporter")).post(url, {"base_version": 2})

    assert response.status_code == 403


# Preview -----------------------------------------------------------------------------------------


def test_shared_preview_link_shows_the_draft_to_anyone_and_nothing_else_does(client):
    draft = ArticleFactory(status=DRAFT, headline="Secret budget leak")
    url = reverse("articles:preview_link", args=[preview_token(draft)])

    response = client.get(url)
    assert response.status_code == 200
    assert "Secret budget leak" in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    for page in ["/", draft.section.get_absolute_url(), draft.get_absolute_url()]:
        assert "Secret budget leak" not in client.get(page).content.decode()


def test_tampered_expired_and_revoked_preview_links_are_404(client):
    draft = ArticleFactory(status=DRAFT)
    token = preview_token(draft)
    url = reverse("articles:preview_link", args=[token])

    assert client.get(reverse("articles:preview_link", args=[token[:-2] + "xx"])).status_code == 404
    assert client.get(reverse("articles:preview_link", args=["not-a-token"])).status_code == 404
    with mock.patch("django.core.signing.time.time", return_value=timezone.now().timestamp() + 8 * 86400):
        assert client.get(url).status_code == 404

    editor = client_for(staff_user("Editor"))
    editor.post(reverse("admin:articles_article_revoke_preview", args=[draft.pk]))
    assert client.get(url).status_code == 404
    assert client.get(reverse("articles:preview_link", args=[preview_token(Article.objects.get())])).status_code == 200


def test_editors_preview_drafts_in_the_public_template_and_readers_cannot(client):
    draft = ArticleFactory(status=DRAFT, headline="Draft for the desk")
    url = reverse("articles:preview", args=[draft.pk])

    assert client.get(url).status_code == 302  # to the admin login
    response = client_for(staff_user("Reporter")).get(url)
    assert response.status_code == 200
    assert '<h1 class="story__headline">Draft for the desk</h1>' in response.content.decode()


# Corrections, update times, expiry, old addresses ------------------------------------------------


def test_typo_fix_keeps_the_update_time_and_a_substantive_change_or_correction_moves_it(client):
    client_ = client_for(staff_user("Editor"))
    article = ArticleFactory()

    client_.post(change_url(article), form_data(article, body="<p>Fixed a typo.</p>"))
    article.refresh_from_db()
    assert article.updated_at is None

    client_.post(change_url(article), form_data(article, body="<p>New facts.</p>", substantive="on"))
    article.refresh_from_db()
    first_update = article.updated_at
    assert first_update is not None

    data = form_data(
        article,
        **{
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-kind": "correction",
            "corrections-0-note": "An earlier version misnamed the minister.",
            "corrections-0-created_at_0": timezone.localtime().strftime("%Y-%m-%d"),
            "corrections-0-created_at_1": timezone.localtime().strftime("%H:%M:%S"),
        },
    )
    assert client_.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.updated_at == article.corrections.get().created_at != first_update
    html = client.get(article.get_absolute_url()).content.decode()
    assert "An earlier version misnamed the minister." in html and "Corrections and updates" in html


def test_expired_story_comes_down_by_itself(client):
    article = ArticleFactory(expires_at=timezone.now() + timedelta(hours=1))

    assert client.get(article.get_absolute_url()).status_code == 200
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(hours=2)):
        assert client.get(article.get_absolute_url()).status_code == 404
        assert article.headline not in client.get("/").content.decode()


def test_old_addresses_of_a_published_story_redirect_permanently(client):
    article = ArticleFactory(slug="first-slug")
    old_url = article.get_absolute_url()
    editor = client_for(staff_user("Editor"))
    new_section = SectionFactory(slug="elsewhere")

    editor.post(change_url(article), form_data(article, slug="second-slug", section=new_section.pk))
    article.refresh_from_db()

    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == "/elsewhere/second-slug/"
    assert client.get(response["Location"]).status_code == 200


def test_old_slug_of_a_draft_is_not_remembered(client):
    draft = ArticleFactory(status=DRAFT, published_at=None, slug="draft-slug")
    draft.slug = "renamed-draft"
    draft.save()

    assert client.get(f"/{draft.section.slug}/draft-slug/").status_code == 404


def test_restoring_a_revision_brings_back_its_bylines_and_tags():
    import reversion

    from articles.revisions import restore_revision

    from .factories import AuthorFactory, BylineFactory, TagFactory

    editor = staff_user("Editor")
    article = ArticleFactory()
    first_author, first_tag = AuthorFactory(name="First Reporter"), TagFactory(name="Harbour")
    with reversion.create_revision():
        BylineFactory(article=article, author=first_author)
        article.tags.add(first_tag)
        article.save()
    first = Version.objects.get_for_object(article).get()
    with reversion.create_revision():
        article.bylines.all().delete()
        BylineFactory(article=article, author=AuthorFactory(name="Second Reporter"))
        article.tags.set([TagFactory(name="Weather")])
        article.save()

    first_section = article.section
    article.section = SectionFactory()
    article.save()

    restore_revision(article, first, editor, expected_version=article.version)

    assert article.section == first_section
    assert [b.author.name for b in article.bylines.all()] == ["First Reporter"]
    assert [t.name for t in article.tags.all()] == ["Harbour"]
