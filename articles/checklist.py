"""The publish checklist: what a story needs before it goes live, checked on every path that publishes.

Blocking items stop publication. Advisory items stop it too, until an editor ticks “Publish anyway” on the
story's page; a bulk action cannot tick it and the importer skips them. Plain model saves never run the
checklist: only the story form, the bulk “publish” action and the importer do.

An item is one function of the attempt, returning whether the story passes, and one line in ITEMS.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from .models import Article, Autosave, review_copy

# Google's limit for a NewsArticle headline; the model allows 200 for the archive's older stories.
HEADLINE_LIMIT = 110


@dataclass
class Attempt:
    """A story about to go live, as it would be saved, with its credits as submitted."""

    article: Article
    bylines: list = field(default_factory=list)  # the authors credited, as the form or the file leaves them
    user: object = None  # who publishes (None for the importer): another's autosave is anyone else's
    _copy_findings: list = field(default=None, init=False, repr=False, compare=False)

    def open_copy_findings(self):
        """The copy desk's findings in the story as it would be saved, less those set aside for it."""
        if self._copy_findings is None:
            article = self.article
            findings = review_copy(article, headline=article.headline, standfirst=article.standfirst, body=article.body)
            self._copy_findings = [finding for finding in findings if not finding.ignored]
        return self._copy_findings

    @classmethod
    def as_stored(cls, article, user=None):
        """The story with the bylines saved on it."""
        bylines = [byline.author for byline in article.bylines.select_related("author")] if article.pk else []
        return cls(article, bylines, user)


def credited(attempt):
    # An agency story is credited by its source: readers see "Source: ..." and search engines get it as author.
    return bool(attempt.bylines) or bool(attempt.article.source.strip())


def in_a_section(attempt):
    return attempt.article.section_id is not None


def pictures_described(attempt):
    try:
        attempt.article.check_pictures_are_described()
    except ValidationError:
        return False
    return True


def headline_fits(attempt):
    return len(attempt.article.headline) <= HEADLINE_LIMIT


def has_standfirst(attempt):
    return bool(attempt.article.standfirst.strip())


def has_lead_picture(attempt):
    return attempt.article.lead_image_id is not None


def no_pending_autosave(attempt):
    """Nobody else has copy of this story typed since its last save that the story does not hold yet."""
    if attempt.article.pk is None or attempt.user is None:
        return True
    return not Autosave.objects.pending_for(attempt.article, excluding_user=attempt.user).exists()


def no_open_copy_findings(attempt):
    return not attempt.open_copy_findings()


def copy_findings_count(attempt):
    return f"{len(attempt.open_copy_findings())} open: see the Copy desk panel"


@dataclass(frozen=True)
class Item:
    label: str
    blocking: bool
    passes: Callable[[Attempt], bool]
    detail: Callable[[Attempt], str] | None = None  # said after the label of an open item


ITEMS = [
    Item("A byline (or a source, for agency copy)", True, credited),
    Item("A section", True, in_a_section),
    Item("Every picture described (alt text)", True, pictures_described),
    Item(f"A headline of at most {HEADLINE_LIMIT} characters", True, headline_fits),
    Item("A standfirst", False, has_standfirst),
    Item("A lead picture", False, has_lead_picture),
    Item("No unsaved copy of someone else's (autosave)", False, no_pending_autosave),
    Item("No open copy-desk findings", False, no_open_copy_findings, copy_findings_count),
]


@dataclass(frozen=True)
class Check:
    item: Item
    passed: bool
    detail: str = ""

    @property
    def label(self):
        return f"{self.item.label} ({self.detail})" if self.detail else self.item.label


def run(attempt):
    """Every item, in order, with whether the story passes it."""
    checks = []
    for item in ITEMS:
        passed = bool(item.passes(attempt))
        checks.append(Check(item, passed, item.detail(attempt) if item.detail and not passed else ""))
    return checks


def open_items(attempt):
    """The labels of the items the story fails: (blocking, advisory)."""
    failed = [check for check in run(attempt) if not check.passed]
    return [c.label for c in failed if c.item.blocking], [c.label for c in failed if not c.item.blocking]


def goes_live(stored_status, article):
    """Whether this save publishes the story (now or on a schedule): its status becomes published."""
    return article.status == Article.Status.PUBLISHED and stored_status != Article.Status.PUBLISHED
