"""Personal data is kept no longer than necessary (PIPL): `purge_personal_data` erases it
CAMPAIGN_RETENTION_DAYS after the activity ended or the case closed, and the figures stay.

The clock is fixed by passing `now`: records are made today for sessions a week ahead, and
the purge runs as if it were that many days after they ended.
"""

import datetime
import io
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from campaigns.models import AuditEntry, OfficerApplication, PhoneCode, ReceptionCase, Signup
from campaigns.services import personal_data_purge
from campaigns.services.phone_codes import code_request
from feedback.models import Feedback
from feedback.reporting.filters import DashboardFilters
from feedback.reporting.selectors import dashboard
from feedback.services import feedback_contact_purge
from tests.factories import (
    FeedbackFactory,
    OfficerApplicationFactory,
    ReceptionSignupFactory,
    SessionFactory,
    SignupFactory,
)

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def session(activity):
    return SessionFactory(activity=activity, capacity=10)


def after(session, days):
    return session.ends_at + days * DAY


def test_signups_are_erased_after_the_retention_and_not_before(session, settings):
    settings.RETENTION_DAYS = 180
    first = SignupFactory(session=session, name="王小明", phone="13812345678",
                          email="wang@example.com", interests="5G基站")
    second = SignupFactory(session=session, phone="13812345679")  # same session: no clash
    assert personal_data_purge(now=after(session, 179)).signups == 0
    first.refresh_from_db()
    assert first.phone == "13812345678"

    result = personal_data_purge(now=after(session, 181))
    assert result.signups == 2
    for signup in (first, second):
        signup.refresh_from_db()
        assert (signup.name, signup.phone, signup.email, signup.interests) == ("", "", "", "")
        assert signup.erased_at == after(session, 181)
        assert signup.status == Signup.Status.CONFIRMED  # the statistics keep the status
    entries = AuditEntry.objects.filter(action="personal_data.purge")
    assert sorted(entries.values_list("object_id", flat=True)) == sorted([first.pk, second.pk])
    assert personal_data_purge(now=after(session, 182)).signups == 0  # done once


def test_a_gm_reception_case_loses_its_text_and_account(settings):
    signup = ReceptionSignupFactory(phone="13812345678")
    personal_data_purge(now=after(signup.session, settings.RETENTION_DAYS + 1))
    case = ReceptionCase.objects.get(signup=signup)
    assert (case.description, case.account, case.ticket_number) == ("", "", "")
    assert case.category == ReceptionCase.Category.BROADBAND  # what it was about stays


def test_the_self_service_link_of_a_purged_signup_stops_working(session, settings,
                                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        SignupFactory(session=session, email="wang@example.com")
    token = re.search(r"/my/link/([\w-]+)/", mail.outbox[0].body).group(1)
    personal_data_purge(now=after(session, settings.RETENTION_DAYS + 1))
    response = Client().get(f"/my/link/{token}/", follow=True)
    assert "链接无效" in response.content.decode()


def test_applications_are_erased_after_the_campaign_ended(settings):
    application = OfficerApplicationFactory(phone="13812345678")
    ends = application.activity.campaign.ends_on
    noon = datetime.datetime.combine(ends, datetime.time(12), tzinfo=datetime.UTC)
    assert personal_data_purge(now=noon + (settings.RETENTION_DAYS - 1) * DAY).applications == 0
    assert personal_data_purge(now=noon + (settings.RETENTION_DAYS + 2) * DAY).applications == 1
    application.refresh_from_db()
    assert (application.phone, application.motivation, application.name) == ("", "", "")
    assert application.status == OfficerApplication.Status.PENDING


def test_feedback_keeps_its_ratings_and_loses_its_contact(theme, settings):
    now = datetime.datetime(2026, 11, 20, tzinfo=datetime.UTC)
    old = now - (settings.RETENTION_DAYS + 1) * DAY
    contact = {"wants_reply": True, "name": "张伟", "phone": "13812345678",
               "email": "z@example.com", "consent_at": old,
               "comment": "电话13812345678,谢谢", "created_at": old - DAY}
    closed = FeedbackFactory(theme=theme, reply_due_at=old, first_replied_at=old - DAY,
                             closed_at=old, **contact)
    no_case = FeedbackFactory(theme=theme, **{**contact, "phone": "13812345670"})
    still_open = FeedbackFactory(theme=theme, reply_due_at=old,
                                 **{**contact, "phone": "13812345671"})
    recent = FeedbackFactory(theme=theme, **{**contact, "phone": "13812345672",
                                             "created_at": now - DAY})

    assert feedback_contact_purge(now=now) == 2
    for feedback in (closed, no_case):
        feedback.refresh_from_db()
        assert (feedback.name, feedback.phone, feedback.email) == ("", "", "")
        assert not feedback.wants_reply and feedback.comment == "电话138****5678,谢谢"
        assert feedback.overall_score == 8
    for feedback in (still_open, recent):
        feedback.refresh_from_db()
        assert feedback.phone.startswith("138") and "1381234567" in feedback.comment


def test_the_dashboard_figures_are_the_same_after_the_purge(session, theme, activity, settings):
    for n in range(3):
        SignupFactory(session=session, phone=f"1381234567{n}")
    FeedbackFactory(theme=theme, activity=activity, wants_reply=True, name="张伟",
                    phone="13812345678", consent_at=session.ends_at, comment="电话13812345678")
    now = after(session, settings.RETENTION_DAYS + 1)
    before = dashboard(DashboardFilters(), now=now)
    personal_data_purge(now=now)
    feedback_contact_purge(now=now)
    assert not Feedback.objects.exclude(phone="").exists()
    assert not Signup.objects.exclude(phone="").exists()
    later = dashboard(DashboardFilters(), now=now)
    assert (later.signups, later.feedback, later.fill) == (before.signups, before.feedback,
                                                            before.fill)


def test_dry_run_counts_and_erases_nothing(session, settings):
    SignupFactory(session=session, phone="13812345678")
    out = io.StringIO()
    settings.RETENTION_DAYS = -30  # the command runs on today's clock: make next week "old"
    call_command("purge_personal_data", "--dry-run", stdout=out)
    assert "Would erase personal data of 1 signup(s)" in out.getvalue()
    assert Signup.objects.get().phone == "13812345678"
    call_command("purge_personal_data", stdout=out)
    assert "Erased personal data of 1 signup(s)" in out.getvalue()
    assert Signup.objects.get().phone == ""


def test_the_daily_purge_deletes_sms_codes_sent_over_a_day_ago():
    old = code_request(phone="13812345678", purpose=PhoneCode.Purpose.SIGNUP, ip="203.0.113.5",
                       now=timezone.now() - datetime.timedelta(days=1, minutes=1))
    cache.clear()  # (the minute between two codes has long passed)
    fresh = code_request(phone="13812345678", purpose=PhoneCode.Purpose.LOOKUP,
                         ip="203.0.113.5")
    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "Deleted 1 SMS code(s)" in out.getvalue()
    assert list(PhoneCode.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not PhoneCode.objects.filter(pk=old.pk).exists()


def test_the_privacy_notice_states_the_retention_period(client, settings):
    assert settings.RETENTION_DAYS == 180
    page = client.get("/privacy/").content.decode()
    assert "2026-11-26" in page and "180天后删除" in page
    assert "deleted 180 days after the session ended" in client.get("/en/privacy/").content.decode()
