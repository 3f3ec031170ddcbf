"""The officer programme on the dashboard: reports per task, theme and city, the average of
each dimension, where problems are reported most, and overdue report cases.

Two queries whatever the data size: the programme's scale is thousands of reports, so the
figures are counted from one read of their few columns (the scores are JSON).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from campaigns.clock import overdue_q
from campaigns.content import ContentText, content_columns, content_value
from campaigns.models import Activity
from campaigns.regions import name_field
from feedback.models import DIMENSIONS
from feedback.officers.models import ExperienceReport

from .filters import DashboardFilters

OVERDUE_LIMIT = 20
TOP_PROBLEM_SPOTS = 5
# Reports that count: in review or accepted (drafts are not reports yet; a returned one will
# come back).
COUNTED = (ExperienceReport.Status.SUBMITTED, ExperienceReport.Status.ACCEPTED)


def report_q(filters: DashboardFilters) -> Q:
    """The dashboard's filters on reports: the programme, its theme, the officer's city, the
    days the reports were submitted. Another activity kind has no reports."""
    if filters.kind and filters.kind != Activity.Kind.OFFICER:
        return Q(pk__in=[])
    q = filters._dates("submitted_at")
    if filters.activity is not None:
        q &= Q(task__programme=filters.activity)
    if filters.theme is not None:
        q &= Q(task__theme=filters.theme)
    return q & filters.region_q("officer__region")


@dataclass
class OfficerFigures:
    submitted: int = 0
    accepted: int = 0
    # Tasks and themes named as the page shows them (ContentText: marked where Chinese).
    by_task: list[tuple[ContentText, int, int]] = field(default_factory=list)  # all, accepted
    by_theme: list[tuple[ContentText, int]] = field(default_factory=list)
    by_city: list[tuple[str, int]] = field(default_factory=list)
    dimensions: list[tuple[str, float | None, int]] = field(default_factory=list)
    problem_spots: list[tuple[ContentText, str, int]] = field(default_factory=list)  # task, city

    @property
    def total(self) -> int:
        return self.submitted + self.accepted


def officer_figures(filters: DashboardFilters) -> OfficerFigures:
    task_title, theme_name = "task__title", "task__theme__name"
    city_name = f"officer__region__{name_field()}"
    rows = ExperienceReport.objects.filter(report_q(filters), status__in=COUNTED).values(
        "status", *content_columns(task_title), *content_columns(theme_name), city_name,
        "scores", "problems",
    )
    figures = OfficerFigures()
    tasks, themes, cities, spots = Counter(), Counter(), Counter(), Counter()
    accepted_by_task = Counter()
    scores = defaultdict(list)
    for row in rows:
        task, theme = content_value(row, task_title), content_value(row, theme_name)
        city, report_scores, problems = row[city_name], row["scores"], row["problems"]
        accepted = row["status"] == ExperienceReport.Status.ACCEPTED
        figures.accepted += accepted
        figures.submitted += not accepted
        tasks[task] += 1
        accepted_by_task[task] += accepted
        themes[theme] += 1
        cities[city] += 1
        if problems.strip():
            spots[(task, city)] += 1
        for key, value in (report_scores or {}).items():
            if value is not None:
                scores[key].append(value)
    figures.by_task = [(t, n, accepted_by_task[t]) for t, n in tasks.most_common()]
    figures.by_theme = themes.most_common()
    figures.by_city = cities.most_common()
    figures.dimensions = [
        (label, round(sum(scores[key]) / len(scores[key]), 1) if scores[key] else None,
         len(scores[key]))
        for key, label in DIMENSIONS if scores[key]
    ]
    figures.problem_spots = [(t, c, n) for (t, c), n in spots.most_common(TOP_PROBLEM_SPOTS)]
    return figures


def overdue_report_cases(filters: DashboardFilters, *, now) -> list[ExperienceReport]:
    return list(
        ExperienceReport.objects.filter(report_q(filters), overdue_q(ExperienceReport, now))
        .select_related("task", "officer__region").order_by("case_due_at", "id")[:OVERDUE_LIMIT]
    )
