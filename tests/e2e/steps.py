"""Steps several journeys share, written the way a visitor does them (labels and button names,
never CSS ids), so a renamed button or a lost label fails the journey."""

import json
import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import SMS_OUTBOX

STAFF_USERNAME = "staff"
STAFF_PASSWORD = "yzfw-demo-2026"  # the demo staff login printed by `manage.py load_demo`
REFERENCE = re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$")


def open_menu(page: Page) -> None:
    """On a phone the navigation is behind the menu button; wait until it has opened (a tap
    during Bootstrap's collapse transition can miss its link)."""
    if page.viewport_name == "phone":
        page.get_by_role("button", name="展开菜单").click()
        expect(page.locator("#site-nav")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))


def nav_to(page: Page, link: str) -> None:
    open_menu(page)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name=link).click()


def session_row(page: Page, text: str):
    """The session row (on an activity page) whose text contains `text`."""
    return page.locator(".session-row").filter(has_text=text)


def places_left(row) -> int:
    match = re.search(r"剩余 (\d+) 个名额", row.inner_text())
    assert match, f"no places shown in {row.inner_text()!r}"
    return int(match.group(1))


def texts_to(phone: str) -> list[dict]:
    """The text messages the site sent to `phone`, oldest first."""
    if not SMS_OUTBOX.exists():
        return []
    lines = SMS_OUTBOX.read_text(encoding="utf-8").splitlines()
    return [m for m in map(json.loads, lines) if m["phone"] == phone]


def latest_code(phone: str) -> str:
    codes = [m["params"]["code"] for m in texts_to(phone) if m["kind"] == "code"]
    assert codes, "no code reached the phone"
    return codes[-1]


def verify_phone(page: Page, phone: str) -> str:
    """Press 获取验证码, read the code from the phone (the SMS outbox), type it in."""
    before = len(texts_to(phone))
    page.get_by_role("button", name="获取验证码").click()
    expect(page.get_by_role("status").filter(has_text="验证码已发送至")).to_contain_text(
        f"{phone[:3]}****{phone[-4:]}"
    )
    assert len(texts_to(phone)) > before, "the code did not reach the phone"
    code = latest_code(phone)
    page.get_by_label("短信验证码").fill(code)
    return code


def fill_person(page: Page, *, name: str, phone: str, email: str = "") -> None:
    """Name, number (proven by SMS code when it is a valid number) and email."""
    page.get_by_label("姓名").fill(name)
    page.get_by_label("手机号码").fill(phone)
    if email:
        page.get_by_label("电子邮箱（选填）").fill(email)
    if re.fullmatch(r"1\d{10}", phone):
        verify_phone(page, phone)


def accept_privacy(page: Page) -> None:
    page.get_by_role("checkbox", name="我已阅读并同意").check()


def fill_open_day(page: Page, *, name: str, phone: str, companions: int = 0) -> None:
    fill_person(page, name=name, phone=phone)
    page.get_by_label("同行人数").select_option(str(companions))
    page.get_by_role("checkbox", name="我已阅读并遵守活动须知").check()
    accept_privacy(page)


def fill_online_visit(page: Page, *, name: str, phone: str) -> None:
    """The 直播 form: the person only (no companions), the live-stream rules."""
    fill_person(page, name=name, phone=phone)
    expect(page.get_by_label("同行人数")).to_have_count(0)
    page.get_by_role("checkbox", name="我已阅读并遵守直播须知").check()
    accept_privacy(page)


def reference_on_confirmation(page: Page) -> str:
    code = page.locator(".confirmation-page .reference-code")
    expect(code).to_have_text(REFERENCE)
    return code.inner_text().strip()


def look_up(page: Page, *, phone: str, reference: str) -> None:
    """我的报名: find a signup with the mobile number and the reference code (the way in
    without an SMS, from 我的)."""
    nav_to(page, "我的")
    page.get_by_role("link", name="用手机号码和报名编号查询一条报名").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我的报名")
    page.get_by_label("手机号码").fill(phone)
    page.get_by_label("报名编号").fill(reference)
    page.get_by_role("button", name="查询").click()
    expect(page.locator(".record-status .reference-code")).to_have_text(reference)


def record_status(page: Page):
    return page.locator(".record-status .signup-status")


def staff_login(page: Page, next_path: str = "/staff/feedback/") -> None:
    page.goto(next_path)  # not logged in: the login page, coming back here afterwards
    page.get_by_label("用户名").fill(STAFF_USERNAME)
    page.get_by_label("密码").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(re.escape(next_path) + "$"))


def choose(page: Page, group: str, option: str) -> None:
    """Pick an option of a radio group styled as buttons (fieldset + legend), by its label."""
    fieldset = page.get_by_role("group", name=group)
    fieldset.locator("label").filter(has_text=re.compile(f"^{re.escape(option)}$")).click()
    expect(fieldset.get_by_role("radio", name=option, exact=True)).to_be_checked()


def feedback_reference(page: Page) -> str:
    """The reference shown on the thanks page after submitting feedback."""
    expect(page.get_by_role("heading", level=1)).to_have_text("感谢您的评价")
    code = page.locator("strong.font-monospace")
    expect(code).to_have_text(re.compile(r"^[A-Z0-9]{6,}$"))
    return code.inner_text().strip()


def feedback_status(page: Page, *, reference: str, phone: str):
    """The customer's status page for one feedback; returns its section."""
    page.goto("/feedback/status/")
    page.get_by_label("反馈编号").fill(reference)
    page.get_by_label("手机号").fill(phone)
    page.get_by_role("button", name="查询").click()
    section = page.get_by_role("region", name=f"反馈 {reference}")
    expect(section).to_be_visible()
    return section
