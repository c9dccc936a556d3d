"""The publish checklist: on the story form, the bulk action and the importer, never on plain model saves."""

import json
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles.models import Article, Autosave

from .factories import ArticleFactory, AuthorFactory, BylineFactory, DraftFactory, ImageFactory, staff_user
from .test_workflow import bulk, change_url, client_for, form_data

pytestmark = pytest.mark.django_db

PUBLISHED = Article.Status.PUBLISHED


def with_byline(author, **overrides):
    return {
        "bylines-TOTAL_FORMS": "1",
        "bylines-0-author": author.pk,
        "bylines-0-role": "by",
        "bylines-0-position": "0",
        **overrides,
    }


def form_errors(response):
    form = response.context["adminform"].form
    return [str(error) for errors in form.errors.values() for error in errors]


@pytest.fixture
def editor():
    return client_for(staff_user("Editor"))


def test_editor_cannot_publish_a_story_without_a_byline(editor):
    draft = DraftFactory(headline="Ferry strike ends")

    response = editor.post(change_url(draft), form_data(draft, status=PUBLISHED, headline="Ferry strike ends at dawn"))

    assert response.status_code == 200
    assert any("needs a byline" in error for error in form_errors(response))
    assert 'value="Ferry strike ends at dawn"' in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT and draft.headline == "Ferry strike ends"


def test_the_checklist_reads_the_bylines_as_submitted_not_as_stored(editor):
    """A byline deleted in the same save does not count; one added in the same save does."""
    credited = DraftFactory()
    byline = BylineFactory(article=credited)
    removed = form_data(
        credited,
        status=PUBLISHED,
        **with_byline(byline.author, **{"bylines-INITIAL_FORMS": "1", "bylines-0-id": byline.pk}),
        **{"bylines-0-article": credited.pk, "bylines-0-DELETE": "on"},
    )
    assert any("needs a byline" in error for error in form_errors(editor.post(change_url(credited), removed)))

    uncredited = DraftFactory()
    added = form_data(uncredited, status=PUBLISHED, publish_anyway="on", **with_byline(AuthorFactory()))
    assert editor.post(change_url(uncredited), added).status_code == 302
    uncredited.refresh_from_db()
    assert uncredited.is_published()


def test_a_source_credits_agency_copy_in_place_of_a_byline(editor):
    wire = DraftFactory(source="Baltic News Agency")

    assert editor.post(change_url(wire), form_data(wire, status=PUBLISHED, publish_anyway="on")).status_code == 302
    wire.refresh_from_db()
    assert wire.is_published()


def test_advisory_items_need_publish_anyway_and_blocking_ones_cannot_be_skipped(editor):
    draft = DraftFactory(standfirst="")
    data = form_data(draft, status=PUBLISHED, **with_byline(AuthorFactory()))

    response = editor.post(change_url(draft), data)
    errors = response.context["adminform"].form.errors
    assert response.status_code == 200
    assert "a standfirst; a lead picture" in errors["publish_anyway"][0] and "__all__" not in errors

    too_long = {**data, "headline": "Ferry " * 20, "publish_anyway": "on"}
    response = editor.post(change_url(draft), too_long)
    assert any("headline of at most 110 characters" in error for error in form_errors(response))

    assert editor.post(change_url(draft), {**data, "publish_anyway": "on"}).status_code == 302
    draft.refresh_from_db()
    assert draft.is_published()


def test_a_complete_story_publishes_without_a_tick(editor):
    draft = DraftFactory(lead_image=ImageFactory())
    data = form_data(draft, status=PUBLISHED, **with_byline(AuthorFactory()))

    assert editor.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.is_published()


def test_someone_elses_unsaved_copy_is_an_advisory_item(editor):
    draft = DraftFactory(lead_image=ImageFactory())
    data = form_data(draft, status=PUBLISHED, **with_byline(AuthorFactory()))
    Autosave.objects.create(user=staff_user("Reporter"), article=draft, data={"headline": ["Newer words"]})

    response = editor.post(change_url(draft), data)
    assert response.status_code == 200
    assert "unsaved copy of someone else" in response.context["adminform"].form.errors["publish_anyway"][0]

    assert editor.post(change_url(draft), {**data, "publish_anyway": "on"}).status_code == 302
    draft.refresh_from_db()
    assert draft.is_published()


def test_the_editors_own_unsaved_copy_does_not_hold_up_publishing(editor):
    draft = DraftFactory(lead_image=ImageFactory())
    data = form_data(draft, status=PUBLISHED, **with_byline(AuthorFactory()))
    Autosave.objects.create(user=staff_user("Editor"), article=draft, data={"headline": ["My newer words"]})

    assert editor.post(change_url(draft), data).status_code == 302


def test_scheduling_runs_the_same_checklist(editor):
    draft = DraftFactory()
    tomorrow = timezone.localtime() + timedelta(days=1)
    data = form_data(
        draft, status=PUBLISHED, published_at_0=f"{tomorrow:%Y-%m-%d}", published_at_1=f"{tomorrow:%H:%M:%S}"
    )

    response = editor.post(change_url(draft), {**data, "publish_anyway": "on"})
    assert any("needs a byline" in error for error in form_errors(response))

    assert editor.post(change_url(draft), {**data, **with_byline(AuthorFactory())}).status_code == 200
    assert (
        editor.post(change_url(draft), {**data, **with_byline(AuthorFactory()), "publish_anyway": "on"}).status_code
        == 302
    )
    draft.refresh_from_db()
    assert draft.is_scheduled


