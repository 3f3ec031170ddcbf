"""A customer books a 20-minute slot with the general manager, describing the issue first;
the confirmation promises a first reply within 48 hours and 我的报名 shows the issue."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, screenshot
from tests.e2e.steps import accept_privacy, fill_person, record_status, reference_on_confirmation

pytestmark = pytest.mark.e2e

ISSUE = "家里千兆宽带每天晚上九点以后频繁掉线，报修两次后仍未解决，影响孩子上网课。"


def test_book_a_reception_slot_with_an_issue(page, new_phone):
    phone = new_phone()
    page.goto("/activities/?kind=gm_reception")
    page.get_by_role("link", name="总经理接待日 · 广州").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("总经理接待日 · 广州")
    slot = page.locator(".session-row").filter(has=page.get_by_role("link", name="预约")).first
    slot_time = slot.locator("time").inner_text()
    screenshot(page, "gm-reception-01-slots")

    slot.get_by_role("link", name="预约").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("预约总经理接待日")
    expect(page.get_by_text("48小时内首次回复您")).to_be_visible()
    fill_person(page, name="陈女士", phone=phone)
    page.get_by_label("诉求类别").select_option(label="宽带故障")
    page.get_by_label("问题描述").fill(ISSUE)
    page.get_by_label("涉及的号码或宽带账号").fill("020-88886666")
    page.get_by_role("checkbox", name="已向10086反映过").check()
    page.get_by_label("10086工单号（选填）").fill("GZ2026112000789")
    page.get_by_label("期望结果（选填）").fill("彻底解决掉线问题。")
    page.get_by_role("radio", name="现场").check()
    accept_privacy(page)
    screenshot(page, "gm-reception-02-form-filled")
    page.get_by_role("button", name="提交预约").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("预约成功")
    reference_on_confirmation(page)
    due = re.compile(r"最迟在 \d{4}-\d\d-\d\d \d\d:\d\d 前首次回复您")
    expect(page.get_by_text(due)).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "gm-reception-03-confirmation")

    page.get_by_role("link", name="查看我的报名").click()
    expect(record_status(page)).to_have_text("预约成功")  # a slot is booked, not signed up for
    issue = page.get_by_role("region", name="您反映的问题")
    expect(issue).to_contain_text("宽带故障")
    expect(issue).to_contain_text("已受理")
    expect(issue).to_contain_text(ISSUE)
    expect(issue).to_contain_text("前首次回复您")
    assert axe_violations(page) == []
    screenshot(page, "gm-reception-04-my-signup")

    page.goto("/activities/gm-reception-guangzhou/")
    booked = page.locator(".session-row").filter(has_text=slot_time)
    expect(booked.locator(".session-state")).to_have_text("已满")
    expect(booked.get_by_role("link", name="预约")).to_have_count(0)
