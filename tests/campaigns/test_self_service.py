"""我的报名: find your signup with phone + code or the secret link; see it; cancel it."""

import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from campaigns.models import Signup
from tests.factories import OfficerApplicationFactory, SessionFactory, SignupFactory

pytestmark = pytest.mark.django_db

LOOKUP = "/my/lookup/"


def lookup(client, phone, reference, **extra):
    return client.post(LOOKUP, {"phone": phone, "reference": reference, **extra})


def page_without_token(response, typed):
    page = response.content.decode().replace(typed, "")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def test_phone_and_code_open_the_signup_in_any_format(client):
    signup = SignupFactory(phone="13800138000")
    typed = signup.reference_display.lower().replace("-", " ")
    response = lookup(client, "+86 138 0013 8000", typed)
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:my_detail", args=[signup.reference])
    page = client.get(response["Location"]).content.decode()
    assert signup.reference_display in page and "报名成功" in page


def test_wrong_code_and_unknown_code_get_the_same_answer(client):
    signup = SignupFactory(phone="13800138000")
    other = SignupFactory(phone="13900139000")
    wrong_phone = lookup(client, "13800138000", other.reference)
    unknown = lookup(client, "13800138000", "ACDEFGHJ")
    assert wrong_phone.status_code == unknown.status_code == 404
    assert page_without_token(wrong_phone, other.reference) == page_without_token(
        unknown, "ACDEFGHJ"
    )
    assert signup.reference_display not in unknown.content.decode()


def test_detail_page_needs_a_lookup_first(client):
    signup = SignupFactory()
    response = client.get(reverse("campaigns:my_detail", args=[signup.reference]))
    assert response.status_code == 302 and response["Location"] == LOOKUP


def test_unknown_secret_link_shows_the_lookup_form(client):
    response = client.get("/my/link/not-a-real-token/", follow=True)
    assert response.status_code == 200
    assert "链接无效" in response.content.decode()


def test_waiting_person_sees_position_and_can_leave_the_list(client):
    session = SessionFactory(capacity=1)
    SignupFactory(session=session)
    waiting = SignupFactory(session=session, phone="13800138000")
    lookup(client, "13800138000", waiting.reference)
    page = client.get(reverse("campaigns:my_detail", args=[waiting.reference])).content.decode()
    assert "候补第 1 位" in page and "退出候补" in page
    response = client.post(reverse("campaigns:my_cancel", args=[waiting.reference]), follow=True)
    assert "您已退出候补名单" in response.content.decode()
    assert Signup.objects.get(pk=waiting.pk).status == Signup.Status.CANCELLED


def test_cancelling_frees_the_place_for_the_waiting_list(client):
    session = SessionFactory(capacity=1)
    mine = SignupFactory(session=session, phone="13800138000")
    waiting = SignupFactory(session=session)
    lookup(client, "13800138000", mine.reference)
    client.post(reverse("campaigns:my_cancel", args=[mine.reference]))
    assert Signup.objects.get(pk=mine.pk).status == Signup.Status.CANCELLED
    assert Signup.objects.get(pk=waiting.pk).status == Signup.Status.CONFIRMED


def test_cancel_needs_post_and_csrf(db):
    signup = SignupFactory(phone="13800138000")
    client = Client(enforce_csrf_checks=True)
    url = reverse("campaigns:my_cancel", args=[signup.reference])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403
    assert Signup.objects.get(pk=signup.pk).status == Signup.Status.CONFIRMED


def test_someone_else_cannot_cancel_without_looking_up(client):
    signup = SignupFactory()
    client.post(reverse("campaigns:my_cancel", args=[signup.reference]))
    assert Signup.objects.get(pk=signup.pk).status == Signup.Status.CONFIRMED


