"""活动管理员 see who looked at what: unmasked views, number searches and exports, by user and
day; moderators and analysts cannot open the page."""

import datetime

import pytest
from django.urls import reverse

from campaigns.models import AuditEntry
from campaigns.services.audit import (
    audit_export,
    audit_personal_data_search,
    audit_personal_data_view,
)
from tests.factories import (
    AnalystFactory,
    CampaignManagerFactory,
    ModeratorRoleFactory,
    SignupFactory,
    grant_personal_data,
)

pytestmark = pytest.mark.django_db
URL = reverse("campaigns:access_log")


@pytest.fixture
def looked(db):
    """A staff member opened a signup unmasked, searched a number and exported a report."""
    nosy = grant_personal_data(AnalystFactory(username="nosy"))
    signup = SignupFactory(phone="13812345678")
    audit_personal_data_view(actor=nosy, target=signup)
    audit_personal_data_search(actor=nosy, listing="campaigns.Signup", masked="138****5678")
    audit_export(actor=nosy, target=None, export="feedback", fmt="csv", filters={},
                 unmasked=True)
    return nosy, signup


def test_a_campaign_manager_sees_who_looked_at_what(client, looked):
    _nosy, signup = looked
    client.force_login(CampaignManagerFactory())
    page = client.get(URL).content.decode()
    for text in ("nosy", "查看完整个人信息", signup.reference_display, "按手机号码搜索",
                 "138****5678", "导出（含完整个人信息）", "feedback.csv"):
        assert text in page, text
    assert "13812345678" not in page


def test_the_log_filters_by_user_and_day(client, looked):
    nosy, _signup = looked
    other = grant_personal_data(AnalystFactory(username="other"))
    audit_personal_data_search(actor=other, listing="campaigns.Signup", masked="139****0000")
    AuditEntry.objects.filter(actor=other).update(
        created_at=datetime.datetime(2026, 1, 5, 3, tzinfo=datetime.UTC)
    )
    client.force_login(CampaignManagerFactory())
    mine = client.get(URL, {"user": nosy.pk}).context["page"].object_list
    assert {entry.actor for entry in mine} == {nosy}
    that_day = client.get(URL, {"date_from": "2026-01-05", "date_to": "2026-01-05"})
    assert [entry.actor for entry in that_day.context["page"].object_list] == [other]


@pytest.mark.parametrize("role", [ModeratorRoleFactory, AnalystFactory])
def test_moderators_and_analysts_cannot_open_it(client, role):
    client.force_login(role())
    assert client.get(URL).status_code == 403
    assert URL not in client.get(reverse("feedback:dashboard")).content.decode()


def test_the_dashboard_links_managers_to_it(client):
    client.force_login(CampaignManagerFactory())
    assert URL in client.get(reverse("feedback:dashboard")).content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get(URL).status_code == 302
