"""A story's card as listings show it, stored when the story is written (made and kept by articles/cards.py)."""

from django.db import models


class Card(models.Model):
    """The HTML of a story's card, both ways the pages show it, and the card templates' version it was made with.

    A card is shown only while its `version` is the running code's: a change to what the card shows empties
    it (`version` blank) in the same transaction, and a page renders such a story's card itself until it is
    made again. Its own table, not columns on the story: making and emptying cards never rewrites the
    story's row or fires its search triggers.
    """

    article = models.OneToOneField(
        "articles.Article", primary_key=True, on_delete=models.CASCADE, related_name="card", editable=False
    )
    version = models.CharField(max_length=16, blank=True, editable=False)
    html = models.TextField(blank=True, editable=False, help_text="The card in a listing.")
    lead_html = models.TextField(blank=True, editable=False, help_text="The card as the home page's lead.")

    def __str__(self):
        return f"Card of story {self.article_id}"
