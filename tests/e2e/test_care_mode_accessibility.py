"""axe-core finds nothing in 关怀版 either: every public page, on a phone and a desktop, with
the mode's cookie set as the header's 关怀版 link sets it."""

import pytest
from playwright.sync_api import expect

from campaigns.care import CARE_COOKIE
from tests.e2e.conftest import axe_violations
from tests.e2e.test_accessibility import PUBLIC_PAGES

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(("path", "status"), PUBLIC_PAGES)
def test_public_page_in_care_mode(page, live_url, path, status):
    page.context.add_cookies([{"name": CARE_COOKIE, "value": "1", "url": live_url}])
    response = page.goto(path)
    assert response.status == status
    if status == 200:  # (the site under test runs with DEBUG: its 404 is Django's own page)
        expect(page.locator("html")).to_have_class("care")
    assert axe_violations(page) == []
