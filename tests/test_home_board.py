"""The home page board: who holds each place, flags for stories readers no longer see, editors only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article

from .factories import ArticleFactory, DraftFactory, staff_user
from .test_desk import parse, text
from .test_workflow import change_url, client_for

pytestmark = pytest.mark.django_db

BOARD = reverse("admin:articles_article_home_board")


def place_row(page, number):
    return " ".join(text(page.find(f".//tr[@id='place-{number}']")).split())


def test_board_shows_each_place_with_its_story_and_flags_those_readers_no_longer_see():
    lead = ArticleFactory(headline="Flood warning", home_rank=1)
    ArticleFactory(headline="Old offer", home_rank=2, expires_at=timezone.now() - timedelta(minutes=1))
    ArticleFactory(headline="Retracted claim", home_rank=3, status=Article.Status.WITHDRAWN)
    ArticleFactory(headline="Tonight's budget", home_rank=4, published_at=timezone.now() + timedelta(hours=3))

    response = client_for(staff_user("Editor")).get(BOARD)

    assert response.status_code == 200
    page = parse(response)
    assert "Flood warning" in place_row(page, 1) and "Live" in place_row(page, 1)
    assert "not on the home page" not in place_row(page, 1)
    assert page.find(f".//tr[@id='place-1']//a[@href='{change_url(lead)}']") is not None
    assert "Old offer Section" in place_row(page, 2) and "Expired: not on the home page" in place_row(page, 2)
    assert "Withdrawn: not on the home page" in place_row(page, 3)
    assert "Scheduled: not on the home page" in place_row(page, 4)
    assert "Empty" in place_row(page, 5)


def test_putting_a_story_in_a_free_place_needs_no_confirmation():
    story = ArticleFactory(headline="Bridge reopens")

    client_for(staff_user("Editor")).post(BOARD, {"place": 3, "story": story.pk})

    assert Article.objects.get(pk=story.pk).home_rank == 3


def test_putting_a_story_in_a_taken_place_asks_which_one_moves_then_moves_it():
    editor = staff_user("Editor")
    holder = ArticleFactory(headline="Flood warning", home_rank=1)
    story = ArticleFactory(headline="Bridge reopens")
    client = client_for(editor)

    asked = client.post(BOARD, {"place": 1, "story": story.pk})

    assert asked.status_code == 200
    question = " ".join(text(parse(asked).find(".//*[@id='which-moves']")).split())
    assert question.startswith("Place 1 is held by “Flood warning” (published)")
    assert Article.objects.get(pk=holder.pk).home_rank == 1
    assert Article.objects.get(pk=story.pk).home_rank is None

    client.post(BOARD, {"place": 1, "story": story.pk, "confirm": "yes"})

    moved = Article.objects.get(pk=holder.pk)
    assert (moved.home_rank, moved.version, moved.last_edited_by) == (None, holder.version + 1, editor)
    assert Article.objects.get(pk=story.pk).home_rank == 1


def test_editor_takes_a_story_off_its_place():
    story = ArticleFactory(home_rank=2)

    client_for(staff_user("Editor")).post(BOARD, {"clear": story.pk})

    assert Article.objects.get(pk=story.pk).home_rank is None


def test_reporters_get_403_on_the_board_and_change_no_placement():
    reporter = staff_user("Reporter")
    holder = ArticleFactory(home_rank=1)
    own = DraftFactory(created_by=reporter)
    client = client_for(reporter)

    assert client.get(BOARD).status_code == 403
    assert client.post(BOARD, {"place": 1, "story": own.pk, "confirm": "yes"}).status_code == 403
    assert client.post(BOARD, {"clear": holder.pk}).status_code == 403
    assert dict(Article.objects.values_list("pk", "home_rank")) == {holder.pk: 1, own.pk: None}
