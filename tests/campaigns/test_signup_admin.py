"""Staff handle signups and applications in the admin, through the services, with a trail."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.models import AuditEntry, OfficerApplication, ReceptionCase, Signup, StaffScope
from tests.factories import (
    OfficerApplicationFactory,
    OfficerQuotaFactory,
    ReceptionSignupFactory,
    SessionFactory,
    SignupFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SIGNUPS = reverse("admin:campaigns_signup_changelist")
CASES = reverse("admin:campaigns_receptioncase_changelist")
APPLICATIONS = reverse("admin:campaigns_officerapplication_changelist")


@pytest.fixture
def reviewer(client):
    """Staff who may manage signups but not see personal data."""
    user = UserFactory(is_staff=True)
    codenames = ["view_signup", "change_signup", "view_receptioncase", "change_receptioncase",
                 "view_officerapplication", "change_officerapplication", "view_auditentry"]
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    StaffScope.objects.create(user=user, level=StaffScope.Level.NATIONAL)
    client.force_login(user)
    client.user = user
    return client


def action(client, url, name, objects, reason=""):
    return client.post(url, {"action": name, "_selected_action": [o.pk for o in objects],
                             "reason": reason}, follow=True)


def test_phone_and_name_are_masked_without_the_personal_data_permission(reviewer):
    SignupFactory(name="王小明", phone="13812341234")
    page = reviewer.get(SIGNUPS).content.decode()
    assert "138****1234" in page and "王**" in page
    assert "13812341234" not in page and "王小明" not in page


def test_staff_with_the_permission_see_full_details(reviewer):
    reviewer.user.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    SignupFactory(name="王小明", phone="13812341234")
    page = reviewer.get(SIGNUPS).content.decode()
    assert "13812341234" in page and "王小明" in page


def test_search_by_reference_in_any_format(reviewer):
    mine = SignupFactory(phone="13812341234")
    SignupFactory(phone="13900000000")
    result = reviewer.get(SIGNUPS, {"q": mine.reference_display.lower()}).context["cl"]
    assert list(result.result_list) == [mine]


def test_a_phone_search_tells_nothing_without_the_permission(reviewer):
    SignupFactory(phone="13812341234")
    for typed in ("138 1234 1234", "13812341234", "1381234", "1234"):
        assert list(reviewer.get(SIGNUPS, {"q": typed}).context["cl"].result_list) == []
    assert not AuditEntry.objects.filter(action="search_personal_data").exists()


def test_a_phone_search_with_the_permission_is_exact_and_recorded(reviewer):
    reviewer.user.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    mine = SignupFactory(phone="13812341234")
    SignupFactory(phone="13812341235")
    result = reviewer.get(SIGNUPS, {"q": "+86 138-1234-1234"}).context["cl"].result_list
    assert list(result) == [mine]
    assert list(reviewer.get(SIGNUPS, {"q": "1381234"}).context["cl"].result_list) == []
    entry = AuditEntry.objects.get(action="search_personal_data")
    assert entry.actor == reviewer.user
    assert entry.changes == {"list": "campaigns.Signup", "phone": "138****1234"}


@pytest.mark.parametrize("url", [SIGNUPS, CASES, APPLICATIONS])
def test_changelist_query_count_does_not_grow_with_rows(reviewer, url):
    def queries():
        with CaptureQueriesContext(connection) as context:
            assert reviewer.get(url).status_code == 200
        return len(context)

    def add_rows():
        SignupFactory()
        ReceptionSignupFactory()
        OfficerApplicationFactory()

    add_rows()
    few = queries()
    for _ in range(5):
        add_rows()
    assert queries() == few


def test_cancel_action_needs_a_reason_and_goes_through_the_service(reviewer):
    session = SessionFactory(capacity=1)
    holder = SignupFactory(session=session)
    waiting = SignupFactory(session=session)
    response = action(reviewer, SIGNUPS, "cancel", [holder])
    assert "请填写原因" in response.content.decode()
    assert Signup.objects.get(pk=holder.pk).status == Signup.Status.CONFIRMED
    action(reviewer, SIGNUPS, "cancel", [holder], reason="客户来电要求取消")
    assert Signup.objects.get(pk=holder.pk).status == Signup.Status.CANCELLED
    assert Signup.objects.get(pk=waiting.pk).status == Signup.Status.CONFIRMED  # promoted
    entry = AuditEntry.objects.get(action="signup.cancel")
    assert entry.actor == reviewer.user and entry.reason == "客户来电要求取消"


def test_attendance_actions_report_per_row_errors(reviewer):
    signup = SignupFactory()
    response = action(reviewer, SIGNUPS, "mark_attended", [signup])
    assert "活动当天" in response.content.decode()
    assert Signup.objects.get(pk=signup.pk).status == Signup.Status.CONFIRMED


def test_signup_cannot_be_added_or_deleted_in_the_admin(reviewer):
    signup = SignupFactory()
    assert reviewer.get(reverse("admin:campaigns_signup_add")).status_code == 403
    url = reverse("admin:campaigns_signup_delete", args=[signup.pk])
    assert reviewer.post(url, {"post": "yes"}).status_code == 403


def test_change_page_shows_the_audit_trail(reviewer):
    signup = SignupFactory()
    page = reviewer.get(reverse("admin:campaigns_signup_change", args=[signup.pk])).content
    assert "signup.create" in page.decode()


def test_reception_case_is_answered_in_the_change_form(reviewer):
    signup = ReceptionSignupFactory()
    case = signup.reception
    url = reverse("admin:campaigns_receptioncase_change", args=[case.pk])
    response = reviewer.post(url, {"status": "replied", "owner": "", "internal_notes": "",
                                   "outcome": "", "reason": ""})
    assert response.status_code == 200
    assert "请填写答复客户的内容" in response.content.decode()
    reviewer.post(url, {"status": "replied", "owner": reviewer.user.pk, "internal_notes": "已核实",
                        "outcome": "已为您退还多扣的流量费12元。", "reason": "首次答复"})
    case.refresh_from_db()
    assert case.status == ReceptionCase.Status.REPLIED and case.first_replied_at
    assert case.owner == reviewer.user
    entry = AuditEntry.objects.get(action="reception.update")
    assert (entry.from_state, entry.to_state, entry.reason) == ("received", "replied", "首次答复")


def test_overdue_filter_lists_cases_past_48_hours(reviewer):
    late = ReceptionSignupFactory()
    ReceptionCase.objects.filter(pk=late.reception.pk).update(
        first_reply_due_at=late.created_at - datetime.timedelta(hours=1)
    )
    ReceptionSignupFactory()
    result = reviewer.get(CASES, {"reply": "overdue"}).context["cl"].result_list
    assert [c.pk for c in result] == [late.reception.pk]


def test_application_review_actions_with_reason_and_quota(reviewer):
    activity = OfficerQuotaFactory(city="北京", places=1).activity
    first, second = (OfficerApplicationFactory(activity=activity) for _ in range(2))
    page = reviewer.get(APPLICATIONS).content.decode()
    assert "北京市 0/1" in page
    action(reviewer, APPLICATIONS, "accept", [first])
    response = action(reviewer, APPLICATIONS, "accept", [second])
    assert "名额已满" in response.content.decode()
    response = action(reviewer, APPLICATIONS, "reject", [second])
    assert "请填写原因" in response.content.decode()
    action(reviewer, APPLICATIONS, "reserve", [second], reason="名额已满,列入候补")
    statuses = dict(OfficerApplication.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "accepted", second.pk: "reserve"}
    assert "1/1" in reviewer.get(APPLICATIONS).content.decode()


def test_audit_log_is_read_only(reviewer):
    SignupFactory()
    entry = AuditEntry.objects.get()
    assert reviewer.get(reverse("admin:campaigns_auditentry_changelist")).status_code == 200
    url = reverse("admin:campaigns_auditentry_change", args=[entry.pk])
    reviewer.post(url, {"reason": "tampered"})
    entry.refresh_from_db()
    assert entry.reason == ""


def test_superuser_admin_pages_answer(admin_client):
    SignupFactory()
    ReceptionSignupFactory()
    OfficerApplicationFactory()
    StaffFactory()
    for name in ("signup", "receptioncase", "officerapplication", "auditentry", "session"):
        assert admin_client.get(reverse(f"admin:campaigns_{name}_changelist")).status_code == 200
    for model in (Signup, ReceptionCase, OfficerApplication):
        obj = model.objects.first()
        url = reverse(f"admin:campaigns_{model._meta.model_name}_change", args=[obj.pk])
        assert admin_client.get(url).status_code == 200


def test_raising_capacity_in_the_admin_promotes_the_waiting_list(admin_client):
    session = SessionFactory(capacity=1)
    SignupFactory(session=session)
    waiting = SignupFactory(session=session)
    url = reverse("admin:campaigns_session_change", args=[session.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data.update({"capacity": 2, "starts_at_0": session.starts_at.date(),
                 "starts_at_1": "10:00", "ends_at_0": session.ends_at.date(),
                 "ends_at_1": "23:00"})
    data.pop("starts_at"), data.pop("ends_at")
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Signup.objects.get(pk=waiting.pk).status == Signup.Status.CONFIRMED