def test_publishing_from_the_add_form_runs_the_checklist(editor):
    draft = DraftFactory.build(section=ArticleFactory().section, headline="A new story")
    data = form_data(draft, slug="a-new-story", status=PUBLISHED, publish_anyway="on")
    del data["base_version"]

    response = editor.post("/admin/articles/article/add/", data)

    assert any("needs a byline" in error for error in form_errors(response))
    assert not Article.objects.filter(slug="a-new-story").exists()


def test_editing_a_live_story_does_not_run_the_checklist_again(editor):
    """Stories published before the checklist (no byline, no standfirst) stay editable."""
    live = ArticleFactory(standfirst="")

    assert editor.post(change_url(live), form_data(live, headline="Typo fixed")).status_code == 302
    live.refresh_from_db()
    assert live.headline == "Typo fixed" and live.is_published()


def test_change_page_shows_the_checklist_and_the_tick_only_to_publishers():
    draft = DraftFactory(standfirst="", created_by=staff_user("Reporter"))
    BylineFactory(article=draft)

    page = client_for(staff_user("Editor", "ed")).get(change_url(draft)).content.decode()
    assert "Publish checklist" in page
    assert "Done: A byline (or a source, for agency copy) <strong>(blocking)</strong>" in page
    assert "Missing: A standfirst</li>" in page
    assert 'name="publish_anyway"' in page

    reporter = client_for(draft.created_by)
    assert 'name="publish_anyway"' not in reporter.get(change_url(draft)).content.decode()


def test_bulk_publish_refuses_stories_with_open_items_and_names_them():
    editor = client_for(staff_user("Editor"))
    uncredited = DraftFactory(headline="Nobody wrote this")
    no_standfirst = DraftFactory(headline="Short of a standfirst", standfirst="")
    BylineFactory(article=no_standfirst)
    complete = DraftFactory(headline="Ready to go", lead_image=ImageFactory())
    BylineFactory(article=complete)

    response = bulk(editor, "publish", uncredited, no_standfirst, complete)

    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert "Not published: “Nobody wrote this” needs a byline (or a source, for agency copy)." in said
    assert any(
        "“Short of a standfirst” has open advisory checklist items (a standfirst; a lead picture)" in m for m in said
    )
    assert "Published 1 stories." in said
    states = dict(Article.objects.values_list("headline", "status"))
    assert states == {"Nobody wrote this": "draft", "Short of a standfirst": "draft", "Ready to go": PUBLISHED}


def test_plain_model_saves_never_run_the_checklist():
    story = ArticleFactory(standfirst="", headline="Ferry " * 30)
    assert story.is_published() and not story.bylines.exists()


def write_json(tmp_path, stories):
    path = tmp_path / "wire.json"
    path.write_text(json.dumps(stories))
    return path


def test_import_with_publish_refuses_the_file_when_a_story_fails_a_blocking_item(tmp_path, capsys):
    path = write_json(
        tmp_path,
        [
            {"headline": "Fine story", "authors": ["Ana Ruiz"], "body_html": "<p>One</p>"},
            {"headline": "Quay " * 25, "authors": ["Ana Ruiz"], "body_html": "<p>Two</p>"},
            {"headline": "Nobody wrote this", "body_html": "<p>Three</p>"},
        ],
    )

    with pytest.raises(CommandError):
        call_command("import_articles", str(path), "--publish")

    errors = capsys.readouterr().err.splitlines()
    assert len(errors) == 2
    assert "story 2" in errors[0] and "a headline of at most 110 characters" in errors[0]
    assert "story 3" in errors[1] and "a byline (or a source, for agency copy)" in errors[1]
    assert errors[1].endswith("nothing imported from this file.")
    assert not Article.objects.exists()


def test_import_with_publish_skips_advisory_items_and_takes_a_source_as_credit(tmp_path):
    path = write_json(tmp_path, [{"headline": "Wire story", "source": "Baltic News Agency", "body_html": "<p>x</p>"}])

    call_command("import_articles", str(path), "--publish")

    story = Article.objects.get()
    assert story.is_published() and story.standfirst == "" and story.lead_image is None


def test_a_story_published_by_its_own_status_in_the_file_is_checked_too(tmp_path):
    path = write_json(tmp_path, [{"headline": "Nobody wrote this", "status": "published"}])

    with pytest.raises(CommandError):
        call_command("import_articles", str(path))
    assert not Article.objects.exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_checklist_blocks_publishing_a_story_with_no_byline_in_chromium(live_server):
    from .test_browser import ARTIFACTS, log_in, open_browser

    user = staff_user("Editor")
    user.set_password("a-long-test-password")
    user.save()
    draft = DraftFactory(headline="Night ferry timetable")

    with open_browser() as page:
        log_in(page, live_server, "editor", "a-long-test-password")
        page.goto(f"{live_server.url}{change_url(draft)}")
        box = page.locator(".checklist").inner_text()
        page.select_option("#id_status", "published")
        page.check("#id_publish_anyway")
        page.click("input[name=_continue]")
        page.wait_for_selector(".errornote")
        errors = page.locator(".errorlist").all_inner_texts()
        status = page.input_value("#id_status")
        page.screenshot(path=ARTIFACTS / "admin-publish-checklist.png", full_page=True)

    assert "Missing: A byline (or a source, for agency copy) (blocking)" in box
    assert any("the publish checklist needs a byline" in text for text in errors)
    assert status == "published"  # the editor's choice is kept in the form
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT and not draft.is_published()
