"""A visitor books an open-day place for three (with two companions), finds the booking in
我的报名 with the reference code, and cancels it; the places come back."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, screenshot
from tests.e2e.steps import (
    fill_open_day,
    look_up,
    places_left,
    record_status,
    reference_on_confirmation,
    session_row,
)

pytestmark = pytest.mark.e2e


def test_book_with_companions_find_it_in_my_signups_and_cancel(page, new_phone):
    phone = new_phone()
    page.goto("/")
    page.get_by_role("link", name="立即报名").click()
    page.get_by_role("link", name="探秘5G网络大脑").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("探秘5G网络大脑")
    row = session_row(page, "第二场")
    left = places_left(row)
    screenshot(page, "open-day-01-activity")

    row.get_by_role("link", name="报名").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("报名参加")
    fill_open_day(page, name="王小明", phone=phone, companions=2)
    screenshot(page, "open-day-02-form-filled")
    page.get_by_role("button", name="提交报名").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("报名成功")
    reference = reference_on_confirmation(page)
    expect(page.locator(".session-summary")).to_contain_text("第二场")
    expect(page.get_by_role("link", name="加入日历（.ics）")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "open-day-03-confirmation")

    page.goto("/activities/5g-network-brain/")
    assert places_left(session_row(page, "第二场")) == left - 3  # the booker and two companions

    look_up(page, phone=phone, reference=reference)
    expect(record_status(page)).to_have_text("报名成功")
    expect(page.locator(".record-status")).to_contain_text("同行人数")
    expect(page.get_by_role("heading", level=1)).to_have_text("探秘5G网络大脑")
    assert axe_violations(page) == []
    screenshot(page, "open-day-04-my-signup")

    page.get_by_text("取消报名", exact=True).click()
    expect(page.get_by_text("取消后名额将让给候补名单中的客户，无法恢复。")).to_be_visible()
    page.get_by_role("button", name="确认取消", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("报名已取消，名额已释放。")
    expect(record_status(page)).to_have_text("已取消")
    expect(page.get_by_text("取消报名", exact=True)).to_have_count(0)
    screenshot(page, "open-day-05-cancelled")

    page.goto("/activities/5g-network-brain/")
    assert places_left(session_row(page, "第二场")) == left
    expect(page).to_have_url(re.compile(r"/activities/5g-network-brain/$"))
