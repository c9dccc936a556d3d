"""api/ninjs.py: a story as IPTC ninjs 2.1, for the content API and for what sends stories out."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from api import ninjs
from articles.management.commands.load_demo import Command as LoadDemo
from articles.models import Article, Author, Byline, Section
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    CorrectionFactory,
    DraftFactory,
    ImageFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample_story(site_identity):
    """The demo's first story, the wire piece from shared/samples, loaded as `make run` loads it, with a lead
    picture an editor gave it."""
    Section.objects.create(slug="world", name="World")
    Author.objects.create(slug="wire-staff", name="Wire staff", is_organisation=True)
    LoadDemo().load_sample()
    story = Article.objects.get(headline__startswith="Minsk wants to create")
    story.lead_image = ImageFactory(alt_text="Soldiers on parade in Minsk", caption="A parade in Minsk.")
    story.save()
    return Article.objects.for_detail().get(pk=story.pk)


def test_sample_story_as_ninjs_carries_what_its_page_shows(sample_story):
    item = ninjs.story(sample_story)

    assert item["uri"] == f"https://news.test/api/v1/stories/{sample_story.pk}/"
    assert item["type"] == "text"
    assert item["pubstatus"] == "usable"
    assert item["version"] == str(sample_story.version)
    assert item["versioncreated"] == sample_story.modified_at.isoformat()
    assert item["firstcreated"] == sample_story.published_at.isoformat()
    assert item["headlines"] == [{"role": "main", "value": "Minsk wants to create people's militia to deter Russia"}]
    assert item["descriptions"][0]["value"].startswith("Belarus's defence minister says a people's militia")
    assert item["bodies"][0]["contenttype"] == "text/html"
    assert "Viktor Khrenin" in item["bodies"][0]["value"]
    assert item["bodies"][0]["wordcount"] == sample_story.word_count
    assert item["by"] == "By Wire staff"
    assert item["organisations"] == [
        {"name": "Wire staff", "rel": "author", "literal": "wire-staff", "uri": "https://news.test/authors/wire-staff/"}
    ]
    assert "people" not in item
    assert {subject["name"] for subject in item["subjects"]} == {"World", "Belarus", "Russia", "Ukraine", "NATO"}
    assert item["located"] == "MINSK"
    assert item["infosources"] == [{"name": "International wire service", "role": "source"}]
    assert item["renditions"] == [{"name": "page", "href": sample_story.canonical_url, "contenttype": "text/html"}]
    assert sample_story.canonical_url.startswith("https://news.test/world/")
    assert item["standard"]["version"] == "2.1"
    [picture] = item["associations"]
    assert picture["descriptions"][0] == {
        "role": "alt",
        "contenttype": "text/plain",
        "value": "Soldiers on parade in Minsk",
    }
    assert picture["by"] == "Jonas Berg / The Newsroom"
    assert {"lead-480-webp", "lead-960-jpeg", "card-480-jpeg", "share-1200-jpeg"} <= {
        rendition["name"] for rendition in picture["renditions"]
    }


def test_lead_picture_is_an_association_with_alt_caption_credit_and_renditions(site_identity):
    story = ArticleFactory(lead_image=ImageFactory())

    [picture] = ninjs.story(story)["associations"]

    assert picture["type"] == "picture"
    assert picture["uri"].startswith("https://news.test/media/images/")
    assert picture["descriptions"] == [
        {"role": "alt", "contenttype": "text/plain", "value": "Ferry passengers on the quay at dusk"},
        {"role": "caption", "contenttype": "text/plain", "value": "The last ferry leaves Riverport."},
    ]
    assert picture["by"] == "Jonas Berg / The Newsroom"
    names = {rendition["name"]: rendition for rendition in picture["renditions"]}
    assert names["lead-960-jpeg"]["contenttype"] == "image/jpeg"
    assert names["lead-960-jpeg"]["width"] == 960
    assert names["share-1200-jpeg"]["height"] == 630
    assert all(rendition["href"].startswith("https://news.test/media/renditions/") for rendition in names.values())


def test_people_carry_their_byline_roles(site_identity):
    story = ArticleFactory()
    BylineFactory(article=story, author=AuthorFactory(name="Maya Okafor", slug="maya"), position=0)
    BylineFactory(
        article=story, author=AuthorFactory(name="Jonas Berg", slug="jonas"), role=Byline.Role.PHOTOS, position=1
    )

    item = ninjs.story(Article.objects.for_detail().get(pk=story.pk))

    assert [(person["name"], person["rel"]) for person in item["people"]] == [
        ("Maya Okafor", "author"),
        ("Jonas Berg", "photographer"),
    ]
    assert item["by"] == "By Maya Okafor; Photos by Jonas Berg"


def test_corrections_are_descriptions_and_updates_are_not(site_identity):
    story = ArticleFactory()
    CorrectionFactory(article=story, note="The ferry leaves at nine, not ten.")
    CorrectionFactory(article=story, note="Routine update.", kind="update")

    item = ninjs.story(Article.objects.for_detail().get(pk=story.pk))

    assert {"role": "correction", "contenttype": "text/plain", "value": "The ferry leaves at nine, not ten."} in item[
        "descriptions"
    ]
    assert "Routine update." not in str(item)


@pytest.mark.parametrize(
    "state",
    [
        {"status": Article.Status.DRAFT, "published_at": None},
        {"status": Article.Status.REVIEW, "published_at": None},
        {"status": Article.Status.WITHDRAWN},
        {"expires_at": timezone.now() - timedelta(minutes=1)},
    ],
    ids=["draft", "review", "withdrawn", "expired"],
)
def test_a_story_readers_cannot_see_is_a_canceled_notice_without_its_content(state):
    story = ArticleFactory(headline="Secret headline", body="<p>Secret body</p>", **state)

    item = ninjs.story(story)

    assert item["pubstatus"] == "canceled"
    assert set(item) == {"uri", "type", "version", "versioncreated", "pubstatus", "standard"}
    assert "Secret" not in str(item)


def test_a_scheduled_story_is_withheld_until_its_time():
    due = timezone.now() + timedelta(hours=3)
    story = ArticleFactory(published_at=due, headline="Secret headline")

    item = ninjs.story(story)

    assert item["pubstatus"] == "withheld"
    assert item["embargoed"] == due.isoformat()
    assert "Secret" not in str(item)


def test_a_draft_story_has_a_notice_too():
    """Any Article instance, even one never published, gives a valid notice (the webhooks send withdrawals)."""
    assert ninjs.story(DraftFactory())["pubstatus"] == "canceled"


def test_a_storys_uri_is_its_address_in_the_content_api(site_identity):
    story = ArticleFactory()

    assert ninjs.story_uri(story) == f"https://news.test{reverse('api:story', kwargs={'id': story.pk})}"
