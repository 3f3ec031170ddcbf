"""总经理接待日: book a slot with the issue stated first; staff answer within 48 hours."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from campaigns import selectors, services
from campaigns.models import Activity, AuditEntry, ReceptionCase, Signup
from tests.factories import ReceptionSignupFactory, SessionFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def slot(db):
    return SessionFactory(
        activity__kind=Activity.Kind.GM_RECEPTION, capacity=1, waitlist_enabled=False
    )


def booking_data(**overrides):
    data = {
        "name": "陈先生",
        "phone": "139 0000 1111",
        "category": "network_signal",
        "description": "小区地下车库和电梯里完全没有信号,已经持续三个月,影响日常通话。",
        "account": "13900001111",
        "raised_with_10086": "on",
        "ticket_number": "BJ2026110100123",
        "contact_mode": "onsite",
        "consent": "on",
    }
    data.update(overrides)
    return data


def url(session):
    return reverse("campaigns:signup", args=[session.activity.slug, session.pk])


def test_booking_stores_the_issue_and_a_first_reply_due_48_hours_later(client, slot):
    before = timezone.now()
    response = client.post(url(slot), booking_data())
    assert response.status_code == 302
    case = ReceptionCase.objects.select_related("signup").get()
    assert case.signup.status == Signup.Status.CONFIRMED and case.signup.companions == 0
    assert case.category == "network_signal" and case.ticket_number == "BJ2026110100123"
    assert case.status == ReceptionCase.Status.RECEIVED
    due = case.first_reply_due_at - case.signup.created_at
    assert due == datetime.timedelta(hours=48)
    assert case.signup.created_at >= before
    page = client.get(response["Location"]).content.decode()
    assert "首次回复" in page


def test_slot_with_capacity_one_is_booked_once(client, slot):
    client.post(url(slot), booking_data())
    response = client.post(url(slot), booking_data(phone="13900002222"))
    assert "已满" in response.content.decode()
    assert Signup.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("description", "信号不好", "请至少写20个字"),
        ("description", "很" * 1001, "最多1000个字"),
        ("category", "", "请选择诉求类别"),
        ("category", "bogus", "bogus"),
        ("account", "", "请填写涉及的手机号码或宽带账号"),
        ("account", "<script>", "字母、数字"),
        ("contact_mode", "teleport", "teleport"),
    ],
)
def test_issue_is_validated_next_to_the_field_and_input_is_kept(client, slot, field, value,
                                                                message):
    response = client.post(url(slot), booking_data(**{field: value}))
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(form.errors[field])
    page = response.content.decode()
    assert "小区地下车库" in page or field == "description"
    assert 'value="陈先生"' in page
    assert not Signup.objects.exists()


def test_ticket_number_is_dropped_when_not_raised_before(client, slot):
    data = booking_data()
    del data["raised_with_10086"]
    client.post(url(slot), data)
    assert ReceptionCase.objects.get().ticket_number == ""


def test_online_slot_does_not_offer_onsite_reception(client):
    slot = SessionFactory(activity__kind=Activity.Kind.GM_RECEPTION, capacity=1, is_online=True,
                          city="", venue="")
    response = client.post(url(slot), booking_data(contact_mode="onsite"))
    assert "contact_mode" in response.context["form"].errors


def test_staff_move_the_case_forward_and_the_customer_sees_the_answer(
    client, django_capture_on_commit_callbacks
):
    signup = ReceptionSignupFactory(phone="13900001111", email="chen@example.com")
    case = signup.reception
    staff = StaffFactory()
    services.reception_update(case=case, actor=staff, status="in_progress", owner=staff,
                              internal_notes="已联系网络部安排测试")
    with pytest.raises(services.SignupError, match="答复客户的内容"):
        services.reception_update(case=case, actor=staff, status="replied")
    with django_capture_on_commit_callbacks(execute=True):
        services.reception_update(case=case, actor=staff, status="replied",
                                  outcome="已在车库加装室分设备,本周内开通。", reason="首次答复")
    case.refresh_from_db()
    assert case.first_replied_at and not case.is_overdue()
    assert case.owner == staff
    assert "加装室分设备" in mail.outbox[0].body
    with pytest.raises(services.SignupError, match="只能向前"):
        services.reception_update(case=case, actor=staff, status="in_progress")
    trail = AuditEntry.objects.filter(action="reception.update").order_by("id")
    assert [(e.from_state, e.to_state) for e in trail] == [
        ("received", "in_progress"),
        ("in_progress", "replied"),
    ]
    assert trail[0].changes["internal_notes"] == "updated"

    client.post("/my/lookup/", {"phone": "13900001111", "reference": signup.reference})
    page = client.get(reverse("campaigns:my_detail", args=[signup.reference])).content.decode()
    assert "已在车库加装室分设备" in page and "已答复" in page
    assert "已联系网络部" not in page  # internal notes stay internal


def test_a_case_without_reply_after_48_hours_is_overdue():
    signup = ReceptionSignupFactory()
    later = signup.created_at + datetime.timedelta(hours=49)
    assert signup.reception.is_overdue(later)
    assert list(selectors.overdue_cases(later)) == [signup.reception]


def test_markup_in_the_description_is_shown_as_text(client, slot):
    text = "<script>alert(1)</script> 宽带每天晚上都掉线,<b>请尽快处理</b>,谢谢!😀"
    client.post(url(slot), booking_data(description=text))
    signup = Signup.objects.get()
    client.post("/my/lookup/", {"phone": "13900001111", "reference": signup.reference})
    page = client.get(reverse("campaigns:my_detail", args=[signup.reference])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "😀" in page


def test_the_confirmation_says_booked_not_signed_up(client, slot):
    response = client.post(url(slot), booking_data(), follow=True)
    page = response.content.decode()
    assert "<h1" in page and "预约成功" in page and ">报名成功<" not in page
