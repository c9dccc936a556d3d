"""axe-core (from npm, pinned in package-lock.json) run in Chromium on the public pages."""

from pathlib import Path

import pytest

from articles.models import Article, Byline

from .factories import (
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    CorrectionFactory,
    LiveEntryFactory,
    LiveStoryFactory,
    SectionFactory,
    TagFactory,
)
from .test_browser import ARTIFACTS, open_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}


def axe_violations(page, url):
    page.goto(url)
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run(document)).violations")
    problems = [
        f"{url}: {v['id']} ({v['impact']}) {[node['target'] for node in v['nodes']]}"
        for v in violations
        if v["impact"] in BLOCKING
    ]
    if page.locator("h1").count() != 1:
        problems.append(f"{url}: {page.locator('h1').count()} <h1> elements")
    if page.locator("header, nav, main, footer").count() < 4:
        problems.append(f"{url}: missing landmarks")
    page.keyboard.press("Tab")
    if page.evaluate("document.activeElement.getAttribute('href')") != "#main":
        problems.append(f"{url}: the first Tab does not reach the skip link")
    return problems


def test_public_pages_have_no_serious_or_critical_accessibility_violations(live_server):
    assert AXE.exists(), "run `npm ci` (make test does) to install axe-core"
    world = SectionFactory(name="World", slug="world")
    SectionFactory(name="Sport", slug="sport")
    lead = ArticleFactory(section=world, headline="Harbour reopens after the storm", home_rank=1)
    for position, name in enumerate(["Ana Ruiz", "Li Wei"]):
        BylineFactory(article=lead, author=AuthorFactory(name=name), position=position)
    BylineFactory(article=lead, author=AuthorFactory(name="Sam Okafor"), role=Byline.Role.PHOTOS)
    lead.tags.add(TagFactory(name="Harbour"), TagFactory(name="Weather"))
    CorrectionFactory(article=lead)
    for n in range(6):
        story = ArticleFactory(section=world, headline=f"World story {n}", article_type=Article.Type.OPINION)
        story.tags.add(TagFactory(name=f"Topic {n}"))
    live = LiveStoryFactory(section=world, headline="Storm over the harbour, live")
    LiveEntryFactory(article=live, headline="Ferries stop", key_event=True).authors.add(AuthorFactory(name="Li Na"))
    LiveEntryFactory(article=live, body="<p>Winds are easing.</p>")
    urls = {
        "home": "/",
        "live": live.get_absolute_url(),
        "article": lead.get_absolute_url(),
        "section": world.get_absolute_url(),
        "corrections": "/corrections/",
        "not-found": "/no-such-page/",
        "search": "/search/?q=harbour",
    }

    failures = []
    # axe-core is the test's own script, injected inline: the site's CSP rightly forbids that, so the
    # test page lets it in (bypass_csp) without changing what the site sends.
    with open_browser(bypass_csp=True) as page:
        for name, path in urls.items():
            failures += axe_violations(page, f"{live_server.url}{path}")
            page.screenshot(path=ARTIFACTS / f"a11y-{name}.png", full_page=True)

    assert failures == []
