"""A customer rates an activity they attended: scores, a comment, contact details for a reply;
they get a reference and can follow it on the status page. The rating counts at once."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, screenshot
from tests.e2e.steps import choose, feedback_reference, feedback_status, verify_phone

pytestmark = pytest.mark.e2e

COMMENT = "工程师讲解很耐心，希望下次能多留些时间参观基站设备。"


def _rating_count(page) -> int:
    match = re.search(r"(\d+) 条评价", page.locator(".rating-summary").inner_text())
    return int(match.group(1)) if match else 0


def test_rate_an_activity_and_follow_the_feedback(page, new_phone):
    phone = new_phone()
    page.goto("/activities/5g-network-brain/")
    ratings = _rating_count(page)
    page.get_by_role("main").get_by_role("link", name="我要评价").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("我要评价")
    expect(page.get_by_label("评价的活动")).to_have_value(re.compile(r"^\d+$"))
    expect(page.get_by_label("评价的活动").locator("option:checked")).to_have_text("探秘5G网络大脑")
    expect(page.get_by_role("radio", name="优+网络")).to_be_checked()
    choose(page, "反馈类型", "建议")
    choose(page, "总体满意度", "9")
    choose(page, "您向亲友推荐中国移动的可能性有多大", "10")
    page.get_by_text("分项评分").click()
    choose(page, "活动组织", "8")
    choose(page, "专业能力", "10")
    page.get_by_label("评价内容").fill(COMMENT)
    page.get_by_role("checkbox", name="我希望得到回复").check()
    page.get_by_label("姓名").fill("刘女士")
    page.get_by_label("手机号").fill(phone)
    verify_phone(page, phone)
    page.get_by_role("checkbox", name="我已阅读并同意").check()
    screenshot(page, "feedback-01-form-filled")
    page.get_by_role("button", name="提交评价").click()

    reference = feedback_reference(page)
    assert axe_violations(page) == []
    screenshot(page, "feedback-02-thanks")

    section = feedback_status(page, reference=reference, phone=phone)
    expect(section).to_contain_text("待审核")
    expect(section).to_contain_text("9/10")
    expect(section).to_contain_text(COMMENT)
    expect(section).to_contain_text("暂时还没有官方回复。")
    assert axe_violations(page) == []
    screenshot(page, "feedback-03-status")

    page.goto("/activities/5g-network-brain/")
    assert _rating_count(page) == ratings + 1  # pending ratings count (only rejected do not)
