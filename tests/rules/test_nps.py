"""Rule: NPS = % promoters (recommendation 9–10) − % detractors (0–6), over counted
(not rejected) ratings, rounded to a whole number.

Home: feedback/scoring.py. The public 服务承诺 page, the dashboard and report pages (headline
and weekly chart, from the rows or from the rollups) and the feedback export's summary must
all show the same number.
"""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from feedback.reporting import rollups
from feedback.reporting.exporters import FeedbackExporter
from feedback.reporting.filters import DashboardFilters
from feedback.reporting.selectors import dashboard
from feedback.scoring import nps
from feedback.selectors import satisfaction_by_theme
from feedback.services import feedback_reject
from tests.conftest import NOW
from tests.factories import ModeratorFactory, StaffFactory

pytestmark = pytest.mark.django_db

RATED_AT = NOW - datetime.timedelta(days=2)  # Wednesday 2026-11-18, Asia/Shanghai
# Promoters 9, 10, 10; passives 7, 8; detractors 0, 6: (3 − 2) / 7 = 14 %.
# (6 taken as a passive would give 29, 7 as a detractor or 9 as a passive 0.)
RECOMMEND = (0, 6, 7, 8, 9, 10, 10)
NPS = 14
NPS_LABEL = "净推荐值（NPS）"


@pytest.fixture
def ratings(submit):
    for score in RECOMMEND:
        submit(kind="praise", overall_score=8, recommend_score=score, now=RATED_AT)
    # A rejected rating (spam) never counts: with it the score would be 0.
    spam = submit(kind="praise", overall_score=8, recommend_score=0, now=RATED_AT)
    feedback_reject(feedback=spam, moderator=ModeratorFactory(), reason="广告", now=RATED_AT)


def test_the_hand_computed_score_is_what_the_rule_gives():
    assert nps(promoters=3, detractors=2, ratings=len(RECOMMEND)) == NPS


def test_the_public_commitment_page_shows_the_score(client, ratings, theme):
    rows = satisfaction_by_theme(campaign=theme.campaign)
    assert [row.nps for row in rows] == [NPS, NPS]  # the theme and the total

    response = client.get(reverse("feedback:commitment"))
    assert [row.nps for row in response.context["satisfaction"]] == [NPS, NPS]


@pytest.mark.parametrize("rolled_up", [False, True], ids=["from rows", "from rollups"])
def test_the_dashboard_headline_and_weekly_chart_show_the_score(ratings, rolled_up):
    if rolled_up:
        assert rollups.rollup_days(rollups.FEEDBACK, now=NOW).fresh >= 1
    board = dashboard(DashboardFilters(), now=NOW)
    assert board.feedback.nps == NPS
    assert [(row.week, row.nps) for row in board.weeks] == [(datetime.date(2026, 11, 16), NPS)]


@pytest.mark.parametrize("page", ["feedback:dashboard", "feedback:report"])
def test_the_staff_dashboard_and_report_pages_show_the_score(client, ratings, page):
    client.force_login(StaffFactory())
    response = client.get(reverse(page))
    assert response.status_code == 200
    data = response.context["data"]
    assert (data.feedback.nps, [row.nps for row in data.weeks]) == (NPS, [NPS])


def test_the_export_summary_and_xlsx_sheet_show_the_score(ratings):
    assert dict(FeedbackExporter(now=NOW).summary())[NPS_LABEL] == NPS

    out = io.BytesIO()
    FeedbackExporter(now=NOW).write("xlsx", out)
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=1, values_only=True)}
    assert values[NPS_LABEL] == NPS