def test_calendar_file_for_a_confirmed_place(client):
    signup = SignupFactory(phone="13800138000")
    lookup(client, "13800138000", signup.reference)
    response = client.get(reverse("campaigns:my_calendar", args=[signup.reference]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.content


def test_officer_applicant_can_look_up_and_withdraw(client):
    application = OfficerApplicationFactory(phone="13800138000")
    lookup(client, "13800138000", application.reference)
    page = client.get(reverse("campaigns:my_detail", args=[application.reference])).content
    assert "待审核" in page.decode()
    client.post(reverse("campaigns:my_cancel", args=[application.reference]))
    application.refresh_from_db()
    assert application.status == "withdrawn"


@override_settings(RATELIMITS={"lookup_ip": "3/h", "lookup_phone": "100/h"})
def test_lookups_are_rate_limited_per_ip(client):
    for _ in range(3):
        assert lookup(client, "13800138000", "ACDEFGHJ").status_code == 404
    response = lookup(client, "13800138000", "ACDEFGHJ")
    assert response.status_code == 429
    assert "操作太频繁" in response.content.decode()
    assert "Retry-After" in response.headers


@override_settings(RATELIMITS={"lookup_ip": "100/h", "lookup_phone": "2/h"})
def test_lookups_are_rate_limited_per_phone_across_addresses(db):
    for address in ("10.0.0.1", "10.0.0.2"):
        assert lookup(Client(REMOTE_ADDR=address), "13800138000", "ACDEFGHJ").status_code == 404
    assert lookup(Client(REMOTE_ADDR="10.0.0.3"), "13800138000", "ACDEFGHJ").status_code == 429


def test_after_cancelling_people_can_erase_their_personal_data(client):
    from campaigns.models import AuditEntry
    from tests.factories import ReceptionSignupFactory

    signup = ReceptionSignupFactory(phone="13800138000", email="me@example.com")
    lookup(client, "13800138000", signup.reference)
    detail = reverse("campaigns:my_detail", args=[signup.reference])
    client.post(reverse("campaigns:my_cancel", args=[signup.reference]))
    page = client.get(detail).content.decode()
    assert "删除我的个人信息" in page and "名额让给候补" not in page  # already cancelled
    response = client.post(reverse("campaigns:my_erase", args=[signup.reference]), follow=True)
    assert "您的个人信息已删除" in response.content.decode()
    signup = Signup.objects.select_related("reception").get(pk=signup.pk)
    assert (signup.name, signup.phone, signup.email) == ("", "", "")
    assert signup.erased_at and signup.reception.account == ""
    assert signup.reception.description  # the complaint record is kept
    assert AuditEntry.objects.filter(action="personal_data.erase", object_id=signup.pk).exists()
    assert lookup(client, "13800138000", signup.reference).status_code == 404
    assert client.get(detail).status_code == 302


def test_a_booked_signup_is_cancelled_and_erased_in_one_step_and_the_queue_moves_up(client):
    from campaigns.models import AuditEntry

    session = SessionFactory(capacity=1)
    signup = SignupFactory(session=session, phone="13800138000")
    waiting = SignupFactory(session=session, phone="13900139000")
    assert waiting.status == Signup.Status.WAITLISTED
    lookup(client, "13800138000", signup.reference)
    page = client.get(reverse("campaigns:my_detail", args=[signup.reference])).content.decode()
    assert "删除我的个人信息" in page and "名额让给候补" in page
    response = client.post(reverse("campaigns:my_erase", args=[signup.reference]), follow=True)
    assert "您的个人信息已删除" in response.content.decode()
    signup.refresh_from_db()
    waiting.refresh_from_db()
    assert (signup.status, signup.phone, signup.name) == (Signup.Status.CANCELLED, "", "")
    assert waiting.status == Signup.Status.CONFIRMED
    actions = AuditEntry.objects.filter(object_id=signup.pk).values_list("action", flat=True)
    assert {"signup.cancel", "personal_data.erase"} <= set(actions)


def test_erasing_twice_says_it_is_already_done(db):
    from campaigns import services

    signup = SignupFactory()
    services.personal_data_erase(record=signup)
    with pytest.raises(services.SignupError) as error:
        services.personal_data_erase(record=signup)
    assert error.value.code == "erased"


def test_a_wrong_reference_says_so_once_next_to_the_field(client):
    response = client.post(LOOKUP, {"phone": "13800138000", "reference": "ABCD-EFGH"})
    page = response.content.decode()
    assert response.status_code == 404
    assert page.count("没有找到与这个手机号和报名编号对应的报名") == 1
    assert 'id="error_1_id_reference"' in page or "is-invalid" in page
