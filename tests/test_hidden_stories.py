"""No story a reader may not see reaches any public page, feed or sitemap."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article

from .factories import ArticleFactory, AuthorFactory, BylineFactory, CorrectionFactory, SectionFactory, TagFactory
from .public_surfaces import surface_paths

pytestmark = pytest.mark.django_db

HIDDEN = {
    "zqdraftmarker": {"status": Article.Status.DRAFT, "published_at": None},
    "zqscheduledmarker": {"published_at": timezone.now() + timedelta(hours=2)},
    "zqwithdrawnmarker": {"status": Article.Status.WITHDRAWN},
    "zqexpiredmarker": {"expires_at": timezone.now() - timedelta(minutes=1)},
}


def test_draft_scheduled_withdrawn_and_expired_stories_appear_nowhere_public(client, settings):
    settings.FEED_FULL_TEXT = True
    section, author, tag = SectionFactory(), AuthorFactory(), TagFactory()
    live = ArticleFactory(section=section, headline="The one live story")
    BylineFactory(article=live, author=author)
    live.tags.add(tag)
    CorrectionFactory(article=live, note="A correction readers may see.")
    hidden = []
    for marker, fields in HIDDEN.items():
        article = ArticleFactory(
            section=section,
            headline=f"Headline {marker}",
            slug=f"slug-{marker}",
            standfirst=f"Standfirst {marker}",
            body=f"<p>Body {marker}</p>",
            home_rank=1,
            **fields,
        )
        BylineFactory(article=article, author=author)
        article.tags.add(tag)
        CorrectionFactory(article=article, note=f"Correction {marker}")
        hidden.append(article)
    day = timezone.localtime(live.published_at)

    # Words every hidden story holds (and the live one does not): a search must find none of them.
    searches = ["/search/?q=headline", "/search/?q=standfirst", "/search/?q=body"]
    urls = [
        *surface_paths(live),
        f"/archive/{day.year}/{day.month:02d}/",
        f"/archive/{day.year}/{day.month:02d}/{day.day:02d}/",
        "/search/?q=live",
        *searches,
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        # every listing shows the live story, so an empty page cannot pass for a clean one
        assert live.slug in text or url in {
            *searches,
            "/search/?q=alert",
            "/policies/corrections/",
            "/robots.txt",
            "/sitemap.xml",
            "/sitemap-sections.xml",
        }
        for marker in HIDDEN:
            assert marker not in text, f"{marker} leaked on {url}"
    for article in hidden:
        response = client.get(f"/{section.slug}/{article.slug}/")
        assert response.status_code == 404
        assert not any(marker in response.content.decode() for marker in HIDDEN)
