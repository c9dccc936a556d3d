"""No story a reader may not see reaches any public page, feed or sitemap."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from articles.models import Article

from .factories import (
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    CorrectionFactory,
    SectionFactory,
    TagFactory,
    staff_user,
)
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


def owners_of(marker, fields):
    """A section, an author and a topic whose only story is a hidden one (or none, with fields None)."""
    section = SectionFactory(name=f"Section {marker}", slug=f"section-{marker}")
    author = AuthorFactory(name=f"Author {marker}", slug=f"author-{marker}")
    tag = TagFactory(name=f"Topic {marker}", slug=f"topic-{marker}")
    if fields is not None:
        article = ArticleFactory(section=section, **fields)
        BylineFactory(article=article, author=author)
        article.tags.add(tag)
    return section, author, tag


@pytest.mark.parametrize("marker", [*HIDDEN, "zqnostorymarker"])
def test_a_section_author_or_topic_without_a_published_story_is_a_404_and_listed_nowhere(client, marker):
    section, author, tag = owners_of(marker, HIDDEN.get(marker))
    ArticleFactory(headline="The one live story")

    for url in [
        section.get_absolute_url(),
        author.get_absolute_url(),
        tag.get_absolute_url(),
        f"/feeds/sections/{section.slug}/rss/",
        f"/feeds/sections/{section.slug}/atom/",
        f"/feeds/authors/{author.slug}/rss/",
        f"/feeds/authors/{author.slug}/atom/",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert marker not in response.content.decode(), url
    for url in ["/", "/search/", "/sitemap-sections.xml", "/archive/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert marker not in response.content.decode(), url


def test_a_section_author_and_topic_appear_once_their_first_story_is_published(client):
    section, author, tag = owners_of("zqfirststory", HIDDEN["zqdraftmarker"])
    assert client.get(section.get_absolute_url()).status_code == 404

    Article.objects.filter(section=section).update(status=Article.Status.PUBLISHED, published_at=timezone.now())

    for url in [section.get_absolute_url(), author.get_absolute_url(), tag.get_absolute_url()]:
        assert client.get(url).status_code == 200, url
    assert f'<a href="{section.get_absolute_url()}">Section zqfirststory</a>' in client.get("/").content.decode()


def test_the_navigation_drops_a_section_when_an_editor_withdraws_its_last_story(
    client, settings, django_capture_on_commit_callbacks
):
    """The reader's page cache is on: withdrawing the last story must not leave a cached link to a 404."""
    settings.PAGE_CACHE_SECONDS = 600
    section, _, _ = owners_of("zqlaststory", {})
    # A page that does not show the story: only the navigation ties it to the section.
    elsewhere = ArticleFactory(headline="Elsewhere").section.get_absolute_url()
    assert ">Section zqlaststory<" in client.get(elsewhere).content.decode()
    assert client.get(elsewhere)["X-Page-Cache"] == "hit"
    editor = Client()
    editor.force_login(staff_user("Editor"))
    story = Article.objects.get(section=section)

    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            "/admin/articles/article/",
            {"action": "withdraw", "_selected_action": [story.pk], f"version_{story.pk}": story.version},
        )
    assert response.status_code == 302
    assert Article.objects.get(pk=story.pk).status == Article.Status.WITHDRAWN

    assert "Section zqlaststory" not in client.get(elsewhere).content.decode()
    assert client.get(section.get_absolute_url()).status_code == 404
