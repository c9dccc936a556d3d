"""The search document a story has on PostgreSQL (its vector, kept by database triggers)."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchDocument(models.Model):
    """A story's weighted full-text vector, written only by database triggers (articles/search_sql.py).

    Filled on PostgreSQL only (empty on SQLite); kept out of the article row so listings never fetch it.
    It repeats the story's publication time and section so the newest matches, in a section too, come from
    this table and its indexes alone.
    The database deletes it with its story (a cascading key added in migration 0003).
    """

    article = models.OneToOneField(
        "articles.Article",
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="search_document",
    )
    published_at = models.DateTimeField(null=True)
    section = models.ForeignKey("articles.Section", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    vector = SearchVectorField()

    def __str__(self):
        return f"Search document of “{self.article}”"


class SearchWords(models.Model):
    """A story's words without their positions or weights (`strip()` of its vector), kept in the row itself.

    What a common word's walk by date tests (articles/search.py, `walked_matches()`): reading the full vector
    out of TOAST for each of the ~900 stories a walk passes was most of a search's database time. A table of
    its own, because the search document's row must stay narrow: its word index answers rarer words with a
    bitmap whose cost grows with the heap pages the matches lie on (bench/README.md). Written only by a
    trigger on the search document (articles/search_sql.py, migration 0025); deleted with its story.
    """

    article = models.OneToOneField(
        "articles.Article", primary_key=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    published_at = models.DateTimeField(null=True)
    section = models.ForeignKey(
        "articles.Section", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    words = SearchVectorField()

    def __str__(self):
        return f"Search words of story {self.article_id}"
