"""A full session: B joins the waiting list, A (confirmed) cancels in 我的报名, and B's
我的报名 shows the place confirmed: the promotion happens without staff."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, screenshot
from tests.e2e.steps import fill_open_day, look_up, record_status, reference_on_confirmation

pytestmark = pytest.mark.e2e

ACTIVITY = "10086-one-day"


@pytest.fixture
def one_place_session(page, django_shell):
    """A session of this activity with a single place and a waiting list, for this test only."""
    title = f"候补演练场（{page.viewport_name}）"
    django_shell(
        "import datetime\n"
        "from django.utils import timezone\n"
        "from campaigns.models import Activity, Region, Session\n"
        "start = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)\n"
        "start += datetime.timedelta(days=8)\n"
        "Session.objects.update_or_create(\n"
        f"    activity=Activity.objects.get(slug={ACTIVITY!r}), title={title!r},\n"
        "    defaults=dict(starts_at=start, ends_at=start + datetime.timedelta(hours=2),\n"
        "                  region=Region.objects.get(pk='310100'), venue='客服中心',\n"
        "                  capacity=1, waitlist_enabled=True))\n"
    )
    return title


def _book(page, title, *, name, phone, button, submit):
    page.goto(f"/activities/{ACTIVITY}/")
    row = page.locator(".session-row").filter(has_text=title)
    row.get_by_role("link", name=button, exact=True).click()
    fill_open_day(page, name=name, phone=phone)
    page.get_by_role("button", name=submit).click()
    return reference_on_confirmation(page)


def test_waiting_person_is_promoted_when_a_confirmed_person_cancels(
    page, another_visitor, new_phone, one_place_session
):
    a_phone, b_phone = new_phone(), new_phone()
    a_code = _book(
        page, one_place_session, name="张三", phone=a_phone, button="报名", submit="提交报名"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("报名成功")
    screenshot(page, "waitlist-01-a-confirmed")

    b = another_visitor()
    b.goto(f"/activities/{ACTIVITY}/")
    row = b.locator(".session-row").filter(has_text=one_place_session)
    expect(row.locator(".session-state")).to_have_text("已满，可候补")
    screenshot(b, "waitlist-02-session-full")
    b_code = _book(
        b, one_place_session, name="李四", phone=b_phone, button="候补", submit="加入候补名单"
    )
    expect(b.get_by_role("heading", level=1)).to_have_text("已加入候补名单")
    expect(b.get_by_text("您目前排在候补第 1 位")).to_be_visible()
    assert axe_violations(b) == []
    screenshot(b, "waitlist-03-b-waiting")

    look_up(page, phone=a_phone, reference=a_code)
    page.get_by_text("取消报名", exact=True).click()
    page.get_by_role("button", name="确认取消", exact=True).click()
    expect(record_status(page)).to_have_text("已取消")
    screenshot(page, "waitlist-04-a-cancelled")

    b.context.clear_cookies()  # B comes back another day: only the phone and the code
    b.goto("/")
    look_up(b, phone=b_phone, reference=b_code)
    expect(record_status(b)).to_have_text("报名成功")
    expect(b.get_by_text("候补第")).to_have_count(0)
    expect(b.get_by_role("link", name="加入日历（.ics）")).to_be_visible()
    screenshot(b, "waitlist-05-b-promoted")
