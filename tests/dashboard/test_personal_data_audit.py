"""Every unmasked view or export of personal data is in the audit log; masked ones show none."""

import pytest
from django.urls import reverse

from campaigns.models import AuditEntry, Signup
from tests.factories import (
    AnalystFactory,
    ReceptionSignupFactory,
    SignupFactory,
    grant_personal_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def signup(session):
    return SignupFactory(session=session, name="王小明", phone="13812345678")


def _personal_views():
    return AuditEntry.objects.filter(action="view_personal_data")


def test_masked_admin_pages_are_not_logged_and_show_no_numbers(as_user, manager, signup):
    client = as_user(manager)
    body = client.get(reverse("admin:campaigns_signup_changelist")).content.decode()
    assert "138****5678" in body and "13812345678" not in body
    client.get(reverse("admin:campaigns_signup_change", args=[signup.pk]))
    assert not _personal_views().exists()


def test_unmasked_signup_list_and_record_are_logged(as_user, manager, signup):
    user = grant_personal_data(manager)
    client = as_user(user)
    body = client.get(reverse("admin:campaigns_signup_changelist")).content.decode()
    assert "13812345678" in body
    listed = _personal_views().get()
    assert listed.actor == user and listed.changes == {"list": "campaigns.Signup"}
    body = client.get(reverse("admin:campaigns_signup_change", args=[signup.pk])).content.decode()
    assert "13812345678" in body
    record = _personal_views().exclude(pk=listed.pk).get()
    assert record.target == signup and record.actor == user


def test_unmasked_reception_case_is_logged(as_user, moderator):
    case = ReceptionSignupFactory(name="赵磊", phone="13912340000").reception
    user = grant_personal_data(moderator)
    client = as_user(user)
    assert client.get(
        reverse("admin:campaigns_receptioncase_change", args=[case.pk])
    ).status_code == 200
    assert _personal_views().get().target == case


def test_every_export_is_logged_with_its_masking(as_user, session, signup):
    analyst = AnalystFactory()
    client = as_user(analyst)
    client.get(reverse("feedback:export_attendees", args=[session.pk, "csv"]))
    client.get(reverse("feedback:export_feedback", args=["xlsx"]))
    client.force_login(grant_personal_data(analyst))
    client.get(reverse("feedback:export_applications", args=["csv"]))
    entries = AuditEntry.objects.filter(action__startswith="export").order_by("id")
    assert [(e.action, e.changes["export"], e.changes["format"]) for e in entries] == [
        ("export", "attendees", "csv"),
        ("export", "feedback", "xlsx"),
        ("export_unmasked", "applications", "csv"),
    ]
    assert all(e.actor == analyst for e in entries)


def test_dashboard_shows_no_personal_data(as_user, signup):
    user = grant_personal_data(AnalystFactory())
    body = as_user(user).get(reverse("feedback:dashboard")).content.decode()
    assert "13812345678" not in body and "王小明" not in body
    assert Signup.objects.count() == 1
    assert not _personal_views().exists()


@pytest.fixture
def contact_feedback(theme):
    import datetime

    from tests.factories import FeedbackFactory

    return FeedbackFactory(
        theme=theme, wants_reply=True, name="王小明", phone="13812345678",
        email="wang@example.com", consent_at=datetime.datetime.now(datetime.UTC),
    )


def test_staff_feedback_page_masks_contact_without_the_permission(
    as_user, moderator, contact_feedback
):
    client = as_user(moderator)
    body = client.get(reverse("feedback:staff_detail", args=[contact_feedback.pk])).content
    body = body.decode()
    assert "138****5678" in body and "13812345678" not in body and "王小明" not in body
    body = client.get(
        reverse("admin:feedback_feedback_change", args=[contact_feedback.pk])
    ).content.decode()
    assert "138****5678" in body and "13812345678" not in body
    assert not _personal_views().exists()


def test_staff_feedback_page_unmasked_is_logged(as_user, moderator, contact_feedback):
    user = grant_personal_data(moderator)
    client = as_user(user)
    body = client.get(reverse("feedback:staff_detail", args=[contact_feedback.pk])).content
    assert "13812345678" in body.decode()
    body = client.get(
        reverse("admin:feedback_feedback_change", args=[contact_feedback.pk])
    ).content.decode()
    assert "13812345678" in body
    client.get(reverse("admin:feedback_feedback_changelist"))
    entries = _personal_views()
    assert entries.count() == 2
    assert all(e.target == contact_feedback and e.actor == user for e in entries)
