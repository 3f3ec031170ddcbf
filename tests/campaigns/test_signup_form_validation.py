"""Bad input never breaks a form: clear messages next to the field, nothing typed is lost."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from campaigns.models import Activity, OfficerApplication, Signup
from tests.factories import OfficerQuotaFactory, SessionFactory

pytestmark = pytest.mark.django_db

NASTY = [
    "x" * 5000,
    "王\x00小明",
    "王\x07小\x1b明\u202e",
    "😀🎉👍🏽 emoji 名字",
    "'; DROP TABLE campaigns_signup; --",
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ request.user }} {% debug %}",
    "%s %d %(name)s",
    "１３８ 零零一三 八零零零",
]


@pytest.fixture
def open_day(db):
    return SessionFactory(capacity=30)


@pytest.fixture
def gm_slot(db):
    return SessionFactory(activity__kind=Activity.Kind.GM_RECEPTION, capacity=1,
                          waitlist_enabled=False)


@pytest.fixture
def officer(db):
    return OfficerQuotaFactory(city="北京").activity


def open_day_data(**extra):
    return {"name": "王小明", "phone": "13800138000", "companions": "1", "rules_accepted": "on",
            "consent": "on", **extra}


def gm_data(**extra):
    return {"name": "陈先生", "phone": "13900001111", "category": "billing",
            "description": "上个月账单多扣了十元的视频彩铃功能费,我从未订购过。",
            "account": "13900001111", "contact_mode": "onsite", "consent": "on", **extra}


def officer_data(**extra):
    return {"name": "李娜", "phone": "13700001234", "birth_year": "1990", "region": "110100",
            "occupation": "employee", "participation": "either",
            "motivation": "我" * 60, "code_accepted": "on", "consent": "on", **extra}


@pytest.mark.parametrize("value", NASTY)
@pytest.mark.parametrize("field", ["name", "phone", "email", "companions", "interests",
                                   "accessibility_needs", "website"])
def test_open_day_form_survives_any_text(client, open_day, field, value):
    url = reverse("campaigns:signup", args=[open_day.activity.slug, open_day.pk])
    response = client.post(url, open_day_data(**{field: value}))
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        page = response.content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page


@pytest.mark.parametrize("value", NASTY)
@pytest.mark.parametrize("field", ["description", "account", "ticket_number", "category",
                                   "contact_mode", "expected_outcome"])
def test_gm_form_survives_any_text(client, gm_slot, field, value):
    url = reverse("campaigns:signup", args=[gm_slot.activity.slug, gm_slot.pk])
    response = client.post(url, gm_data(raised_with_10086="on", **{field: value}))
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("value", NASTY)
@pytest.mark.parametrize("field", ["birth_year", "region", "occupation", "services", "theme",
                                   "tenure", "motivation"])
def test_officer_form_survives_any_text(client, officer, field, value):
    response = client.post(reverse("campaigns:apply", args=[officer.slug]),
                           officer_data(**{field: value}))
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("value", NASTY)
def test_lookup_survives_any_text(client, value):
    response = client.post("/my/lookup/", {"phone": value, "reference": value})
    assert response.status_code in (200, 404)


def test_invalid_utf8_bytes_do_not_break_the_form(client, open_day):
    url = reverse("campaigns:signup", args=[open_day.activity.slug, open_day.pk])
    body = "name=%FF%FE%ED%A0%BD&phone=138%C0%AF&companions=%80&consent=on"
    response = client.post(url, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert not Signup.objects.exists()


def test_control_characters_are_removed_and_emoji_kept(client, open_day):
    url = reverse("campaigns:signup", args=[open_day.activity.slug, open_day.pk])
    client.post(url, open_day_data(name="王\x07小明😀", interests="5G\u202e基站"))
    signup = Signup.objects.get()
    assert signup.name == "王小明😀" and signup.interests == "5G基站"


def test_too_long_name_is_explained_and_other_answers_are_kept(client, open_day):
    url = reverse("campaigns:signup", args=[open_day.activity.slug, open_day.pk])
    response = client.post(url, open_day_data(name="王" * 41, interests="数据中心"))
    assert "name" in response.context["form"].errors
    assert 'value="数据中心"' in response.content.decode()
    assert not Signup.objects.exists()


def test_invalid_phone_has_a_clear_message(client, open_day):
    url = reverse("campaigns:signup", args=[open_day.activity.slug, open_day.pk])
    response = client.post(url, open_day_data(phone="12345678901"))
    assert "请输入11位中国大陆手机号码" in response.context["form"].errors["phone"][0]


def test_consent_is_required(client, open_day):
    url = reverse("campaigns:signup", args=[open_day.activity.slug, open_day.pk])
    data = open_day_data()
    del data["consent"]
    response = client.post(url, data)
    assert "个人信息保护说明" in response.context["form"].errors["consent"][0]
    assert not Signup.objects.exists()


def test_errors_are_in_english_on_the_english_site(client, open_day):
    url = "/en" + reverse("campaigns:signup", args=[open_day.activity.slug, open_day.pk])
    response = client.post(url, open_day_data(phone="123"))
    assert "mobile number" in response.context["form"].errors["phone"][0]


def test_missing_csrf_token_is_refused_without_writing(open_day):
    client = Client(enforce_csrf_checks=True)
    url = reverse("campaigns:signup", args=[open_day.activity.slug, open_day.pk])
    assert client.post(url, open_day_data()).status_code == 403
    assert not Signup.objects.exists()


def test_unknown_or_wrong_kind_session_is_404(client, open_day, officer):
    assert client.get(reverse("campaigns:signup", args=[open_day.activity.slug, 99999])
                      ).status_code == 404
    assert client.get(reverse("campaigns:signup", args=["other-slug", open_day.pk])
                      ).status_code == 404
    assert client.get(reverse("campaigns:apply", args=[open_day.activity.slug])
                      ).status_code == 404


def test_unpublished_activity_cannot_be_booked(client):
    session = SessionFactory(activity__is_published=False)
    url = reverse("campaigns:signup", args=[session.activity.slug, session.pk])
    assert client.post(url, open_day_data()).status_code == 404


@override_settings(RATELIMITS={"signup_ip": "2/h", "signup_phone": "100/h"})
def test_signups_are_rate_limited_per_ip(client, open_day):
    url = reverse("campaigns:signup", args=[open_day.activity.slug, open_day.pk])
    for n in range(2):
        client.post(url, open_day_data(phone=f"1380013800{n}"))
    response = client.post(url, open_day_data(phone="13800138009"))
    assert response.status_code == 429
    assert Signup.objects.count() == 2


@override_settings(RATELIMITS={"signup_ip": "100/h", "signup_phone": "1/h"})
def test_signups_are_rate_limited_per_phone(db, officer):
    url = reverse("campaigns:apply", args=[officer.slug])
    Client(REMOTE_ADDR="10.0.0.1").post(url, officer_data())
    response = Client(REMOTE_ADDR="10.0.0.2").post(url, officer_data())
    assert response.status_code == 429
    assert OfficerApplication.objects.count() == 1
