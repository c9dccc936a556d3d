"""The articles app's models, one module per concept; import them from here.

The modules name each other's models by string in relations and reach them at run time through the relation
or `apps.get_model`, so none imports another model module: only the gate's querysets and the validation rules.
"""

from .autosave import Autosave, AutosaveQuerySet
from .cards import Card
from .copydesk import HouseStyle, IgnoredFinding, StyleEntry, review_copy
from .gate import ArticleQuerySet, StoryStatus, card_bylines
from .live import LiveCoverage, LiveEntry, LiveEntryChange, LiveEntryQuerySet
from .people import Author, Byline
from .record import Correction, EditingPresence, OldSlug, Policy, StatusChange
from .search import SearchDocument, SearchWords
from .stories import WORDS_PER_MINUTE, Article, StaleArticle, new_preview_key, story_saved
from .topics import Section, Tag
from .validation import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    RESERVED_SECTION_SLUGS,
    validate_section_slug,
    validate_story_date,
)

__all__ = [
    "EARLIEST_YEAR",
    "LATEST_YEAR",
    "RESERVED_SECTION_SLUGS",
    "WORDS_PER_MINUTE",
    "Article",
    "ArticleQuerySet",
    "Author",
    "Autosave",
    "AutosaveQuerySet",
    "Byline",
    "Card",
    "Correction",
    "EditingPresence",
    "HouseStyle",
    "IgnoredFinding",
    "LiveCoverage",
    "LiveEntry",
    "LiveEntryChange",
    "LiveEntryQuerySet",
    "OldSlug",
    "Policy",
    "SearchDocument",
    "SearchWords",
    "Section",
    "StaleArticle",
    "StatusChange",
    "StyleEntry",
    "StoryStatus",
    "Tag",
    "card_bylines",
    "new_preview_key",
    "review_copy",
    "story_saved",
    "validate_section_slug",
    "validate_story_date",
]
