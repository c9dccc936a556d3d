import json
from html import unescape

import pytest
from django.core.management import CommandError, call_command

from articles.management.commands.load_demo import SAMPLE_STORY
from articles.models import Article, Byline

pytestmark = pytest.mark.django_db

SAMPLE = SAMPLE_STORY
SAMPLE_HEADLINE = "Minsk wants to create people's militia to deter Russia"


def write_json(tmp_path, data, name="stories.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return path


def test_sample_wire_story_imports_as_one_story_with_ten_paragraphs(client):
    call_command("import_articles", str(SAMPLE), "--publish", "--section", "world", "--author", "Wire staff")

    article = Article.objects.get()
    assert article.headline == SAMPLE_HEADLINE
    assert article.body.count("<p>") == 10
    assert SAMPLE_HEADLINE not in article.body
    assert article.section.slug == "world"
    assert [str(byline) for byline in article.bylines.all()] == ["By Wire staff"]
    page = client.get(article.get_absolute_url()).content.decode()
    # <title>, <h1>, og:title and twitter:title (JSON-LD keeps the apostrophe bare), never in the body
    assert page.count(SAMPLE_HEADLINE) == 1
    assert unescape(page).count(SAMPLE_HEADLINE) == 5


def test_sample_reads_well_after_wire_tidying():
    call_command("import_articles", str(SAMPLE))

    body = Article.objects.get().body
    assert "according to the Defense Ministry." in body
    assert "MinistryDefense" not in body
    assert "Moscow's eventual recognition" in body
    assert "World War II." in body


def test_importing_the_same_file_twice_creates_nothing_new(capsys):
    call_command("import_articles", str(SAMPLE))
    call_command("import_articles", str(SAMPLE))

    assert Article.objects.count() == 1
    assert "1 already imported before (skipped)" in capsys.readouterr().out


def test_json_import_creates_sections_authors_roles_and_tags(tmp_path):
    path = write_json(
        tmp_path,
        [
            {
                "headline": "Council votes on budget",
                "standfirst": "A tight vote.",
                "body_html": "<p>Text</p><script>alert(1)</script>",
                "section": "politics",
                "authors": ["Ana Ruiz", {"name": "Jonas Berg", "role": "photos"}],
                "tags": ["Budget", "Council"],
                "dateline": "RIVERPORT",
                "source": "Staff",
                "status": "published",
                "published_at": "2024-05-03T09:30:00+02:00",
            },
            {"headline": "Second story", "body_html": "<p>More</p>"},
        ],
    )
    call_command("import_articles", str(path))

    first, second = Article.objects.order_by("id")
    assert first.section.slug == "politics"
    assert first.body == "<p>Text</p>"
    assert first.status == Article.Status.PUBLISHED
    assert first.published_at.isoformat() == "2024-05-03T07:30:00+00:00"
    assert [(b.author.name, b.role) for b in first.bylines.all()] == [
        ("Ana Ruiz", Byline.Role.BY),
        ("Jonas Berg", Byline.Role.PHOTOS),
    ]
    assert sorted(first.tags.values_list("name", flat=True)) == ["Budget", "Council"]
    assert second.status == Article.Status.DRAFT


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("{not json", "not valid story JSON"),
        ([{"headline": "Fine"}, {"body_html": "<p>no headline</p>"}], "story 2: the headline is missing"),
        ([{"headline": "Odd", "status": "live"}], "story 1 ('Odd'): unknown status “live”"),
        ([{"headline": "Naive", "published_at": "2024-05-03T09:30:00"}], "needs a UTC offset"),
        ([{"headline": "Roles", "authors": [{"name": "X", "role": "boss"}]}], "unknown byline role"),
        ([{"headline": "H" * 201}], "longer than 200 characters"),
    ],
)
def test_bad_input_names_file_and_story_and_imports_nothing(tmp_path, capsys, data, message):
    path = write_json(tmp_path, data)

    with pytest.raises(CommandError):
        call_command("import_articles", str(path))

    err = capsys.readouterr().err
    assert str(path) in err
    assert message in err
    assert Article.objects.count() == 0


def test_one_bad_file_does_not_stop_the_good_ones(tmp_path, capsys):
    bad = write_json(tmp_path, "[", name="bad.json")
    good = write_json(tmp_path, {"headline": "Good one"}, name="good.json")

    with pytest.raises(CommandError, match="1 of 2 files"):
        call_command("import_articles", str(bad), str(good))

    assert list(Article.objects.values_list("headline", flat=True)) == ["Good one"]


