"""On a phone, the officer programme end to end: apply → accepted (SMS) → sign in with a code
→ open a task → report with a photo → returned by staff (SMS) → edited → accepted (points)
→ the certificate, then checked by its code from another browser."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, screenshot
from tests.e2e.steps import (
    accept_privacy,
    fill_person,
    reference_on_confirmation,
    staff_login,
    texts_to,
    verify_phone,
)

pytestmark = pytest.mark.e2e

MOTIVATION = (
    "我每天乘地铁通勤，经常在车厢里开视频会议，也帮父母办理宽带业务，希望作为服务体验官"
    "把真实的网络和服务体验反馈给中国移动，帮助改进。"
)
ACCEPT = """
from campaigns.models import OfficerApplication
from campaigns.services import application_review
from django.contrib.auth import get_user_model
application_review(application=OfficerApplication.objects.get(reference={ref!r}),
                   reviewer=get_user_model().objects.get(username="staff"),
                   status="accepted", reason="符合条件，予以录用。")
"""
TERM_ENDS_TODAY = """
from django.utils import timezone
from campaigns.models import Activity, Campaign
from feedback.officers.models import OfficerProgramme
programme = Activity.objects.get(slug="service-officer-recruitment")
Campaign.objects.filter(pk=programme.campaign_id).update(ends_on=timezone.localdate())
OfficerProgramme.objects.update_or_create(activity=programme,
                                          defaults={"certificate_min_reports": 1})
"""


def photo(tmp_path):
    path = tmp_path / "subway.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (0, 85, 160)).save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def apply(page, phone):
    page.goto("/activities/service-officer-recruitment/apply/")
    fill_person(page, name="孙悦", phone=phone)
    page.get_by_label("出生年份").fill("1992")
    page.get_by_label("所在城市").select_option(label="杭州市")
    page.get_by_label("职业").select_option(label="企业职员")
    page.get_by_role("radio", name="均可").check()
    page.get_by_label("报名理由").fill(MOTIVATION)
    page.get_by_role("checkbox", name="我接受服务体验官守则").check()
    accept_privacy(page)
    page.get_by_role("button", name="提交报名").click()
    return reference_on_confirmation(page)


def review(staff, *, decision, comment=""):
    staff.goto("/staff/officer-reports/")
    staff.get_by_role("row").filter(has_text="杭州").get_by_role("link", name="审核").click()
    staff.get_by_role("radio", name=decision).check()
    if comment:
        staff.get_by_label("审核意见").fill(comment)
    staff.get_by_role("button", name="保存审核结果").click()
    expect(staff.get_by_role("status").filter(has_text="审核结果已保存")).to_be_visible()


def test_officer_programme_from_application_to_certificate(
    page, new_phone, another_visitor, django_shell, tmp_path
):
    if page.viewport_name != "phone":
        pytest.skip("the officer journey is a phone journey")
    phone = new_phone()
    reference = apply(page, phone)
    django_shell(ACCEPT.format(ref=reference.replace("-", "")))
    assert "已被录用" in texts_to(phone)[-1]["text"]

    page.context.clear_cookies()
    page.wait_for_timeout(2_000)  # the next code for this number (CAMPAIGN_SMS_RESEND_SECONDS)
    page.goto("/officer/")
    expect(page.get_by_role("heading", level=1)).to_have_text("我的")
    page.get_by_label("手机号码").fill(phone)
    verify_phone(page, phone)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("体验官专区")
    screenshot(page, "officer-programme-01-zone")

    tasks = page.get_by_role("region", name="进行中的体验任务")
    expect(tasks).to_contain_text("地铁内5G上网体验")
    expect(tasks).not_to_contain_text("营业厅服务暗访")  # that one is for 上海
    tasks.get_by_role("link", name="写体验报告").click()
    page.get_by_label("网络质量").select_option("4")
    page.get_by_label("问题").fill("早高峰2号线车厢中部视频通话卡顿。")
    page.get_by_label("体验地点").fill("杭州地铁2号线")
    page.get_by_label("照片或截图（最多3张）").set_input_files(photo(tmp_path))
    assert axe_violations(page) == []
    screenshot(page, "officer-programme-02-report")
    page.get_by_role("button", name="提交审核").click()
    expect(page.get_by_role("region", name="我的体验报告")).to_contain_text("待审核")

    staff = another_visitor()
    staff_login(staff, "/staff/officer-reports/")
    review(staff, decision="退回修改", comment="请写明卡顿发生的区间和时间。")
    assert texts_to(phone)[-1]["kind"] == "report_returned"

    page.reload()
    reports = page.get_by_role("region", name="我的体验报告")
    expect(reports).to_contain_text("退回修改")
    expect(reports).to_contain_text("请写明卡顿发生的区间和时间")
    reports.get_by_role("link", name="地铁内5G上网体验").click()
    expect(page.locator(".report-thumb")).to_have_count(1)  # the photo was kept
    page.get_by_label("问题").fill("工作日8:10–8:30,2号线凤起路至武林广场区间视频通话卡顿约20秒。")
    page.get_by_role("button", name="提交审核").click()

    review(staff, decision="采纳（发放积分）")
    page.reload()
    expect(page.get_by_role("region", name="我的体验报告")).to_contain_text("+20 积分")
    screenshot(page, "officer-programme-03-accepted")

    django_shell(TERM_ENDS_TODAY)
    page.get_by_role("link", name="我的证书").click()
    expect(page.get_by_role("heading", name="服务体验官证书")).to_be_visible()
    expect(page.locator(".certificate")).to_contain_text("孙悦")
    code = re.search(r"证书编号\s*(\w+)", page.locator(".certificate-code").inner_text()).group(1)
    screenshot(page, "officer-programme-04-certificate")

    anyone = another_visitor()
    anyone.goto("/officer/certificates/")
    anyone.get_by_label("证书编号").fill(code)
    anyone.get_by_role("button", name="查验").click()
    expect(anyone.get_by_role("status")).to_contain_text("真实有效")
    expect(anyone.locator("main")).not_to_contain_text("孙悦")
    assert axe_violations(anyone) == []
