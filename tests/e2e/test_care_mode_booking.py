"""关怀版 on a phone: an older visitor turns it on from the header, books an open day in it
(larger type, big buttons, no ticking countdown), and turns it off again with one tap."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import _open_page, axe_violations, screenshot
from tests.e2e.steps import accept_privacy, latest_code, reference_on_confirmation, session_row

pytestmark = pytest.mark.e2e

# The smallest text in the page's main part and footer, in CSS pixels: every element with
# text of its own that is on screen (a hidden skip link or honeypot does not count).
SMALLEST_TEXT = """() => {
  const sizes = [];
  for (const el of document.querySelectorAll("main *, footer *")) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    const box = el.getBoundingClientRect();
    if (own && box.width > 1 && box.height > 1 && getComputedStyle(el).visibility !== "hidden") {
      sizes.push(parseFloat(getComputedStyle(el).fontSize));
    }
  }
  return Math.min(...sizes);
}"""
# The smallest button or form field in the main part (height in CSS pixels).
SMALLEST_TARGET = """() => Math.min(...[...document.querySelectorAll(
  "main .btn, main select, main textarea, "
  + "main input:not([type=checkbox]):not([type=radio]):not([type=hidden])"
)].filter((el) => el.getBoundingClientRect().height > 1 && !el.closest("[aria-hidden=true]"))
 .map((el) => el.getBoundingClientRect().height))"""


@pytest.fixture
def phone(browser, live_url):
    context, page, errors = _open_page(browser, live_url, "phone")
    yield page
    context.close()
    assert not errors, f"browser errors: {errors}"


def in_care_mode(page):
    expect(page.locator("html")).to_have_class("care")
    expect(page.get_by_role("link", name="标准版")).to_be_visible()
    assert page.evaluate(SMALLEST_TEXT) >= 18
    assert page.evaluate(SMALLEST_TARGET) >= 44


def test_book_an_open_day_in_care_mode_and_switch_back(phone):
    page = phone
    number = "15700000001"  # no other journey uses 157
    page.goto("/")
    assert page.evaluate(SMALLEST_TEXT) < 18  # 标准版: small print exists
    page.get_by_role("link", name="关怀版").click()  # in the header, no menu to open
    expect(page).to_have_url(re.compile(r"/$"))
    in_care_mode(page)
    assert axe_violations(page) == []
    screenshot(page, "care-01-home")

    page.get_by_role("link", name="立即报名").click()  # remembered from page to page
    in_care_mode(page)
    page.get_by_role("link", name="探秘5G网络大脑").first.click()
    in_care_mode(page)
    row = session_row(page, "第二场")
    row.get_by_role("link", name="报名").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("报名参加")
    in_care_mode(page)

    page.get_by_label("姓名").fill("李秀英")
    page.get_by_label("手机号码").fill(number)
    page.get_by_role("button", name="获取验证码").click()
    expect(page.get_by_role("status").filter(has_text="验证码已发送至")).to_be_visible()
    # No countdown ticking: the button says once that it comes back, then does.
    expect(page.get_by_role("button", name="稍后可重新获取")).to_be_disabled()
    expect(page.get_by_role("button", name=re.compile(r"\d+秒"))).to_have_count(0)
    expect(page.get_by_role("button", name="获取验证码")).to_be_enabled(timeout=15_000)
    page.get_by_label("短信验证码").fill(latest_code(number))
    page.get_by_label("同行人数").select_option("1")
    page.get_by_role("checkbox", name="我已阅读并遵守活动须知").check()
    accept_privacy(page)
    in_care_mode(page)
    assert axe_violations(page) == []
    screenshot(page, "care-02-form-filled")

    page.get_by_role("button", name="提交报名").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("报名成功")
    reference_on_confirmation(page)
    in_care_mode(page)
    assert axe_violations(page) == []
    screenshot(page, "care-03-confirmation")

    page.get_by_role("link", name="标准版").click()  # one tap back, on the same page
    expect(page.get_by_role("heading", level=1)).to_have_text("报名成功")
    expect(page.locator("html")).not_to_have_class("care")
    expect(page.get_by_role("link", name="关怀版")).to_be_visible()
    page.goto("/activities/")
    expect(page.locator("html")).not_to_have_class("care")
