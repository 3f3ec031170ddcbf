"""A staff member without "view personal data" finds no full number on any staff page.

Tried as an attacker with every other permission would: records whose personal fields and
free text hold a mobile number and an ID number, then every admin list and change page of
every registered model, every search, the moderation queue and pages, the dashboard, the
report and the downloads; the HTML is searched for each number however it could be written.
"""

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from campaigns.models import OfficerApplication, ReceptionCase, Signup, StaffScope
from feedback.models import Feedback
from tests.factories import (
    FeedbackFactory,
    OfficerApplicationFactory,
    ReceptionSignupFactory,
    SessionFactory,
    SignupFactory,
    UserFactory,
    grant_personal_data,
)

pytestmark = pytest.mark.django_db

MOBILE, OTHER_MOBILE, ID_NUMBER = "13812345678", "13987654321", "110105194912310021"
SECRETS = (MOBILE, OTHER_MOBILE, ID_NUMBER)


def leaks(page: str) -> list[str]:
    """The secrets found in a page, however their digits are separated."""
    digits = re.sub(r"[\s\-.·_/]|&nbsp;|&#x?[0-9a-f]+;", "", page)
    return [secret for secret in SECRETS if secret in page or secret in digits]


@pytest.fixture
def records(theme, activity):
    signup = SignupFactory(
        session=SessionFactory(activity=activity), name="王小明", phone=MOBILE,
        email="wang@example.com", interests=f"请打{OTHER_MOBILE}联系",
        accessibility_needs=f"身份证{ID_NUMBER}",
    )
    reception = ReceptionSignupFactory(
        name="李娜", phone=OTHER_MOBILE,
        reception={"category": ReceptionCase.Category.BROADBAND,
                   "description": f"宽带掉线,联系电话 {MOBILE[:3]} {MOBILE[3:7]} {MOBILE[7:]}。",
                   "account": "02012345678", "raised_with_10086": False, "ticket_number": "",
                   "contact_mode": ReceptionCase.ContactMode.ONSITE,
                   "expected_outcome": f"回电{MOBILE}"},
    )
    application = OfficerApplicationFactory(
        phone=MOBILE, motivation=f"我的身份证是{ID_NUMBER},手机{OTHER_MOBILE},"
        "希望把真实的使用感受反馈给运营商,帮助改进网络质量和服务体验。",
    )
    feedback = FeedbackFactory(
        theme=theme, activity=activity, wants_reply=True, name="张伟", phone=MOBILE,
        consent_at=signup.created_at, comment=f"投诉!电话{MOBILE},身份证{ID_NUMBER}",
        public_comment="", kind="complaint",
    )
    return [signup, reception, application, feedback]


@pytest.fixture
def snoop(client):
    """Staff of the national team holding every permission except view_personal_data."""
    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.exclude(codename="view_personal_data"))
    StaffScope.objects.create(user=user, level=StaffScope.Level.NATIONAL)
    client.force_login(user)
    return client


def staff_urls(records) -> list[str]:
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        opts = model._meta
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        for obj in model.objects.all()[:20]:
            urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change",
                                args=[obj.pk]))
    feedback = Feedback.objects.get()
    urls += [
        reverse("feedback:queue"),
        reverse("feedback:staff_detail", args=[feedback.pk]),
        reverse("feedback:staff_detail", args=[feedback.pk]) + "?original=1",
        reverse("feedback:dashboard"),
        reverse("feedback:report"),
        reverse("feedback:export_jobs"),
        reverse("feedback:export_feedback", args=["csv"]),
        reverse("feedback:export_applications", args=["csv"]),
        reverse("feedback:export_attendees", args=[records[0].session_id, "csv"]),
    ]
    return urls


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode()


def test_no_staff_page_shows_a_full_number_without_the_permission(snoop, records):
    assert Signup.objects.count() == 2 and OfficerApplication.objects.count() == 1
    pages = {url: snoop.get(url) for url in staff_urls(records)}
    assert all(response.status_code == 200 for response in pages.values()), {
        url: r.status_code for url, r in pages.items() if r.status_code != 200
    }
    found = {url: leaks(body(response)) for url, response in pages.items()}
    assert {url: secrets for url, secrets in found.items() if secrets} == {}


@pytest.mark.parametrize("model", [Signup, ReceptionCase, OfficerApplication, Feedback])
@pytest.mark.parametrize("typed", [MOBILE, f"+86 {MOBILE}", MOBILE[:7], MOBILE[3:], "1234"])
def test_searching_by_number_finds_nothing_without_the_permission(snoop, records, model, typed):
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert list(snoop.get(url, {"q": typed}).context["cl"].result_list) == []


def test_with_the_permission_the_same_pages_show_the_numbers(snoop, records):
    from django.contrib.auth import get_user_model

    grant_personal_data(get_user_model().objects.get(is_staff=True, is_superuser=False))
    signup = records[0]
    page = snoop.get(reverse("admin:campaigns_signup_change", args=[signup.pk])).content.decode()
    assert MOBILE in page and ID_NUMBER in page
