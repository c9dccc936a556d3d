"""Who search engines are told wrote a story, and the summary shown where a story has no standfirst."""

import io
from unittest import mock

import pytest
from django.core.management import call_command

from articles.copydesk import House, mend
from articles.models import Author

from .factories import ArticleFactory, AuthorFactory, BylineFactory
from .test_article_metadata import structured_data

pytestmark = pytest.mark.django_db


def test_a_story_by_staff_or_an_agency_credits_an_organisation_and_a_person_stays_a_person(client, site_identity):
    story = ArticleFactory()
    BylineFactory(article=story, author=AuthorFactory(name="Staff", slug="staff", is_organisation=True))
    BylineFactory(article=story, author=AuthorFactory(name="Ana Ruiz", slug="ana-ruiz"), position=1)

    assert structured_data(client, story)["author"] == [
        {"@type": "Organization", "name": "Staff", "url": "https://news.test/authors/staff/"},
        {"@type": "Person", "name": "Ana Ruiz", "url": "https://news.test/authors/ana-ruiz/"},
    ]


def test_a_story_without_a_byline_credits_its_source_else_the_publisher(client, site_identity):
    from_the_wire = ArticleFactory(source="Belarus Wire Agency")
    ours = ArticleFactory(source="")

    assert structured_data(client, from_the_wire)["author"] == [
        {"@type": "Organization", "name": "Belarus Wire Agency"}
    ]
    credited = structured_data(client, ours)["author"]
    assert [(entry["@type"], entry["name"]) for entry in credited] == [("Organization", "Riverport Chronicle")]


def test_editors_mark_an_author_as_an_organisation_in_the_admin(admin_client):
    author = AuthorFactory(name="Reuters")
    html = admin_client.get(f"/admin/articles/author/{author.pk}/change/").content.decode()
    assert 'name="is_organisation"' in html


def test_the_demo_marks_staff_and_the_wire_as_organisations():
    with mock.patch("articles.management.commands.load_demo.load_demo_photos", return_value=0):
        call_command("load_demo", "--no-accounts", stdout=io.StringIO())

    assert set(Author.objects.filter(is_organisation=True).values_list("name", flat=True)) == {"Staff", "Wire staff"}


def test_a_summary_from_the_body_keeps_paragraphs_apart_and_shows_characters_not_entities():
    story = ArticleFactory(
        standfirst="",
        body="<p>Said the Transport Ministry.</p><p>The harbour&#x27;s owners &amp; crew</p>"
        "<ul><li>one</li><li>two</li></ul>",
    )

    assert story.summary == "Said the Transport Ministry. The harbour's owners & crew one two"
    assert story.word_count == 11


@pytest.mark.parametrize(
    ("wire", "mended"),
    [
        ("The harbour s owners agreed.", "The harbour's owners agreed."),
        ("Moscow s eventual recognition", "Moscow's eventual recognition"),
        ("it s over, and that s that", "it's over, and that's that"),
    ],
)
def test_wire_mending_puts_back_lowercase_possessives_apostrophes(wire, mended):
    assert mend("standfirst", wire, House())[0] == mended


@pytest.mark.parametrize(
    "prose",
    [
        "Drop the final s in the plural.",
        "Spell it with a silent s and an s-bend.",
        "Type s to save, press s again.",
        "The letter s is the most common.",
        "Speed in m s-1 and km s−1.",
    ],
)
def test_wire_mending_leaves_the_letter_s_alone(prose):
    assert mend("standfirst", prose, House())[0] == prose
