"""The copy desk at work: the panel's endpoints, Ignore, the checklist item, the importer's report, copycheck."""

import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from articles.management.commands.load_demo import SAMPLE_STORY
from articles.models import Article, HouseStyle, IgnoredFinding, StyleEntry

from .factories import ArticleFactory, DraftFactory, ReadyDraftFactory, SectionFactory, staff_user
from .test_workflow import bulk, change_url, client_for, form_data

pytestmark = pytest.mark.django_db

PUBLISHED = Article.Status.PUBLISHED


@pytest.fixture
def editor():
    return client_for(staff_user("Editor"))


def check(client, article=None, **copy):
    url = (
        reverse("admin:articles_article_copydesk", args=[article.pk])
        if article
        else reverse("admin:articles_article_copydesk_new")
    )
    response = client.post(url, copy)
    assert response.status_code == 200
    return json.loads(response.content)


def ignore(client, article, check, text, **extra):
    url = reverse("admin:articles_article_copydesk_ignore", args=[article.pk])
    return client.post(url, {"check": check, "text": text, **extra})


def test_the_default_style_guide_ships_with_the_two_entries_the_issue_names():
    guide = dict(StyleEntry.objects.values_list("discouraged", "preferred"))
    assert guide["Kiev"] == "Kyiv" and guide["Byelorussia"] == "Belarus" and guide["e-mail"] == "email"
    assert HouseStyle.current().longest_sentence == 45


def test_the_panel_gets_each_finding_with_its_place_in_the_copy_as_typed(editor):
    story = DraftFactory()
    body = "<p>Officials in 🇺🇦 Kiev said the Defense MinistryDefense Ministry agreed. Moscow s reply came.</p>"

    answer = check(editor, story, headline="Talks resume", standfirst="", body=body)

    assert [(f["field"], f["check"], f["text"], f["suggestion"]) for f in answer["findings"]] == [
        ("body", "style", "Kiev", "Kyiv"),
        ("body", "glued", "Defense MinistryDefense Ministry", "Defense Ministry"),
        ("body", "apostrophe", "Moscow s", "Moscow's"),
    ]
    assert all(body[f["start"] : f["end"]] == f["text"] for f in answer["findings"])
    assert answer["open"] == 3
    assert answer["labels"]["style"] == "House style"


def test_a_new_story_is_checked_before_it_is_saved():
    reporter = client_for(staff_user("Reporter"))
    answer = check(reporter, headline="KIEV TALKS RESUME TODAY", body="")
    assert [f["check"] for f in answer["findings"]] == ["style", "headline-case"]


def test_an_ignored_finding_stays_ignored_for_that_story_and_text_only(editor):
    story, other = DraftFactory(), DraftFactory()
    copy = {"headline": "Talks resume", "body": "<p>Kiev said the e-mail came.</p>"}

    assert ignore(editor, story, "style", "Kiev").status_code == 200
    answer = check(editor, story, **copy)

    assert [(f["text"], f["ignored"]) for f in answer["findings"]] == [("Kiev", True), ("e-mail", False)]
    assert answer["open"] == 1
    assert check(editor, other, **copy)["open"] == 2  # another story's findings are its own
    assert ignore(editor, story, "style", "Kiev", restore="1").status_code == 200
    assert check(editor, story, **copy)["open"] == 2
    assert not IgnoredFinding.objects.exists()


def test_ignoring_twice_keeps_one_record_and_a_long_paragraph_can_be_ignored(editor):
    story = DraftFactory()
    paragraph = " ".join(f"Word{n} here." for n in range(2000))
    for _ in range(2):
        assert ignore(editor, story, "long-paragraph", paragraph).status_code == 200
    assert IgnoredFinding.objects.get().text == paragraph


@pytest.mark.parametrize("fields", [{"check": "spelling", "text": "Kiev"}, {"check": "style", "text": ""}])
def test_ignore_names_a_known_check_and_its_text_or_gets_a_clear_400(editor, fields):
    response = editor.post(reverse("admin:articles_article_copydesk_ignore", args=[DraftFactory().pk]), fields)
    assert response.status_code == 400
    assert b"Name a check and the text it matched." in response.content


def test_the_change_form_shows_the_panel_and_the_checklist_counts_open_findings(editor):
    story = DraftFactory(body="<p>Kiev and Kiev again, by e-mail.</p>")
    page = editor.get(change_url(story)).content.decode()

    assert 'id="copydesk"' in page and "js/copydesk.js" in page
    assert reverse("admin:articles_article_copydesk_ignore", args=[story.pk]) in page
    assert "Missing: No open copy-desk findings (3 open: see the Copy desk panel)" in " ".join(page.split())
    clean = " ".join(editor.get(change_url(DraftFactory())).content.decode().split())
    assert "Done: No open copy-desk findings" in clean


def test_the_add_form_checks_new_copy_but_offers_ignore_only_once_saved(editor):
    page = editor.get(reverse("admin:articles_article_add")).content.decode()
    assert reverse("admin:articles_article_copydesk_new") in page
    assert "data-ignore-url" not in page and "Save the story to ignore a finding." in page


def test_publishing_copy_with_open_findings_needs_publish_anyway_and_ignored_ones_do_not_count(editor):
    draft = ReadyDraftFactory(body="<p>Officials in Kiev agreed.</p>")
    data = form_data(draft, status=PUBLISHED, **{"bylines-TOTAL_FORMS": "0"})

    refused = editor.post(change_url(draft), data)
    errors = refused.context["adminform"].form.errors["publish_anyway"][0]
    ignore(editor, draft, "style", "Kiev")
    published = editor.post(change_url(draft), data)

    assert "no open copy-desk findings (1 open: see the copy desk panel)" in errors
    assert published.status_code == 302
    draft.refresh_from_db()
    assert draft.status == PUBLISHED


