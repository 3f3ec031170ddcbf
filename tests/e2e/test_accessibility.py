"""axe-core in every public page, the signup forms of each kind, the pages after a signup, the
staff moderation pages, on a phone and a desktop: no serious or critical violation."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations
from tests.e2e.steps import (
    fill_online_visit,
    look_up,
    open_menu,
    reference_on_confirmation,
    session_row,
    staff_login,
)

pytestmark = pytest.mark.e2e

PUBLIC_PAGES = [
    ("/", 200),
    ("/activities/", 200),
    ("/activities/?kind=open_day&city=110100", 200),
    ("/activities/5g-network-brain/", 200),  # 走进移动 (open day)
    ("/activities/gm-reception-beijing/", 200),  # 总经理接待日
    ("/activities/service-officer-recruitment/", 200),  # 我是服务体验官
    ("/activities/service-officer-recruitment/apply/", 200),
    ("/my/", 200),  # 我的: number + SMS code
    ("/my/lookup/", 200),
    ("/feedback/new/", 200),
    ("/feedback/new/?activity=5g-network-brain", 200),
    ("/feedback/", 200),
    ("/feedback/commitment/", 200),
    ("/feedback/status/", 200),
    ("/commitments/", 200),  # 服务承诺
    ("/privacy/", 200),
    ("/nope/", 404),
    ("/en/", 200),
    ("/en/activities/5g-network-brain/", 200),
    ("/en/feedback/new/", 200),
    ("/en/commitments/", 200),
]

# Signup forms are reached as a visitor reaches them: the button on the session's row.
SIGNUP_FORMS = [
    ("5g-network-brain", "第二场", "报名"),  # open day, places free
    ("10086-one-day", "上午场", "候补"),  # open day, full: the waiting list
    ("gm-reception-beijing", "西城 14:40", "预约"),  # GM reception slot
]


@pytest.mark.parametrize(("path", "status"), PUBLIC_PAGES)
def test_public_page(page, path, status):
    response = page.goto(path)
    assert response.status == status
    assert axe_violations(page) == []


def test_navigation_menu_opened(page):
    page.goto("/")
    open_menu(page)
    expect(page.get_by_role("link", name="我的", exact=True)).to_be_visible()
    assert axe_violations(page) == []


@pytest.mark.parametrize(("slug", "session", "button"), SIGNUP_FORMS)
def test_signup_form(page, slug, session, button):
    page.goto(f"/activities/{slug}/")
    session_row(page, session).get_by_role("link", name=button, exact=True).click()
    expect(page.get_by_role("button", name="提交报名").or_(
        page.get_by_role("button", name="加入候补名单")).or_(
        page.get_by_role("button", name="提交预约"))).to_be_visible()
    assert axe_violations(page) == []


def test_signup_form_with_errors(page):
    page.goto("/activities/5g-network-brain/")
    session_row(page, "第二场").get_by_role("link", name="报名").click()
    page.get_by_role("button", name="提交报名").click()  # nothing filled in
    expect(page.get_by_text("请填写姓名。")).to_be_visible()
    assert axe_violations(page) == []


def test_confirmation_and_my_signup_pages(page, new_phone):
    phone = new_phone()
    page.goto("/activities/cloud-visit-live/")
    session_row(page, "直播").get_by_role("link", name="报名").click()
    fill_online_visit(page, name="吴女士", phone=phone)
    page.get_by_role("button", name="提交报名").click()
    reference = reference_on_confirmation(page)
    assert axe_violations(page) == []

    look_up(page, phone=phone, reference=reference)
    assert axe_violations(page) == []

    page.goto("/my/lookup/")  # a lookup that finds nothing answers 404 with a message
    page.get_by_label("手机号码").fill(phone)
    page.get_by_label("报名编号").fill("ZZZZ-ZZZZ")
    page.get_by_role("button", name="查询").click()
    # Once, next to the field it is about, and read out with it.
    expect(page.get_by_label("报名编号")).to_have_accessible_description(re.compile("没有找到"))
    expect(page.get_by_text(re.compile("没有找到与这个手机号"))).to_have_count(1)
    assert axe_violations(page) == []


def test_staff_moderation_pages(page):
    staff_login(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("反馈审核")
    assert axe_violations(page) == []
    page.get_by_role("link", name="DEME2345", exact=True).click()  # the demo's overdue case
    expect(page.get_by_role("heading", level=1)).to_contain_text("DEME2345")
    assert axe_violations(page) == []
    page.get_by_role("navigation", name="面包屑").get_by_role("link", name="反馈审核").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("反馈审核")
    page.get_by_role("link", name="DEMC2345", exact=True).click()  # replied and closed
    expect(page.get_by_role("heading", level=1)).to_contain_text("DEMC2345")
    assert axe_violations(page) == []
    # The staff navigation leads back to the queue too, on a phone behind no menu.
    staff_nav = page.get_by_role("navigation", name="工作人员导航")
    staff_nav.get_by_role("link", name="反馈审核").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("反馈审核")
