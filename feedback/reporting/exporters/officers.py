"""The officer programme: the roster of officers and their reports, with the dashboard's
filters (programme, theme, the officer's city, the days reports were submitted)."""

from collections.abc import Iterator
from functools import cached_property

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from campaigns.models import Activity, OfficerApplication
from campaigns.refcodes import format_code
from feedback.models import DIMENSIONS
from feedback.officers.models import ExperienceReport

from ..officer_figures import COUNTED, officer_figures, report_q
from .base import CHUNK_SIZE, FilteredExporter, local

PERMISSIONS = ("feedback.export_reports", "officers.review_report")


class OfficerExporter(FilteredExporter):
    permissions = PERMISSIONS

    @cached_property
    def figures(self):
        """The dashboard's officer figures, read once for the summary and the chart."""
        return officer_figures(self.filters)


class OfficerRosterExporter(OfficerExporter):
    """Accepted officers, their reports and points."""

    name = "officers"
    widths = (12, 20, 10, 14, 8, 12, 10, 10, 10, 17)

    def title(self) -> str:
        return _("服务体验官名册")

    def headers(self) -> list[str]:
        return [_("报名编号"), _("活动"), _("姓名"), _("手机号码"), _("所在城市"), _("职业"),
                _("已提交报告"), _("已采纳报告"), _("积分"), _("录用时间")]

    def officers(self):
        q = Q(status=OfficerApplication.Status.ACCEPTED, erased_at=None)
        if self.filters.kind and self.filters.kind != Activity.Kind.OFFICER:
            q &= Q(pk__in=[])
        if self.filters.activity is not None:
            q &= Q(activity=self.filters.activity)
        q &= self.filters.region_q("region")
        counted = Q(experience_reports__status__in=COUNTED)
        accepted = Q(experience_reports__status=ExperienceReport.Status.ACCEPTED)
        return OfficerApplication.objects.filter(q).annotate(
            reports=Count("experience_reports", filter=counted),
            accepted=Count("experience_reports", filter=accepted),
            points=Sum("experience_reports__points_awarded", filter=accepted),
        ).order_by("region", "reviewed_at", "id")

    def rows(self) -> Iterator[list]:
        occupations = dict(OfficerApplication.Occupation.choices)
        for officer in self.officers().select_related("activity", "region").iterator(
            chunk_size=CHUNK_SIZE
        ):
            name, phone, _email = self.person(officer.name, officer.phone)
            yield [format_code(officer.reference), officer.activity.title, name, phone,
                   officer.city, str(occupations.get(officer.occupation, "")), officer.reports,
                   officer.accepted, officer.points or 0, local(officer.reviewed_at)]

    def summary(self) -> list[tuple[str, object]]:
        return [*self.filter_summary(), (_("体验官人数"), self.officers().count()),
                (_("已采纳报告"), self.figures.accepted),
                (_("待审核报告"), self.figures.submitted)]

    def chart(self):
        return (_("各城市体验官报告数"), _("报告"), self.figures.by_city)


class OfficerReportExporter(OfficerExporter):
    """Every submitted or accepted report: ratings per dimension and findings."""

    name = "officer_reports"

    def title(self) -> str:
        return _("服务体验官报告")

    def headers(self) -> list[str]:
        return [_("编号"), _("体验任务"), _("主题"), _("体验官"), _("所在城市"), _("状态"),
                *(str(label) for _key, label in DIMENSIONS), _("亮点"), _("问题"), _("建议"),
                _("体验地点"), _("体验时间"), _("提交时间"), _("审核时间"), _("积分"),
                _("问题工单首次答复")]

    def rows(self) -> Iterator[list]:
        statuses = dict(ExperienceReport.Status.choices)
        reports = (ExperienceReport.objects.filter(report_q(self.filters), status__in=COUNTED)
                   .select_related("task__theme", "officer__region")
                   .order_by("submitted_at", "id"))
        for report in reports.iterator(chunk_size=CHUNK_SIZE):
            officer = report.officer
            name = self.person(officer.name, officer.phone)[0]
            findings = [self.free_text(value, names=(officer.name,))
                        for value in (report.highlights, report.problems, report.suggestions)]
            yield [report.reference_display, report.task.title, report.task.theme.name, name,
                   officer.city, str(statuses[report.status]),
                   *((report.scores or {}).get(key) for key, _label in DIMENSIONS), *findings,
                   report.place, local(report.experienced_at), local(report.submitted_at),
                   local(report.reviewed_at), report.points_awarded,
                   local(report.case_replied_at)]

    def summary(self) -> list[tuple[str, object]]:
        rows = [*self.filter_summary(), (_("已采纳报告"), self.figures.accepted),
                (_("待审核报告"), self.figures.submitted)]
        rows += [(label, average) for label, average, _n in self.figures.dimensions]
        return rows

    def chart(self):
        return (_("各任务报告数"), _("报告"), [(t, n) for t, n, _a in self.figures.by_task])
