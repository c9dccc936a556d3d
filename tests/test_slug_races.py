"""Two editors saving one slug at the same moment: one story is saved, the other editor gets the slug error with
their text still in the form. Real concurrent requests on PostgreSQL, each on its own connection."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from articles.admin import ArticleAdmin
from articles.models import Article

from .factories import ArticleFactory, AuthorFactory, SectionFactory, staff_user
from .test_admin import article_form
from .test_workflow import change_url, client_for, form_data

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SLUG_ERROR = "Article with this Slug already exists."


def in_threads(*posts):
    """Run each post in a thread of its own (its own database connection); return their responses."""
    responses = [None] * len(posts)

    def run(index, post):
        try:
            responses[index] = post()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, post)) for index, post in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return responses


@pytest.fixture
def both_validated(monkeypatch):
    """Each request waits, once, after its form was checked and before it saves, for the other to get there:
    both checks find the slug free, as when two editors press Save together."""
    barrier = threading.Barrier(2, timeout=10)
    waited = threading.local()
    save_model = ArticleAdmin.save_model

    def save_model_after_the_other_checked(self, request, obj, form, change):
        if not getattr(waited, "once", False):
            waited.once = True
            barrier.wait()
        save_model(self, request, obj, form, change)

    monkeypatch.setattr(ArticleAdmin, "save_model", save_model_after_the_other_checked)


def assert_one_saved_and_one_told(responses, texts):
    assert sorted(response.status_code for response in responses) == [200, 302]
    refused = next(response for response in responses if response.status_code == 200)
    html = refused.content.decode()
    assert SLUG_ERROR in html
    assert any(text in html for text in texts)


def test_two_editors_adding_stories_with_one_slug_at_once_get_one_story_and_one_slug_error(both_validated):
    section, author = SectionFactory(), AuthorFactory()
    first, second = client_for(staff_user("Editor", "editor1")), client_for(staff_user("Editor", "editor2"))
    texts = ["<p>The first editor's account of the vote.</p>", "<p>The second editor's account of the vote.</p>"]
    add = reverse("admin:articles_article_add")

    responses = in_threads(
        lambda: first.post(add, article_form(section, author, slug="night-buses", body=texts[0])),
        lambda: second.post(add, article_form(section, author, slug="night-buses", body=texts[1])),
    )

    assert_one_saved_and_one_told(responses, ["The first editor", "The second editor"])
    assert Article.objects.filter(slug="night-buses").count() == 1


def test_two_stories_renamed_to_one_slug_at_once_get_one_rename_and_one_slug_error(both_validated):
    one, other = ArticleFactory(slug="first-story"), ArticleFactory(slug="second-story")
    first, second = client_for(staff_user("Editor", "editor1")), client_for(staff_user("Editor", "editor2"))

    responses = in_threads(
        lambda: first.post(change_url(one), form_data(one, slug="one-slug", headline="First rename")),
        lambda: second.post(change_url(other), form_data(other, slug="one-slug", headline="Second rename")),
    )

    assert_one_saved_and_one_told(responses, ["First rename", "Second rename"])
    assert sorted(Article.objects.values_list("slug", flat=True)) in (
        ["one-slug", "second-story"],
        ["first-story", "one-slug"],
    )


def test_slug_taken_between_the_form_check_and_the_save_gives_the_slug_error_with_the_text_kept(monkeypatch):
    """The race, deterministically: another editor's story with the slug is committed just before the save."""
    section, author = SectionFactory(), AuthorFactory()
    save_model = ArticleAdmin.save_model
    rivals = []

    def save_model_after_a_rival_took_the_slug(self, request, obj, form, change):
        if not rivals:
            rivals.append(in_threads(lambda: ArticleFactory(section=section, slug="night-buses")))
        save_model(self, request, obj, form, change)

    monkeypatch.setattr(ArticleAdmin, "save_model", save_model_after_a_rival_took_the_slug)
    editor = client_for(staff_user("Editor"))

    response = editor.post(
        reverse("admin:articles_article_add"),
        article_form(section, author, slug="night-buses", body="<p>Every word of tonight's copy.</p>"),
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert SLUG_ERROR in html
    assert "Every word of tonight&#x27;s copy." in html or "Every word of tonight's copy." in html
    assert Article.objects.filter(slug="night-buses").count() == 1
