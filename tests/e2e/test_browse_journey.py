"""A visitor on a phone (and a desktop) finds an activity and switches language."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.steps import open_menu

pytestmark = pytest.mark.e2e


def test_home_to_activity_detail(page):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("优质服务体验季")
    expect(page.get_by_text("心级服务，优+体验").first).to_be_visible()
    screenshot(page, "browse-01-home")
    page.get_by_role("link", name="立即报名").click()
    expect(page).to_have_url(re.compile(r"/activities/$"))
    page.get_by_label("活动类型").select_option("open_day")
    page.get_by_label("城市").select_option(label="北京市")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator(".activity-card")).to_have_count(1)
    screenshot(page, "browse-02-activity-list")
    page.get_by_role("link", name="探秘5G网络大脑").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("探秘5G网络大脑")
    expect(page.get_by_text("名额紧张").first).to_be_visible()
    screenshot(page, "browse-03-activity-detail")


def test_language_switch_keeps_the_page(page):
    page.goto("/activities/")
    open_menu(page)
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/en/activities/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Activities")
    screenshot(page, "browse-04-english")
    page.locator(".activity-card").first.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/en/activities/[\w-]+/$"))  # English stays on
    if page.viewport_name == "phone":
        page.get_by_role("button", name="Open menu").click()
    page.get_by_role("link", name="简体中文").click()
    expect(page).to_have_url(re.compile(r"^http://[^/]+/activities/[\w-]+/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    screenshot(page, "browse-05-back-to-chinese")
