"""A customer complains; staff log in, publish it and answer officially; the customer sees the
answer on the status page and everyone sees it on the 体验心声 wall, with the number masked."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.steps import choose, feedback_reference, feedback_status, staff_login, verify_phone

pytestmark = pytest.mark.e2e

REPLY = "非常抱歉让您久等。我们已优化营业厅取号流程，高峰时段增开两个窗口。"


def test_complaint_is_moderated_answered_and_the_customer_sees_the_answer(
    page, another_visitor, new_phone
):
    phone = new_phone()
    comment = f"营业厅排队一个多小时，只开了一个窗口。回电请打{phone}。"
    page.goto("/feedback/new/")
    choose(page, "主题", "优+服务")
    choose(page, "反馈类型", "投诉")
    choose(page, "总体满意度", "3")
    choose(page, "您向亲友推荐中国移动的可能性有多大", "2")
    page.get_by_label("评价内容").fill(comment)
    page.get_by_role("checkbox", name="我希望得到回复").check()
    page.get_by_label("姓名").fill("赵先生")
    page.get_by_label("手机号").fill(phone)
    verify_phone(page, phone)
    page.get_by_role("checkbox", name="我已阅读并同意").check()
    page.get_by_role("button", name="提交评价").click()
    reference = feedback_reference(page)
    expect(page.get_by_text(re.compile(r"我们会在 .+ 之前首次回复您"))).to_be_visible()

    staff = another_visitor()
    staff_login(staff)
    expect(staff.get_by_role("heading", level=1)).to_have_text("反馈审核")
    screenshot(staff, "moderation-01-queue")
    staff.get_by_role("link", name=reference, exact=True).click()
    expect(staff.get_by_role("heading", level=1)).to_contain_text(f"反馈 {reference}")
    expect(staff.get_by_role("heading", level=1)).to_contain_text("待审核")
    masked = f"{phone[:3]}****{phone[-4:]}"
    expect(staff.locator(".side-by-side")).to_contain_text(masked)  # the public version
    expect(staff.locator(".side-by-side")).not_to_contain_text(phone)
    staff.get_by_role("link", name="显示原文").click()  # on request, recorded in the audit log
    expect(staff.locator(".side-by-side")).to_contain_text(phone)
    screenshot(staff, "moderation-02-detail")

    staff.get_by_role("button", name="发布").click()
    expect(staff.get_by_role("status")).to_have_text(f"反馈 {reference} 已更新为“已发布”。")
    staff.get_by_role("region", name="回复").get_by_label("内容").fill(REPLY)
    expect(staff.get_by_role("radio", name="正式答复")).to_be_checked()
    staff.get_by_role("button", name="保存回复").click()
    expect(staff.get_by_role("status")).to_have_text("回复已保存。")
    expect(staff.get_by_role("region", name="回复记录")).to_contain_text(REPLY)
    expect(staff.get_by_role("heading", level=1)).to_contain_text("已发布")
    screenshot(staff, "moderation-03-replied")

    section = feedback_status(page, reference=reference, phone=phone)
    expect(section).to_contain_text("已发布")
    expect(section).to_contain_text("已答复")
    expect(section.locator(".official-reply")).to_contain_text(REPLY)
    expect(section).to_contain_text(masked)
    expect(section).not_to_contain_text(phone)
    screenshot(page, "moderation-04-customer-sees-reply")

    page.goto("/feedback/?theme=you-service")
    card = page.locator(".feedback-card").filter(has_text=f"回电请打{masked}")
    expect(card).to_have_count(1)
    expect(card.locator(".official-reply")).to_contain_text(REPLY)
    expect(card).not_to_contain_text(phone)
    expect(card).to_contain_text("赵**")
    screenshot(page, "moderation-05-wall")
