"""On a phone, a visitor finds 服务承诺 in the footer, reads the eight commitments and follows
the 48-hour one to the live scoreboard."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, screenshot

pytestmark = pytest.mark.e2e


def test_from_the_footer_to_the_commitments_and_on_to_the_scoreboard(page):
    page.goto("/activities/")
    page.get_by_role("contentinfo").get_by_role("link", name="全部服务承诺").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("服务承诺")
    eight = page.get_by_role("region", name="“诚信服务 满意100”八项承诺")
    expect(eight.get_by_role("listitem")).to_have_count(8)
    six = page.get_by_role("region", name="4G时代的六项服务举措")
    expect(six.get_by_role("listitem")).to_have_count(6)
    three = page.get_by_role("region", name="“三全”服务体系")
    expect(three.get_by_role("listitem")).to_have_count(3)
    assert axe_violations(page) == []
    screenshot(page, "commitments-01-page")

    eight.get_by_role("link", name="48小时首次回复客户投诉").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("48小时回复承诺")
