"""One wrong field (the mobile number) must not cost the visitor what else they typed: the form
comes back with every value in place and the message next to the wrong field."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, screenshot
from tests.e2e.steps import accept_privacy, fill_person, record_status, session_row, verify_phone

pytestmark = pytest.mark.e2e

PHONE_ERROR = "请输入11位中国大陆手机号码，例如 138 0013 8000。"
ISSUE = "手机套餐里的流量包每个月都被重复扣费，打10086说会处理但一直没有结果。"


def _assert_error_next_to_phone(page):
    phone = page.get_by_label("手机号码")
    expect(phone).to_have_attribute("aria-invalid", "true")
    expect(phone).to_have_accessible_description(PHONE_ERROR)
    error = page.get_by_text(PHONE_ERROR)
    expect(error).to_be_visible()
    field, message = phone.bounding_box(), error.bounding_box()
    assert 0 <= message["y"] - (field["y"] + field["height"]) < 40, "message is not by the field"
    assert abs(message["x"] - field["x"]) < 20


def test_open_day_form_keeps_every_value_when_the_phone_is_wrong(page, new_phone):
    page.goto("/activities/10086-one-day/")
    session_row(page, "下午场").get_by_role("link", name="报名").click()
    fill_person(page, name="孙悟空", phone="1234567", email="sun@example.com")
    page.get_by_label("同行人数").select_option("1")
    page.get_by_label("关注内容（选填）").fill("5G视频客服")
    page.get_by_label("无障碍需求（选填）").fill("轮椅通行")
    page.get_by_role("checkbox", name="我已阅读并遵守活动须知").check()
    accept_privacy(page)
    page.get_by_role("button", name="提交报名").click()

    _assert_error_next_to_phone(page)
    expect(page.get_by_label("姓名")).to_have_value("孙悟空")
    expect(page.get_by_label("手机号码")).to_have_value("1234567")
    expect(page.get_by_label("电子邮箱（选填）")).to_have_value("sun@example.com")
    expect(page.get_by_label("同行人数")).to_have_value("1")
    expect(page.get_by_label("关注内容（选填）")).to_have_value("5G视频客服")
    expect(page.get_by_label("无障碍需求（选填）")).to_have_value("轮椅通行")
    expect(page.get_by_role("checkbox", name="我已阅读并遵守活动须知")).to_be_checked()
    expect(page.get_by_role("checkbox", name="我已阅读并同意")).to_be_checked()
    assert axe_violations(page) == []
    screenshot(page, "form-keeps-values-01-open-day-error")

    phone = new_phone()
    page.get_by_label("手机号码").fill(phone)  # correct only the wrong field
    verify_phone(page, phone)  # (the number is proven before it counts)
    page.get_by_role("button", name="提交报名").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("报名成功")
    page.get_by_role("link", name="查看我的报名").click()
    expect(record_status(page)).to_have_text("报名成功")
    expect(page.locator(".record-status")).to_contain_text("孙悟空")
    expect(page.locator(".record-status")).to_contain_text("同行人数")


def test_reception_form_keeps_the_issue_when_the_phone_is_wrong(page):
    page.goto("/activities/gm-reception-beijing/")
    page.locator(".session-row").get_by_role("link", name="预约").first.click()
    fill_person(page, name="猪八戒", phone="023-1234")
    page.get_by_label("诉求类别").select_option(label="资费账单")
    page.get_by_label("问题描述").fill(ISSUE)
    page.get_by_label("涉及的号码或宽带账号").fill("13912345678")
    page.get_by_label("期望结果（选填）").fill("退还多扣的费用。")
    page.get_by_role("radio", name="电话").check()
    accept_privacy(page)
    page.get_by_role("button", name="提交预约").click()

    _assert_error_next_to_phone(page)
    expect(page.get_by_label("姓名")).to_have_value("猪八戒")
    expect(page.get_by_label("诉求类别").locator("option:checked")).to_have_text("资费账单")
    expect(page.get_by_label("问题描述")).to_have_value(ISSUE)
    expect(page.get_by_label("涉及的号码或宽带账号")).to_have_value("13912345678")
    expect(page.get_by_label("期望结果（选填）")).to_have_value("退还多扣的费用。")
    expect(page.get_by_role("radio", name="电话")).to_be_checked()
    expect(page.get_by_role("checkbox", name="我已阅读并同意")).to_be_checked()
    assert axe_violations(page) == []
    screenshot(page, "form-keeps-values-02-reception-error")
