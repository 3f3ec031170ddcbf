"""A visitor signs up for an open day with the code texted to their phone, gets the
confirmation by SMS, and later opens 我的 with a new code: the signup is there, and so is
the official reply to the feedback they left with the same number."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, screenshot
from tests.e2e.steps import (
    fill_open_day,
    nav_to,
    reference_on_confirmation,
    session_row,
    texts_to,
    verify_phone,
)

pytestmark = pytest.mark.e2e

REPLY = "您好，地下车库的信号已通过新增室分站解决，欢迎再次体验。"

FEEDBACK_WITH_REPLY = """
from django.contrib.auth import get_user_model
from campaigns.models import Theme
from feedback import services
feedback = services.feedback_submit(
    theme=Theme.objects.order_by("order").first(), kind="complaint", overall_score=3,
    recommend_score=4, comment="小区地下车库完全没有信号，希望尽快解决。", wants_reply=True,
    name="吴女士", phone={phone!r}, consent=True)
services.reply_create(feedback=feedback, author=get_user_model().objects.get(username="staff"),
                      body={reply!r})
print(feedback.reference)
"""


def test_sign_up_with_a_texted_code_then_see_everything_in_mine(page, new_phone, django_shell):
    phone = new_phone()
    page.goto("/activities/5g-network-brain/")
    session_row(page, "第二场").get_by_role("link", name="报名").click()
    fill_open_day(page, name="吴女士", phone=phone)  # 获取验证码 → the code from the SMS
    screenshot(page, "sms-01-code-sent")
    page.get_by_role("button", name="提交报名").click()
    reference = reference_on_confirmation(page)
    confirmation = [m for m in texts_to(phone) if m["kind"] == "signup_confirmed"]
    assert reference in confirmation[-1]["text"]

    django_shell(FEEDBACK_WITH_REPLY.format(phone=phone, reply=REPLY))
    assert [m["kind"] for m in texts_to(phone)][-1] == "reply"

    page.context.clear_cookies()  # another day, another browser session
    page.wait_for_timeout(2_000)  # one code per number per CAMPAIGN_SMS_RESEND_SECONDS (2 here)
    page.goto("/")
    nav_to(page, "我的")
    expect(page.get_by_role("heading", level=1)).to_have_text("我的")
    page.get_by_label("手机号码").fill(phone)
    verify_phone(page, phone)
    page.get_by_role("button", name="登录").click()

    expect(page.get_by_text(f"已用 {phone[:3]}****{phone[-4:]} 登录")).to_be_visible()
    signups = page.get_by_role("region", name="活动报名")
    expect(signups).to_contain_text(reference)
    expect(signups).to_contain_text("报名成功")
    expect(page.get_by_role("region", name="我的反馈")).to_contain_text(REPLY)
    assert axe_violations(page) == []
    screenshot(page, "sms-02-mine")

    signups.get_by_role("link", name="查看、取消或删除").click()
    expect(page.locator(".record-status .reference-code")).to_have_text(reference)
