"""The dashboard counts officers' reports by task, theme and city, averages each dimension,
ranks where problems are reported, and lists overdue report cases with the other cases."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Activity
from feedback.officers import services
from feedback.reporting.filters import DashboardFilters
from feedback.reporting.officer_figures import officer_figures
from feedback.reporting.selectors import dashboard
from tests.factories import ExperienceTaskFactory, OfficerFactory, StaffFactory, city

pytestmark = pytest.mark.django_db


def report(task, officer, *, network, problems="", accept=False):
    saved = services.report_save(task=task, officer=officer, data={
        "scores": {"score_network": network, "score_usability": None},
        "highlights": "信号满格。", "problems": problems})
    saved = services.report_submit(report=saved, officer=officer)
    if accept:
        saved = services.report_review(report=saved, reviewer=StaffFactory(), accept=True)
    return saved


@pytest.fixture
def programme(db):
    subway = ExperienceTaskFactory(title="地铁上网")
    store = ExperienceTaskFactory(title="营业厅暗访", programme=subway.programme)
    beijing = OfficerFactory(activity=subway.programme, city="北京")
    shanghai = OfficerFactory(activity=subway.programme, city="上海")
    report(subway, beijing, network=4, problems="2号线卡顿。", accept=True)
    report(subway, shanghai, network=8)
    report(store, shanghai, network=6, problems="排队太久。")
    services.report_save(task=store, officer=beijing, data={})  # a draft: not counted
    return subway


def test_counts_averages_and_problem_spots(programme):
    figures = officer_figures(DashboardFilters())
    assert (figures.total, figures.accepted, figures.submitted) == (3, 1, 2)
    assert figures.by_task == [("地铁上网", 2, 1), ("营业厅暗访", 1, 0)]
    assert dict(figures.by_city) == {"北京市": 1, "上海市": 2}
    assert figures.dimensions == [("网络质量", 6.0, 3)]  # 未体验 is not a score
    assert sorted(figures.problem_spots) == [("地铁上网", "北京市", 1), ("营业厅暗访", "上海市", 1)]


def test_the_dashboard_filters_apply(programme):
    assert officer_figures(DashboardFilters(region=city("上海"))).total == 2
    assert officer_figures(DashboardFilters(theme=programme.theme)).by_task[0][0] == "地铁上网"
    assert officer_figures(DashboardFilters(kind=Activity.Kind.OPEN_DAY)).total == 0
    assert officer_figures(DashboardFilters(
        date_from=timezone.localdate() + datetime.timedelta(days=1))).total == 0


def test_an_overdue_report_case_is_in_the_overdue_list(programme, client):
    shanghai_report = programme.reports.get(officer__region__name="上海市")
    shanghai_report.problems = "站台没信号。"
    shanghai_report.save()
    opened = timezone.now() - datetime.timedelta(hours=49)
    services.report_case_open(report=shanghai_report, actor=None, now=opened)
    data = dashboard(DashboardFilters(), now=timezone.now())
    assert [row.report for row in data.overdue_rows if row.report] == [shanghai_report]
    client.force_login(StaffFactory())
    page = client.get(reverse("feedback:dashboard")).content.decode()
    assert shanghai_report.reference_display in page and "服务体验官报告" in page
    assert reverse("officers:review", args=[shanghai_report.pk]) in page
