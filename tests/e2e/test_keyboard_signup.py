"""The open-day signup form completed with the keyboard alone (Tab, typing, arrow keys, Space,
Enter): every stop shows where the focus is, and after a wrong field the focus lands on it."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.steps import REFERENCE, latest_code

pytestmark = pytest.mark.e2e

FOCUS = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    id: el.id, name: el.getAttribute('name'), text: (el.innerText || '').trim().slice(0, 20),
    ring: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
          || style.boxShadow !== 'none',
  };
}"""
# The page scrolls smoothly (Bootstrap's scroll-behavior), so give the scroll a moment.
IN_VIEW = """() => {
  const box = document.activeElement.getBoundingClientRect();
  return box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight;
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUS)


def assert_focus_visible(page) -> dict:
    where = focused(page)
    assert where["ring"], f"no visible focus indicator on {where}"
    page.wait_for_function(IN_VIEW, timeout=3_000)  # off screen: fails with a timeout
    return where


def tab_to(page, *, name: str | None = None, text: str | None = None, limit: int = 25):
    """Press Tab (only Tab) until the control with that name (or that text) has the focus;
    every stop on the way must show the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        where = assert_focus_visible(page)
        if (name and where["name"] == name) or (text and where["text"] == text):
            return
    raise AssertionError(f"Tab never reached {name or text}")


def test_open_day_signup_with_the_keyboard_only(page, new_phone):
    page.goto("/activities/data-center-open-day/")
    form_url = page.locator(".session-row").get_by_role("link", name="报名").get_attribute("href")
    page.goto(form_url)

    page.keyboard.press("Tab")  # the first stop skips the navigation
    expect(page.get_by_role("link", name="跳到正文")).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.press("Enter")

    tab_to(page, name="name")
    page.keyboard.type("林小雨")
    tab_to(page, name="phone")
    page.keyboard.type("1380013")  # two digits short
    tab_to(page, name="companions")
    page.keyboard.press("ArrowDown")  # 0 → 1 companion
    tab_to(page, name="interests")
    page.keyboard.type("数据中心节能")
    tab_to(page, name="rules_accepted")
    page.keyboard.press("Space")
    tab_to(page, name="consent")
    page.keyboard.press("Space")
    tab_to(page, text="提交报名")
    screenshot(page, "keyboard-01-filled")
    page.keyboard.press("Enter")

    # Back with an error: the focus is on the wrong field, visibly, with its message.
    phone = page.get_by_label("手机号码")
    expect(phone).to_be_focused()
    assert_focus_visible(page)
    expect(phone).to_have_accessible_description("请输入11位中国大陆手机号码，例如 138 0013 8000。")
    expect(page.get_by_label("同行人数")).to_have_value("1")
    expect(page.get_by_role("checkbox", name="我已阅读并同意")).to_be_checked()
    screenshot(page, "keyboard-02-focus-on-error")

    number = new_phone()
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type(number)
    tab_to(page, text="获取验证码")
    page.keyboard.press("Enter")  # the form comes back with the focus on the code
    expect(page.get_by_label("短信验证码")).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.type(latest_code(number))
    tab_to(page, text="提交报名")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("报名成功")
    expect(page.locator(".reference-code")).to_have_text(REFERENCE)
    screenshot(page, "keyboard-03-confirmation")
