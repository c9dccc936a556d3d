"""The articles admin. Django's autodiscover imports this package; importing its modules registers the models."""

from . import catalogue, copydesk  # noqa: F401
from .stories import ArticleAdmin

__all__ = ["ArticleAdmin"]