def test_the_bulk_publish_action_refuses_a_story_with_open_findings(editor):
    draft = ReadyDraftFactory(headline="Minsk Wants A People's Militia Now")

    said = [str(m) for m in bulk(editor, "publish", draft).context["messages"]]

    assert any("no open copy-desk findings (1 open" in message for message in said)
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


# The importer --------------------------------------------------------------------------------------------


def test_the_importer_says_what_it_mended_and_what_it_left_for_the_desk(capsys):
    call_command("import_articles", str(SAMPLE_STORY))

    out = capsys.readouterr().out
    assert "mended 2 (“Defense MinistryDefense Ministry” → “Defense Ministry”; “Moscow s” → “Moscow's”)" in out
    assert "6 left for the copy desk (house style 6)" in out
    body = Article.objects.get().body
    assert "according to the Defense Ministry." in body and "Moscow's eventual" in body


def test_no_mend_imports_copy_as_it_came_and_reports_its_faults(capsys):
    call_command("import_articles", str(SAMPLE_STORY), "--no-mend")

    out = capsys.readouterr().out
    assert "mended" not in out
    assert "8 left for the copy desk (glued repeat 1, house style 6, missing apostrophe 1)" in out
    body = Article.objects.get().body
    assert "Defense MinistryDefense Ministry" in body and "Moscow s eventual" in body


# Across the archive ------------------------------------------------------------------------------------------


def run_copycheck(*args):
    from io import StringIO

    out = StringIO()
    call_command("copycheck", *args, stdout=out)
    return out.getvalue()


def test_copycheck_lists_findings_in_published_stories_only():
    world = SectionFactory(slug="world")
    live = ArticleFactory(section=world, headline="Talks in Kiev resume", body="<p>The e-mail came.</p>")
    ArticleFactory(headline="Talks in Kiev end", published_at=timezone.now() - timedelta(days=30))
    DraftFactory(body="<p>Kiev</p>")
    ArticleFactory(published_at=timezone.now() + timedelta(hours=3), body="<p>Kiev</p>")  # scheduled
    IgnoredFinding.objects.ignore(live, "style", "e-mail", None)

    everything = run_copycheck()
    recent_world = run_copycheck("--section", "world", "--since", str(timezone.localdate() - timedelta(days=2)))

    assert "“Talks in Kiev resume” (world," in everything and "headline, house style: “Kiev” → “Kyiv”" in everything
    assert "e-mail" not in everything  # ignored on that story
    assert everything.endswith("2 of 2 published stories have findings: 2 in all (house style 2).\n")
    assert "Talks in Kiev end" not in recent_world
    assert recent_world.endswith("1 of 1 published stories have findings: 1 in all (house style 1).\n")
    assert run_copycheck("--check", "repeat").endswith("0 of 2 published stories have findings.\n")


def test_copycheck_finds_a_style_entry_added_after_publication():
    ArticleFactory(body="<p>Peking ducks.</p>")
    assert "0 of 1" in run_copycheck()
    StyleEntry.objects.create(discouraged="Peking", preferred="Beijing")
    assert "body, house style: “Peking” → “Beijing”" in run_copycheck()


@pytest.mark.parametrize(
    ("args", "error"), [(["--section", "nope"], "There is no section 'nope'."), (["--since", "May"], "YYYY-MM-DD")]
)
def test_copycheck_refuses_an_unknown_section_or_a_bad_date_clearly(args, error):
    with pytest.raises(CommandError, match=error):
        call_command("copycheck", *args)


# The style guide in the admin ----------------------------------------------------------------------------


def test_an_editor_adds_a_style_entry_and_the_next_check_uses_it(editor):
    response = editor.post(
        reverse("admin:articles_styleentry_add"),
        {"discouraged": "Peking", "preferred": "Beijing", "note": "Since 1979.", "whole_word": "on"},
    )
    assert response.status_code == 302
    answer = check(editor, DraftFactory(), headline="Peking talks", body="")
    assert answer["findings"][0]["message"] == "“Beijing”, not “Peking”. Since 1979."


def test_a_style_entry_whose_house_form_holds_the_old_one_is_refused(editor):
    response = editor.post(reverse("admin:articles_styleentry_add"), {"discouraged": "Kyiv", "preferred": "Kyiv city"})
    assert "The house form cannot contain the form it replaces." in response.content.decode()


def test_an_editor_changes_the_house_settings_and_the_checks_follow(editor):
    story = DraftFactory()
    long = {"headline": "Talks", "body": "<p>" + " ".join(f"w{n}" for n in range(50)) + ".</p>"}
    assert [f["check"] for f in check(editor, story, **long)["findings"]] == ["long-sentence"]

    settings_url = reverse("admin:articles_housestyle_change", args=[HouseStyle.current().pk])
    data = {"sentence_case_headlines": "on", "longest_sentence": "60", "longest_paragraph": "120"}
    assert editor.post(settings_url, data).status_code == 302
    assert check(editor, story, **long)["findings"] == []
    assert editor.get(reverse("admin:articles_housestyle_changelist"))["Location"] == settings_url


def test_reporters_read_the_style_guide_but_cannot_change_it():
    reporter = client_for(staff_user("Reporter"))
    assert "Kyiv" in reporter.get(reverse("admin:articles_styleentry_changelist")).content.decode()
    assert (
        reporter.post(reverse("admin:articles_styleentry_add"), {"discouraged": "a", "preferred": "b"}).status_code
        == 403
    )
