"""The printable campaign report: one click from the dashboard, headline figures, charts with
their tables, the 48-hour record, a print stylesheet and no inline code."""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse

from feedback.models import Feedback
from tests.factories import FeedbackFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(theme, activity):
    now = datetime.datetime.now(datetime.UTC)
    FeedbackFactory(theme=theme, activity=activity, overall_score=9, recommend_score=10)
    FeedbackFactory(theme=theme, kind=Feedback.Kind.COMPLAINT, overall_score=3,
                    recommend_score=2, created_at=now - datetime.timedelta(days=3),
                    reply_due_at=now - datetime.timedelta(days=1), reference="LATE0001")


def test_dashboard_links_to_the_report_with_its_filters(as_user, analyst, activity):
    body = as_user(analyst).get(
        reverse("feedback:dashboard"), {"activity": activity.pk}
    ).content.decode()
    assert f'href="{reverse("feedback:report")}?activity={activity.pk}"' in body


def test_report_has_figures_charts_tables_and_commitment(as_user, analyst, figures, activity):
    response = as_user(analyst).get(reverse("feedback:report"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "活动报告" in body
    assert "净推荐值（NPS）" in body
    assert body.count('role="img"') >= 2  # the charts with data
    assert body.count("<svg") == body.count("</svg>")
    assert "<details" not in body  # tables printed open
    assert "48小时首次回复承诺记录" in body
    assert "LATE0001" in body  # overdue case listed
    assert "css/dashboard.css" in body and "js/print.js" in body
    assert "data-print" in body
    assert " style=" not in body and "<style" not in body
    # No links to staff pages on paper
    assert reverse("feedback:queue") not in body


def test_report_shows_its_filters(as_user, analyst, figures, activity):
    body = as_user(analyst).get(
        reverse("feedback:report"), {"activity": activity.pk, "date_from": "2026-11-01"}
    ).content.decode()
    assert activity.title in body and "2026-11-01" in body


def test_print_stylesheet_hides_navigation():
    from django.contrib.staticfiles import finders

    css = Path(finders.find("css/dashboard.css")).read_text(encoding="utf-8")
    assert "@media print" in css
    assert ".site-header" in css.split("@media print", 1)[1]


def test_report_in_english(as_user, analyst, figures):
    body = as_user(analyst).get("/en" + reverse("feedback:report")).content.decode()
    assert "Campaign report" in body or "campaign report" in body
    assert "Net Promoter Score (NPS)" in body


def test_report_refuses_invalid_filters(as_user, analyst):
    response = as_user(analyst).get(reverse("feedback:report"), {"region": "999999"})
    assert response.status_code == 400
