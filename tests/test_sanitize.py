import pytest

from articles.sanitize import clean_html

from .factories import ArticleFactory


@pytest.mark.parametrize(
    ("dirty", "forbidden"),
    [
        ("<p>hi</p><script>alert(1)</script>", "<script"),
        ('<p onclick="alert(1)">hi</p>', "onclick"),
        ('<img src="x" onerror="alert(1)">', "onerror"),
        ('<a href="javascript:alert(1)">x</a>', "javascript:"),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', "alert"),
        ('<img src="data:image/svg+xml;base64,PHN2Zz4=">', "data:"),
        ('<iframe src="https://evil.example"></iframe>', "<iframe"),
        ("<style>body{display:none}</style><p>x</p>", "<style"),
        ('<p style="background:url(javascript:alert(1))">x</p>', "style="),
        ("<svg><script>alert(1)</script></svg>", "<svg"),
        ("<object data='x.swf'></object>", "<object"),
    ],
)
def test_clean_html_removes_executable_markup(dirty, forbidden):
    assert forbidden.lower() not in clean_html(dirty).lower()


def test_clean_html_keeps_what_news_copy_needs():
    html = (
        "<h2>Sub</h2><h3>Sub</h3><h4>Sub</h4><p><strong>b</strong> <em>i</em> <b>b</b> <i>i</i><br></p>"
        "<ul><li>one</li></ul><ol><li>two</li></ol><blockquote><p>quote</p></blockquote><hr>"
        '<figure><img src="/media/uploads/a.jpg" alt="A crowd" width="800" height="600">'
        "<figcaption>Caption</figcaption></figure>"
        '<table><thead><tr><th scope="col">Year</th></tr></thead><tbody><tr><td>2024</td></tr></tbody></table>'
    )
    cleaned = clean_html(html)

    for kept in ["<h2>", "<h4>", "<strong>", "<em>", "<ul>", "<ol>", "<blockquote>", "<hr>", "<figcaption>"]:
        assert kept in cleaned
    assert '<img src="/media/uploads/a.jpg" alt="A crowd" width="800" height="600" loading="lazy">' in cleaned
    assert '<th scope="col">' in cleaned


def test_links_keep_href_and_title_and_get_noopener():
    cleaned = clean_html('<a href="https://example.org/report" title="Report" target="_blank">report</a>')

    assert 'href="https://example.org/report"' in cleaned
    assert 'title="Report"' in cleaned
    assert 'rel="noopener"' in cleaned
    assert "target" not in cleaned


@pytest.mark.django_db
def test_every_model_save_sanitises_the_body():
    article = ArticleFactory(body="<p>Safe</p><script>alert(1)</script>")
    article.refresh_from_db()

    assert article.body == "<p>Safe</p>"
