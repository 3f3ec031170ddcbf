"""On a phone, the guardian's confirmation appears only once the visitor says a minor comes;
forgetting it brings the form back with the message by the box and nothing lost."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, screenshot
from tests.e2e.steps import fill_open_day, session_row

pytestmark = pytest.mark.e2e

GUARDIAN = "我已年满18周岁，是同行未成年人的监护人"
GUARDIAN_ERROR = "未成年人须由监护人陪同参观，请确认。"


def test_the_guardian_confirmation_appears_only_when_a_minor_comes(page, new_phone):
    page.goto("/activities/10086-one-day/")
    session_row(page, "下午场").get_by_role("link", name="报名").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("报名参加")
    minors = page.get_by_role("checkbox", name="同行人中有未成年人")
    guardian = page.get_by_role("checkbox", name=GUARDIAN)
    expect(minors).to_be_visible()
    expect(guardian).to_be_hidden()
    screenshot(page, "guardian-01-no-minor")

    minors.check()
    expect(guardian).to_be_visible()
    minors.uncheck()
    expect(guardian).to_be_hidden()

    fill_open_day(page, name="赵女士", phone=new_phone(), companions=1)
    page.get_by_label("关注内容（选填）").fill("5G基站")
    minors.check()
    page.get_by_role("button", name="提交报名").click()

    # Refused: the message by the box, the box shown, everything typed still there.
    expect(page.get_by_text(GUARDIAN_ERROR)).to_be_visible()
    expect(guardian).to_be_visible()
    expect(page.get_by_role("checkbox", name="同行人中有未成年人")).to_be_checked()
    expect(page.get_by_label("关注内容（选填）")).to_have_value("5G基站")
    expect(page.get_by_label("同行人数")).to_have_value("1")
    assert axe_violations(page) == []
    screenshot(page, "guardian-02-asked")

    guardian.check()
    page.get_by_role("button", name="提交报名").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("报名成功")
    expect(page.locator(".party-size")).to_have_text("本人 + 1 位同行人，共 2 人")


def test_without_a_minor_the_visitor_books_without_seeing_it(page, new_phone):
    page.goto("/activities/10086-one-day/")
    session_row(page, "下午场").get_by_role("link", name="报名").click()
    fill_open_day(page, name="钱先生", phone=new_phone(), companions=2)
    expect(page.get_by_role("checkbox", name=GUARDIAN)).to_be_hidden()
    page.get_by_role("button", name="提交报名").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("报名成功")
    expect(page.locator(".party-size")).to_have_text("本人 + 2 位同行人，共 3 人")
