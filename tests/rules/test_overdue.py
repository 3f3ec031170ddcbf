"""Rule: a case is overdue from its due instant on (due <= now) until its first reply.

Home: campaigns/clock.py. Every place that tells staff a case is overdue must say the same
at the same instant: the models, the admin list filter, both selectors, the staff queue,
the dashboard, the public scoreboard and the feedback export.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns import selectors as campaign_selectors
from campaigns.clock import CaseClock
from campaigns.models import Activity, ReceptionCase
from campaigns.regions import NATIONAL
from campaigns.services import reception_update, signup_create
from feedback import selectors as feedback_selectors
from feedback.models import Feedback, RollupDay
from feedback.notifications import overdue_report
from feedback.reporting import rollups
from feedback.reporting.exporters import FeedbackExporter
from feedback.reporting.filters import DashboardFilters
from feedback.reporting.selectors import dashboard
from feedback.services import reply_create
from tests.conftest import NOW
from tests.factories import ModeratorFactory, SessionFactory, StaffFactory

pytestmark = pytest.mark.django_db

OPENED = NOW  # 2026-11-20 10:00 Asia/Shanghai
OPENED_DAY = datetime.date(2026, 11, 20)
DUE = OPENED + datetime.timedelta(hours=48)
SECOND = datetime.timedelta(seconds=1)
HOUR = datetime.timedelta(hours=1)
OVERDUE_CELL = re.compile(r'<td class="field-overdue">(.*?)</td>', re.S)


@pytest.fixture
def complaint(submit):
    return submit(kind="complaint", overall_score=3, now=OPENED)


@pytest.fixture
def reception_case():
    slot = SessionFactory(
        activity__kind=Activity.Kind.GM_RECEPTION,
        activity__signup_opens_at=OPENED - datetime.timedelta(days=5),
        activity__signup_closes_at=OPENED + datetime.timedelta(days=30),
        starts_at=OPENED + datetime.timedelta(days=7),
        ends_at=OPENED + datetime.timedelta(days=7, minutes=20),
        capacity=1,
        waitlist_enabled=False,
    )
    signup = signup_create(
        session=slot, name="陈先生", phone="13900001111", now=OPENED,
        reception={
            "category": ReceptionCase.Category.NETWORK_SIGNAL,
            "description": "小区地下车库和电梯里完全没有信号,已经持续三个月,影响日常通话。",
            "account": "13900001111",
            "raised_with_10086": False,
            "contact_mode": ReceptionCase.ContactMode.ONSITE,
        },
    )
    return signup.reception


@pytest.fixture
def admin(client, monkeypatch):
    """What the reception-case admin shows on a clock pinned at `at`: whether the case is
    listed under 首次回复 = 已超时未回复, and its 已超时 column in the full list."""
    client.force_login(StaffFactory())
    url = reverse("admin:campaigns_receptioncase_changelist")

    def shows(case, at) -> dict[str, bool]:
        with monkeypatch.context() as patch:
            patch.setattr(timezone, "now", lambda: at)
            filtered = client.get(url, {"reply": "overdue"})
            full = client.get(url)
        assert filtered.status_code == full.status_code == 200
        (cell,) = OVERDUE_CELL.findall(full.content.decode())
        return {
            "admin filter ?reply=overdue": case in filtered.context["cl"].result_list,
            "admin 已超时 column": 'alt="True"' in cell,
        }

    return shows


def who_says_overdue(at, complaint, case, admin) -> dict[str, bool]:
    complaint = Feedback.objects.get(pk=complaint.pk)
    case = ReceptionCase.objects.select_related("signup").get(pk=case.pk)
    board = dashboard(DashboardFilters(), now=at)
    exporter = FeedbackExporter(now=at)
    column = exporter.headers().index("回复时效")
    (row,) = [row for row in exporter.rows() if row[0] == complaint.reference]
    return {
        "ReceptionCase.is_overdue": case.is_overdue(at),
        "campaigns.selectors.overdue_cases": case in campaign_selectors.overdue_cases(at),
        **admin(case, at),
        "dashboard reception list": case in board.overdue_reception,
        "Feedback.clock": complaint.clock(at).is_overdue,
        "feedback.selectors.overdue_cases": complaint
        in feedback_selectors.overdue_cases(now=at),
        "overdue_feedback_q": Feedback.objects.filter(
            feedback_selectors.overdue_feedback_q(at), pk=complaint.pk
        ).exists(),
        "staff queue ?case=overdue": complaint
        in feedback_selectors.moderation_queue(now=at, scope=NATIONAL, case="overdue"),
        "staff queue count":
            feedback_selectors.queue_counts(now=at, scope=NATIONAL)["overdue"] == 1,
        "overdue alert email": any(
            line.startswith(complaint.reference) for line in overdue_report(now=at)[1]
        ),
        "dashboard feedback list": complaint in board.overdue,
        "dashboard overdue figure": board.feedback.overdue == 1,
        "public scoreboard": feedback_selectors.commitment_scoreboard(
            now=at, campaign=complaint.theme.campaign
        )[-1].overdue == 1,
        "export 回复时效 column": row[column] == "已超时未回复",
        "export summary": dict(exporter.summary())["已超时未回复"] == 1,
    }


def everywhere(value: bool, verdicts: dict[str, bool]) -> dict[str, bool]:
    return dict.fromkeys(verdicts, value)


def build_rollups(at):
    """The dashboard reads the complaint's day from its rollup from now on."""
    rollups.rollup_days(rollups.FEEDBACK, now=at)
    assert RollupDay.objects.get(subject="feedback", day=OPENED_DAY).fresh


