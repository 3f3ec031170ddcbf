"""Someone applies to be a 服务体验官 (service experience officer), sees the application
pending in 我的报名, and withdraws it."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, screenshot
from tests.e2e.steps import accept_privacy, fill_person, record_status, reference_on_confirmation

pytestmark = pytest.mark.e2e

MOTIVATION = (
    "我在杭州做了八年宽带装维相关的工作，家里用的是千兆宽带和魔百和，平时也经常帮邻居老人"
    "办理业务。希望作为服务体验官，把真实的使用感受和改进建议反馈给中国移动。"
)


def test_apply_to_be_an_officer_then_withdraw(page, new_phone):
    phone = new_phone()
    page.goto("/activities/service-officer-recruitment/")
    expect(page.get_by_role("heading", name="招募名额")).to_be_visible()
    screenshot(page, "officer-01-activity")
    page.get_by_role("link", name="我要报名").click()

    fill_person(page, name="周杰", phone=phone, email="zhou.jie@example.com")
    page.get_by_role("checkbox", name="我是中国移动客户").check()
    page.get_by_label("出生年份").fill("1990")
    page.get_by_label("所在城市").select_option(label="杭州市")
    page.get_by_label("职业").select_option(label="企业职员")
    page.get_by_label("入网时长（选填）").select_option(label="3–10年")
    page.get_by_role("checkbox", name="千兆宽带").check()
    page.get_by_role("checkbox", name="魔百和").check()
    page.get_by_label("意向主题（选填）").select_option(label="优+网络")
    page.get_by_role("radio", name="均可").check()
    page.get_by_label("报名理由").fill(MOTIVATION)
    page.get_by_role("checkbox", name="我接受服务体验官守则").check()
    accept_privacy(page)
    screenshot(page, "officer-02-form-filled")
    page.get_by_role("button", name="提交报名").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("报名已提交")
    reference_on_confirmation(page)
    expect(page.get_by_text("工作人员会审核您的报名")).to_be_visible()
    expect(page.get_by_text("确认邮件已发送到您填写的邮箱")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "officer-03-confirmation")

    page.get_by_role("link", name="查看我的报名").click()
    expect(record_status(page)).to_have_text("待审核")
    expect(page.locator(".record-status")).to_contain_text("杭州")
    screenshot(page, "officer-04-my-application")

    page.get_by_text("撤回报名", exact=True).click()
    page.get_by_role("button", name="确认撤回", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("报名已撤回。")
    expect(record_status(page)).to_have_text("已撤回")
    screenshot(page, "officer-05-withdrawn")
