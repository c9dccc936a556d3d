"""Signed, expiring, revocable preview links for stories readers cannot see yet."""

from django.core import signing

from .models import Article

PREVIEW_DAYS = 7
SALT = "articles.preview"


def preview_token(article):
    return signing.dumps({"id": article.pk, "key": article.preview_key}, salt=SALT)


def article_for_token(token):
    """The story a valid, unexpired, unrevoked token names, or None; never a withdrawn story."""
    try:
        data = signing.loads(token, salt=SALT, max_age=PREVIEW_DAYS * 24 * 3600)
    except signing.BadSignature:  # also SignatureExpired
        return None
    if not isinstance(data, dict):
        return None
    stories = Article.objects.for_detail().exclude(status=Article.Status.WITHDRAWN)
    return stories.filter(pk=data.get("id"), preview_key=data.get("key")).first()
