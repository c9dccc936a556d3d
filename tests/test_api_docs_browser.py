"""The content API's docs page (Swagger UI, served by the project) renders under the site's Content-Security-Policy."""

import pytest

from .test_browser import ARTIFACTS, open_browser
from .test_csp_browser import csp_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_page_shows_every_operation_and_breaks_no_rule_of_the_policy(live_server):
    with open_browser() as page:
        violations = csp_violations(page)
        page.goto(f"{live_server.url}/api/v1/docs/")
        page.wait_for_selector(".swagger-ui .info .title")
        page.wait_for_selector(".opblock-summary-path")
        paths = page.locator(".opblock-summary-path").all_inner_texts()
        page.screenshot(path=ARTIFACTS / "api-docs.png", full_page=True)

    assert "/api/v1/stories/{id}/" in [path.replace("\u200b", "") for path in paths]
    assert violations == []
