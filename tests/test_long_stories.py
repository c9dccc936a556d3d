"""A story longer than one search vector holds is saved and found by its words, and a database refusing one
statement is not reported to readers as the database being away."""

import random
import string

import pytest
from django.db import OperationalError, connection, transaction
from django.urls import reverse

from articles.models import Article
from newsroom.errors import server_error

from .factories import AuthorFactory, SectionFactory, staff_user
from .test_admin import article_form
from .test_workflow import client_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def long_body(size):
    """Paragraphs of distinct made-up words, `size` characters in all: more words than a tsvector's 1 MB holds."""
    letters = random.Random(15)
    words = []
    length = 0
    while length < size:
        word = "".join(letters.choices(string.ascii_lowercase, k=9))
        words.append(word)
        length += len(word) + 1
    paragraphs = [" ".join(words[start : start + 200]) for start in range(0, len(words), 200)]
    return "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)


def test_editor_saves_a_1_7_mb_story_and_readers_find_it_by_a_word_near_its_start(client):
    section, author = SectionFactory(), AuthorFactory()
    body = "<p>The harbourmaster spoke first.</p>" + long_body(1_700_000)
    editor = client_for(staff_user("Editor"))

    response = editor.post(
        reverse("admin:articles_article_add"),
        article_form(section, author, headline="The longest night at the port", body=body),
    )

    assert response.status_code == 302
    article = Article.objects.get()
    assert len(article.body) > 1_700_000
    found = client.get(reverse("articles:search"), {"q": "harbourmaster"})
    assert "The longest night at the port" in found.content.decode()


def test_a_statement_the_database_refuses_is_a_500_not_the_back_in_a_moment_page(rf):
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            # Over 1 MB of distinct words: PostgreSQL refuses the vector (program_limit_exceeded).
            cursor.execute(
                "SELECT to_tsvector('simple', string_agg(md5(i::text), ' ')) FROM generate_series(1, 40000) i"
            )
    except OperationalError:
        response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert "Back in a moment" not in response.content.decode()
    assert "Retry-After" not in response
