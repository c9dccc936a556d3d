import json
import re
from datetime import datetime, timedelta

import html5lib
import pytest

from articles.models import Article, Byline, Correction

from .factories import ArticleFactory, AuthorFactory, BylineFactory, CorrectionFactory, SectionFactory, TagFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_identity")]

SITE = "https://news.test"
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def structured_data(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    [payload] = JSON_LD.findall(html)
    return json.loads(payload)


def test_json_ld_has_every_field_search_engines_require(client):
    article = ArticleFactory(headline="Dockers vote to strike", standfirst="A walkout from Monday.")
    article.updated_at = article.published_at + timedelta(hours=2)
    article.save()
    first, second = AuthorFactory(name="Ana Ruiz"), AuthorFactory(name="Li Wei")
    BylineFactory(article=article, author=first, position=1)
    BylineFactory(article=article, author=second, position=2, role=Byline.Role.ADDITIONAL_REPORTING)

    data = structured_data(client, article)

    url = f"{SITE}{article.get_absolute_url()}"
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Dockers vote to strike"
    assert data["description"] == "A walkout from Monday."
    assert datetime.fromisoformat(data["datePublished"]) == article.published_at
    assert datetime.fromisoformat(data["dateModified"]) == article.updated_at
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert data["author"] == [
        {"@type": "Person", "name": "Ana Ruiz", "url": f"{SITE}{first.get_absolute_url()}"},
        {"@type": "Person", "name": "Li Wei", "url": f"{SITE}{second.get_absolute_url()}"},
    ]
    assert data["publisher"]["@type"] == "Organization"
    assert data["publisher"]["name"] == "Riverport Chronicle"
    assert data["publisher"]["logo"]["url"] == f"{SITE}/static/img/publisher-logo.png"
    assert "image" not in data
    assert "correction" not in data


def test_json_ld_survives_quotes_script_tags_and_non_latin_text(client):
    headline = 'Mayor says "no" </script><script>alert(1)</script> — Мэр сказал «нет» 市长说不'
    article = ArticleFactory(headline=headline, standfirst="It's <b>final</b> & settled.")

    html = client.get(article.get_absolute_url()).content.decode()
    data = structured_data(client, article)

    assert data["headline"] == headline
    assert data["description"] == "It's <b>final</b> & settled."
    assert "<script>alert(1)" not in html
    assert "Мэр сказал «нет» 市长说不" in html


@pytest.mark.parametrize(
    "article_type, schema_type",
    [
        (Article.Type.NEWS, "NewsArticle"),
        (Article.Type.OPINION, "OpinionNewsArticle"),
        (Article.Type.ANALYSIS, "AnalysisNewsArticle"),
    ],
)
def test_opinion_and_analysis_use_the_schema_org_subtypes(client, article_type, schema_type):
    assert structured_data(client, ArticleFactory(article_type=article_type))["@type"] == schema_type


def test_corrections_appear_as_correction_comments_but_routine_updates_do_not(client):
    article = ArticleFactory()
    correction = CorrectionFactory(article=article, note="The vote was 40 to 2, not 42 to 0.")
    CorrectionFactory(article=article, kind=Correction.Kind.UPDATE, note="Adds the union's reply.")

    data = structured_data(client, article)

    assert data["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "The vote was 40 to 2, not 42 to 0.",
            "datePublished": correction.created_at.isoformat(),
        }
    ]


def test_article_page_has_sharing_tags_canonical_link_and_description(client):
    article = ArticleFactory(headline="Tram line opens", standfirst="Twelve stops, one line.")
    article.tags.add(TagFactory(name="Trams"), TagFactory(name="Transport"))
    url = f"{SITE}{article.get_absolute_url()}"

    html = client.get(article.get_absolute_url()).content.decode()

    assert "<title>Tram line opens | Riverport Chronicle</title>" in html
    assert '<meta name="description" content="Twelve stops, one line.">' in html
    assert f'<link rel="canonical" href="{url}">' in html
    for tag in [
        '<meta property="og:type" content="article">',
        '<meta property="og:title" content="Tram line opens">',
        f'<meta property="og:url" content="{url}">',
        '<meta property="og:site_name" content="Riverport Chronicle">',
        f'<meta property="article:published_time" content="{article.published_at.isoformat()}">',
        f'<meta property="article:modified_time" content="{article.published_at.isoformat()}">',
        f'<meta property="article:section" content="{article.section.name}">',
        '<meta property="article:tag" content="Trams">',
        '<meta property="article:tag" content="Transport">',
        '<meta name="twitter:card" content="summary">',
        '<meta name="twitter:title" content="Tram line opens">',
    ]:
        assert tag in html


def test_article_page_links_the_editable_corrections_policy(client):
    article = ArticleFactory()
    policy = Article._meta.apps.get_model("articles", "Policy").objects.get(slug="corrections")
    policy.body = "We fix mistakes within a day.\n\nWrite to the desk."
    policy.save()

    article_html = client.get(article.get_absolute_url()).content.decode()
    policy_html = client.get(policy.get_absolute_url()).content.decode()

    assert f'href="{policy.get_absolute_url()}"' in article_html
    assert "<p>We fix mistakes within a day.</p>" in policy_html
    assert client.get("/policies/no-such-policy/").status_code == 404


def test_related_stories_put_shared_topics_first_then_the_section_and_never_the_story_itself(client):
    section, other_section = SectionFactory(), SectionFactory()
    ferries, fares, weather = TagFactory(), TagFactory(), TagFactory()
    article = ArticleFactory(section=section, headline="The story itself")
    article.tags.add(ferries, fares)
    two_tags = ArticleFactory(section=other_section, headline="Shares two topics")
    two_tags.tags.add(ferries, fares)
    one_tag = ArticleFactory(section=other_section, headline="Shares one topic")
    one_tag.tags.add(fares, weather)
    ArticleFactory(section=section, headline="Same section only")
    ArticleFactory(section=other_section, headline="Unrelated story")
    draft = ArticleFactory(section=section, headline="Related draft", status=Article.Status.DRAFT)
    draft.tags.add(ferries)

    response = client.get(article.get_absolute_url())

    document = html5lib.HTMLParser(namespaceHTMLElements=False).parse(response.content.decode())
    related = document.find(".//aside[@class='related']")
    assert ["".join(link.itertext()) for link in related.iterfind(".//a[@class='related__headline']")] == [
        "Shares two topics",
        "Shares one topic",
        "Same section only",
    ]
    related_block = response.content.decode().split('<aside class="related"')[1]
    assert "The story itself" not in related_block
    assert "Related draft" not in related_block and "Unrelated story" not in related_block


def test_article_revalidation_gets_304_until_the_story_changes(client):
    article = ArticleFactory()
    url = article.get_absolute_url()

    first = client.get(url)

    assert first["Last-Modified"] and first["ETag"]
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
    assert client.get(url, headers={"if-modified-since": first["Last-Modified"]}).status_code == 304
    CorrectionFactory(article=article, created_at=article.modified_at + timedelta(minutes=1))
    changed = client.get(url, headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200
    assert changed["Last-Modified"] != first["Last-Modified"]
