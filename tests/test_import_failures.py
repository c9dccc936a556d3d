"""Files the importer cannot take get one clear line naming the file and the story, never a traceback,
and nothing of them is imported."""

import io
import json
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db.models import QuerySet

from articles.models import Article, Section

from .factories import SectionFactory

pytestmark = pytest.mark.django_db


def write(tmp_path, data, name="wire.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def refused(path):
    """The importer's complaint about `path`, checking that it is one line and the command fails."""
    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_articles", str(path), stderr=stderr)
    lines = stderr.getvalue().strip().splitlines()
    assert len(lines) == 1, lines
    assert str(path) in lines[0] and "nothing imported from this file" in lines[0]
    assert Article.objects.count() == 0
    return lines[0]


@pytest.mark.parametrize(
    ("story", "complaint"),
    [
        ({"headline": "Long name", "authors": ["A" * 121]}, "story 2 ('Long name'): the author name"),
        ({"headline": "Far east", "published_at": "0001-01-01T00:00:00+23:59"}, "between the years 1900 and 2200"),
        ({"headline": "Far west", "published_at": "9999-12-31T23:59:00-23:59"}, "between the years 1900 and 2200"),
        ({"headline": "Takeover", "section": "admin"}, "section “admin” is an address the site uses itself"),
        ({"headline": "Map", "section": "Feeds"}, "section “feeds” is an address the site uses itself"),
        ({"headline": "Nothing", "section": "!!!"}, "is not a usable slug"),
    ],
)
def test_a_story_the_importer_cannot_take_gets_one_clear_line(tmp_path, story, complaint):
    assert complaint in refused(write(tmp_path, [{"headline": "Fine story"}, story]))


def test_json_nested_a_hundred_thousand_deep_gets_one_clear_line(tmp_path):
    line = refused(write(tmp_path, "[" * 100_000 + "]" * 100_000))
    assert "nested too deeply" in line


def test_a_huge_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "wire.txt"
    with path.open("wb") as file:
        file.truncate(50 * 1024 * 1024)
    assert "larger than 10 MB" in refused(path)


def test_a_section_slug_whose_name_is_taken_by_another_slug_gets_one_clear_line(tmp_path):
    SectionFactory(name="World", slug="international")
    line = refused(write(tmp_path, {"headline": "Abroad", "section": "world"}))
    assert "story 1 ('Abroad'): there is no section “world”, and the section “World” has the slug" in line


def test_the_same_file_imported_twice_at_once_gets_one_clear_line(tmp_path):
    path = write(tmp_path, [{"headline": "Only once"}])
    call_command("import_articles", str(path))
    stderr = io.StringIO()

    # The second run looked before the first had committed: it saw no story with that fingerprint.
    with mock.patch.object(QuerySet, "exists", return_value=False), pytest.raises(CommandError):
        call_command("import_articles", str(path), stderr=stderr)

    assert stderr.getvalue().strip() == (
        f"{path}: story 1 ('Only once'): being imported by another run at the same time; try again; "
        "nothing imported from this file."
    )
    assert Article.objects.count() == 1


def test_control_characters_and_a_byte_order_mark_are_not_part_of_a_headline(tmp_path):
    call_command("import_articles", str(write(tmp_path, "\ufeffBOM headline\n\nText.", "wire.txt")))
    call_command("import_articles", str(write(tmp_path, "\ufeff" + json.dumps({"headline": "NUL\x00 in\x0bheadline"}))))

    assert sorted(Article.objects.values_list("headline", "slug")) == [
        ("BOM headline", "bom-headline"),
        ("NUL in headline", "nul-in-headline"),
    ]


def test_a_new_section_goes_last_in_the_navigation(tmp_path):
    SectionFactory(slug="news", order=0)
    SectionFactory(slug="world", order=5)

    call_command("import_articles", str(write(tmp_path, {"headline": "New desk", "section": "Беларусь"})))

    assert list(Section.objects.values_list("slug", "order")) == [("news", 0), ("world", 5), ("беларусь", 6)]
    assert Section.objects.get(slug="беларусь").name == "Беларусь"