def test_demo_content_loads_once():
    call_command("load_demo", "--no-accounts")
    count = Article.objects.count()
    call_command("load_demo", "--no-accounts")

    assert count == 14
    assert Article.objects.count() == count
    live = Article.objects.published().get(article_type=Article.Type.LIVE)
    assert live.live_entries.published().count() == 5
    assert Article.objects.filter(status=Article.Status.DRAFT).exists()
    assert any(article.is_scheduled for article in Article.objects.all())
    assert Article.objects.published().filter(headline=SAMPLE_HEADLINE).exists()


def test_demo_accounts_are_made_once_with_their_roles(capsys, django_user_model):
    call_command("load_demo")
    first = capsys.readouterr().out
    call_command("load_demo")
    second = capsys.readouterr().out

    assert first.count("password: ") == 3
    assert "password: " not in second
    reporter = django_user_model.objects.get(username="reporter")
    assert reporter.has_perm("articles.add_article") and not reporter.has_perm("articles.publish_article")
    assert django_user_model.objects.get(username="editor").has_perm("articles.publish_article")
    assert django_user_model.objects.get(username="admin").is_superuser


def live_feed(*entries, **story):
    return {
        "headline": "Storm over the coast, live",
        "external_id": "wire-storm-0503",
        "status": "published",
        "published_at": "2024-05-03T07:00:00+00:00",
        "authors": ["Wire staff"],
        "live_entries": list(entries),
        **story,
    }


def wire_entry(entry_id, minute, **fields):
    return {
        "id": entry_id,
        "posted_at": f"2024-05-03T09:{minute:02d}:00+02:00",
        "body_html": f"<p>Update {entry_id}.</p>",
        **fields,
    }


def test_reimporting_a_live_feed_adds_only_its_new_entries_and_changes_nothing_else(tmp_path, capsys):
    first = live_feed(wire_entry("e1", 1, key_event=True, authors=["Ana Ruiz"]), wire_entry("e2", 2))
    call_command("import_articles", str(write_json(tmp_path, first)))
    story = Article.objects.get()
    version = story.version

    again = live_feed(
        wire_entry("e1", 1, body_html="<p>Changed at the source.</p>"),
        wire_entry("e2", 2),
        wire_entry("e3", 3, headline="Ferries stop"),
        headline="A new headline the wire sent",
    )
    call_command("import_articles", str(write_json(tmp_path, again)))

    story.refresh_from_db()
    assert Article.objects.count() == 1
    assert (story.headline, story.version, story.article_type) == ("Storm over the coast, live", version, "live")
    entries = {entry.external_id: entry for entry in story.live_entries.all()}
    assert sorted(entries) == ["e1", "e2", "e3"]
    assert entries["e1"].body == "<p>Update e1.</p>" and entries["e1"].key_event
    assert [author.name for author in entries["e1"].authors.all()] == ["Ana Ruiz"]
    assert entries["e3"].headline == "Ferries stop"
    assert "1 already imported before (skipped), 1 new live entries" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("not an object", "live entry 2 refused: it is not an object"),
        ({"posted_at": "2024-05-03T09:00:00+02:00", "body_html": "<p>x</p>"}, "needs an “id”"),
        ({"id": "b", "posted_at": "yesterday", "body_html": "<p>x</p>"}, "needs a “posted_at”"),
        ({"id": "b", "posted_at": "2024-05-03T09:00:00", "body_html": "<p>x</p>"}, "needs a UTC offset"),
        (
            {"id": "b", "posted_at": "2024-05-03T09:00:00+02:00", "body_html": "<script></script>"},
            "needs a “body_html”",
        ),
        ({"id": "b", "posted_at": "2024-05-03T09:00:00+02:00", "body_html": "<p>x</p>", "authors": "Ana"}, "authors"),
        ({"id": "b", "posted_at": "2024-05-03T09:00:00+02:00", "body_html": "<p>x</p>", "headline": "x" * 201}, "200"),
    ],
)
def test_a_bad_live_entry_is_refused_on_its_own_and_the_others_are_kept(tmp_path, capsys, bad, message):
    path = write_json(tmp_path, live_feed(wire_entry("e1", 1), bad, wire_entry("e3", 3)))

    call_command("import_articles", str(path))

    assert sorted(Article.objects.get().live_entries.values_list("external_id", flat=True)) == ["e1", "e3"]
    assert message in capsys.readouterr().err


def test_live_entries_belong_to_a_live_story(tmp_path, capsys):
    path = write_json(tmp_path, live_feed(wire_entry("e1", 1), article_type="news"))
    with pytest.raises(CommandError):
        call_command("import_articles", str(path))
    assert "live_entries belong to a story whose article_type is “live”" in capsys.readouterr().err
