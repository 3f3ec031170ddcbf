"""Officer applications (我是服务体验官) with the dashboard's filters."""

from collections.abc import Iterator

from django.utils.translation import gettext as _

from campaigns.content import content_expression
from campaigns.models import OfficerApplication
from campaigns.refcodes import format_code
from campaigns.regions import name_field

from ..selectors import application_figures
from .base import CHUNK_SIZE, FilteredExporter, local


class ApplicationExporter(FilteredExporter):
    name = "applications"
    permissions = ("feedback.export_reports", "campaigns.change_officerapplication")
    widths = (12, 20, 10, 14, 22, 8, 10, 12, 8, 10, 10, 12, 48, 24, 17, 17)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.labels = {
            name: {value: str(label) for value, label in choices.choices}
            for name, choices in (
                ("status", OfficerApplication.Status),
                ("occupation", OfficerApplication.Occupation),
                ("participation", OfficerApplication.Participation),
                ("tenure", OfficerApplication.Tenure),
            )
        }

    def title(self) -> str:
        return _("体验官报名")

    def headers(self) -> list[str]:
        return [
            _("报名编号"), _("活动"), _("姓名"), _("手机号码"), _("电子邮箱"), _("所在城市"),
            _("状态"), _("职业"), _("出生年份"), _("参与方式"), _("入网时长"), _("意向主题"),
            _("报名理由"), _("审核意见"), _("提交时间"), _("审核时间"),
        ]

    def rows(self) -> Iterator[list]:
        rows = (
            OfficerApplication.objects.filter(self.filters.application_q())
            .order_by("created_at", "id")
            .values_list(
                "reference", content_expression("activity__title"), "name", "phone", "email",
                f"region__{name_field()}", "status", "occupation", "birth_year",
                "participation", "tenure", content_expression("theme__name"),
                "motivation", "review_reason", "created_at", "reviewed_at",
            )
        )
        labels = self.labels
        for (ref, activity, name, phone, email, city, state, occupation, birth_year,
             participation, tenure, theme, motivation, review, created,
             reviewed) in rows.iterator(chunk_size=CHUNK_SIZE):
            shown_name, phone, email = self.person(name, phone, email)
            yield [
                format_code(ref), activity, shown_name, phone, email, city,
                labels["status"][state], labels["occupation"].get(occupation, ""),
                birth_year, labels["participation"].get(participation, ""),
                labels["tenure"].get(tenure, ""), theme or "",
                self.free_text(motivation, names=(name,)), review, local(created),
                local(reviewed),
            ]

    def summary(self) -> list[tuple[str, object]]:
        rows = self.filter_summary()
        rows += [
            (label, count) for _value, label, count in application_figures(self.filters)
        ]
        return rows
