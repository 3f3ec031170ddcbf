"""An unanswered case climbs the ladder on a fixed clock: at its due time the city team is
told, 24 hours later the province, 48 hours later the national team. Each rung once, audited,
emailed to that level's staff (SMS to an alert number), shown on the case; a reply stops it.
"""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from campaigns.models import AuditEntry, Escalation, EscalationNotice, StaffScope
from feedback.models import Feedback
from feedback.services import escalate_cases, feedback_submit, reply_create
from tests.factories import ModeratorFactory, ReceptionSignupFactory, ThemeFactory, city, region

pytestmark = pytest.mark.django_db
H = datetime.timedelta(hours=1)
OPENED = datetime.datetime(2026, 11, 20, 9, 0, tzinfo=datetime.UTC)
DUE = OPENED + 48 * H


def staff(level: str, code: str | None, email: str, phone: str = ""):
    user = ModeratorFactory(email=email, scope=False)
    scope = StaffScope.objects.create(user=user, level=level, alert_phone=phone)
    if code:
        scope.regions.set([region(code)])
    return user


@pytest.fixture
def teams():
    return {
        "wuhan": staff("city", "420100", "wuhan@example.cn", phone="13900000001"),
        "yichang": staff("city", "420500", "yichang@example.cn"),
        "hubei": staff("province", "420000", "hubei@example.cn"),
        "guangdong": staff("province", "440000", "gd@example.cn"),
        "national": staff("national", None, "hq@example.cn"),
    }


@pytest.fixture
def complaint():
    return feedback_submit(theme=ThemeFactory(), kind=Feedback.Kind.COMPLAINT, overall_score=2,
                           recommend_score=0, comment="宽带每晚掉线，报修两次没修好。",
                           region=city("武汉"), now=OPENED)


def climb(now, outbox=None):
    mail.outbox.clear()
    return escalate_cases(now=now)


def test_nothing_happens_before_the_due_time(complaint, teams):
    assert climb(DUE - datetime.timedelta(seconds=1)) == []
    complaint.refresh_from_db()
    assert complaint.escalation == Escalation.NONE


def test_each_rung_at_its_hour_to_that_levels_staff_only(complaint, teams, sms_outbox,
                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        steps = climb(DUE)
    assert [s.level for s in steps] == [Escalation.CITY]
    assert [m.to for m in mail.outbox] == [["wuhan@example.cn"]]
    assert "已通知地市分公司" in mail.outbox[0].subject
    assert reverse("feedback:staff_detail", args=[complaint.pk]) in mail.outbox[0].body
    assert [(m.kind, m.phone) for m in sms_outbox] == [("escalation", "13900000001")]

    with django_capture_on_commit_callbacks(execute=True):
        assert climb(DUE + 23 * H) == []  # the province's hour has not come
        assert [s.level for s in climb(DUE + 24 * H)] == [Escalation.PROVINCE]
    assert [m.to for m in mail.outbox] == [["hubei@example.cn"]]

    with django_capture_on_commit_callbacks(execute=True):
        assert [s.level for s in climb(DUE + 48 * H)] == [Escalation.NATIONAL]
        assert climb(DUE + 100 * H) == []  # the top rung: nothing more, however late
    assert [m.to for m in mail.outbox] == [["hq@example.cn"]]
    complaint.refresh_from_db()
    assert (complaint.escalation, complaint.escalated_at) == (Escalation.NATIONAL, DUE + 48 * H)
    audit = AuditEntry.objects.filter(action="case.escalate", object_id=complaint.pk)
    assert list(audit.order_by("id").values_list("from_state", "to_state")) == [
        ("", "city"), ("city", "province"), ("province", "national")]


def test_a_missed_run_climbs_every_rung_in_order_and_a_second_run_does_nothing(complaint, teams):
    steps = climb(DUE + 50 * H)
    assert [s.level for s in steps] == [Escalation.CITY, Escalation.PROVINCE, Escalation.NATIONAL]
    assert EscalationNotice.objects.count() == 3
    assert climb(DUE + 51 * H) == []
    assert EscalationNotice.objects.count() == 3


def test_the_first_reply_stops_the_ladder(complaint, teams):
    climb(DUE)
    reply_create(feedback=complaint, author=teams["wuhan"], body="已安排工程师上门检修。",
                 kind="official", now=DUE + H)
    assert climb(DUE + 72 * H) == []
    complaint.refresh_from_db()
    assert complaint.escalation == Escalation.CITY


def test_a_gm_reception_case_climbs_too_and_the_case_shows_it(client, teams):
    signup = ReceptionSignupFactory(session__city="武汉")
    case = signup.reception
    steps = escalate_cases(now=case.first_reply_due_at + 25 * H)
    assert [(s.label, s.level) for s in steps] == [
        ("campaigns.receptioncase", "city"), ("campaigns.receptioncase", "province")]
    case.refresh_from_db()
    assert case.get_escalation_display() == "已升级至省公司"


def test_the_hours_are_a_setting(complaint, teams, settings):
    settings.CASE_ESCALATION_HOURS = (2, 6, 12)
    assert climb(DUE + H) == []
    assert [s.level for s in climb(DUE + 6 * H)] == [Escalation.CITY, Escalation.PROVINCE]


def test_the_staff_page_says_where_the_case_stands(client, complaint, teams):
    climb(DUE + 30 * H)
    client.force_login(teams["hubei"])
    page = client.get(reverse("feedback:staff_detail", args=[complaint.pk])).content.decode()
    assert "已升级至省公司" in page


def test_the_dashboard_counts_open_escalated_cases(client, complaint, teams):
    climb(DUE + 30 * H)
    teams["national"].user_permissions.add(Permission.objects.get(codename="view_dashboard"))
    client.force_login(teams["national"])
    page = client.get(reverse("feedback:dashboard")).content.decode()
    assert "已升级至省公司 1" in page and "已升级至全国 0" in page


def test_cron_runs_the_ladder(complaint, teams):
    call_command("feedback_overdue", "--notify", stdout=open("/dev/null", "w"))  # noqa: SIM115
    complaint.refresh_from_db()
    assert complaint.escalation == Escalation.NATIONAL  # OPENED is long past