ROLLED_UP = pytest.mark.parametrize("rolled_up", [False, True],
                                    ids=["from rows", "from rollups"])


@ROLLED_UP
def test_at_the_due_instant_every_place_shows_both_cases_overdue(
    complaint, reception_case, admin, rolled_up
):
    if rolled_up:
        build_rollups(DUE)
    verdicts = who_says_overdue(DUE, complaint, reception_case, admin)
    assert verdicts == everywhere(True, verdicts)


@ROLLED_UP
def test_one_second_before_the_due_instant_no_place_shows_them_overdue(
    complaint, reception_case, admin, rolled_up
):
    if rolled_up:
        build_rollups(DUE - SECOND)
    verdicts = who_says_overdue(DUE - SECOND, complaint, reception_case, admin)
    assert verdicts == everywhere(False, verdicts)


@pytest.mark.parametrize(
    "replied_at", [DUE - HOUR, DUE + HOUR], ids=["replied in time", "replied late"]
)
def test_after_the_first_reply_no_place_shows_them_overdue(
    complaint, reception_case, admin, replied_at
):
    staff = ModeratorFactory()
    reply_create(feedback=complaint, author=staff, body="已安排工程师上门。", now=replied_at)
    reception_update(case=reception_case, actor=staff, status="replied",
                     outcome="已在车库加装室分设备。", now=replied_at)

    verdicts = who_says_overdue(DUE + 2 * HOUR, complaint, reception_case, admin)
    assert verdicts == everywhere(False, verdicts)


def test_a_first_reply_at_the_due_instant_counts_as_on_time_everywhere(
    complaint, reception_case
):
    staff = ModeratorFactory()
    reply_create(feedback=complaint, author=staff, body="已安排工程师上门。", now=DUE)
    reception_update(case=reception_case, actor=staff, status="replied",
                     outcome="已在车库加装室分设备。", now=DUE)
    later = DUE + HOUR
    complaint.refresh_from_db()
    reception_case.refresh_from_db()
    board = dashboard(DashboardFilters(), now=later)
    exporter = FeedbackExporter(now=later)
    (row,) = list(exporter.rows())
    summary = dict(exporter.summary())
    total = feedback_selectors.commitment_scoreboard(
        now=later, campaign=complaint.theme.campaign
    )[-1]

    assert complaint.clock(later).state == CaseClock.ON_TIME
    assert reception_case.clock(later).state == CaseClock.ON_TIME
    assert row[exporter.headers().index("回复时效")] == "按时"
    assert (board.feedback.on_time, board.feedback.late) == (1, 0)
    assert (summary["按时首次回复"], summary["超时后回复"]) == (1, 0)
    assert (total.on_time, total.late) == (1, 0)
