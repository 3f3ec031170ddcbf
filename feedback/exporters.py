"""Report exports: one class per export, in the explicit registry `EXPORTERS`.

The web downloads (`feedback.dashboard_views`) and `manage.py export_feedback` use the same
classes. Rules every export follows:

- rows are read with `.iterator(chunk_size=2000)` and written as they come: CSV is streamed
  (UTF-8 with a BOM first, so Excel shows Chinese), XLSX is written by XlsxWriter in
  `constant_memory` mode to a temporary file, then streamed; memory does not grow with rows
  (`bench/export_memory.py`, `docs/performance.md`);
- no cell starts a formula: `safe_cell()` neutralises text beginning with `=`, `+`, `-`, `@`,
  a tab or a carriage return, in CSV and XLSX alike;
- names, phone numbers, emails (and personal data inside free text) are masked unless the
  user has `campaigns.view_personal_data`; every export is written to the audit log
  (`export`, or `export_unmasked` when personal data was included);
- headers and labels in the language active when the exporter is created; times in
  Asia/Shanghai.
"""

import csv
import datetime
import tempfile
from collections.abc import Iterator

import xlsxwriter
from django.db import connections
from django.db.models import Case, IntegerField, Value, When
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import OfficerApplication, Session, Signup
from campaigns.phone import mask_name, mask_phone
from campaigns.refcodes import format_code
from campaigns.selectors import current_campaign
from campaigns.services.audit import audit_record

from . import copy_export, dashboard
from .models import DIMENSIONS, Feedback
from .text import MASK, mask_email, mask_personal_data

FORMATS = ("csv", "xlsx")
CHUNK_SIZE = 2000
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATETIME_FORMAT = "%Y-%m-%d %H:%M"


def safe_cell(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def local(value: datetime.datetime | None) -> datetime.datetime | None:
    """An aware time as a naive Asia/Shanghai wall-clock time (what the sheet shows)."""
    if value is None:
        return None
    return timezone.localtime(value, dashboard.local_zone()).replace(tzinfo=None)


class _Echo:
    """A file-like object whose write() returns the line instead of storing it."""

    def write(self, value):
        return value


class Exporter:
    """Base class: subclasses name their columns and yield their rows."""

    name = ""
    # Staff need at least one of these (superusers have all).
    permissions: tuple[str, ...] = ("feedback.export_reports",)
    widths: tuple[int, ...] = ()

    def __init__(self, *, user=None):
        self.user = user
        self.unmasked = bool(user and user.has_perm("campaigns.view_personal_data"))
        self.created_at = timezone.now()
        self.yes, self.no = _("是"), _("否")

    @classmethod
    def allowed(cls, user) -> bool:
        return bool(user and user.is_staff and any(user.has_perm(p) for p in cls.permissions))

    # --- What subclasses provide -----------------------------------------------------

    def title(self) -> str:
        raise NotImplementedError

    def headers(self) -> list[str]:
        raise NotImplementedError

    def rows(self) -> Iterator[list]:
        raise NotImplementedError

    def summary(self) -> list[tuple[str, object]]:
        """(label, value) pairs for the XLSX summary sheet."""
        return []

    def chart(self) -> tuple[str, str, list[tuple[str, int]]] | None:
        """(title, value name, [(category, value)]) for a native chart on the summary sheet."""
        return None

    def audit_target(self):
        return current_campaign() or self.user

    def audit_filters(self) -> dict:
        return {}

    # --- Shared ----------------------------------------------------------------------

    def filename(self, fmt: str) -> str:
        stamp = local(self.created_at).strftime("%Y%m%d-%H%M")
        return f"{self.name}-{stamp}.{fmt}"

    def person(self, name: str, phone: str, email: str = "") -> tuple[str, str, str]:
        if self.unmasked:
            return name, phone, email
        return mask_name(name), mask_phone(phone), mask_email(email) if email else ""

    def free_text(self, text: str, *, names: tuple[str, ...] = ()) -> str:
        return text if self.unmasked else mask_personal_data(text, names=names)

    def flag(self, value: bool | None) -> str:
        if value is None:
            return ""
        return self.yes if value else self.no

    def record(self, *, fmt: str):
        """Write the audit entry for this export (before the data leaves the server)."""
        target = self.audit_target()
        if target is None:
            return None
        return audit_record(
            target=target,
            action="export_unmasked" if self.unmasked else "export",
            actor=self.user,
            to_state="unmasked" if self.unmasked else "masked",
            changes={"export": self.name, "format": fmt, "filters": self.audit_filters()},
        )

    # --- CSV -------------------------------------------------------------------------

    def csv_header(self) -> str:
        return BOM + csv.writer(_Echo()).writerow(self.headers())

    def csv_lines(self) -> Iterator[str]:
        writer = csv.writer(_Echo())
        yield self.csv_header()
        for row in self.rows():
            yield writer.writerow([self._csv_value(value) for value in row])

    def _csv_value(self, value):
        if value is None:
            return ""
        if isinstance(value, datetime.datetime):
            return value.strftime(DATETIME_FORMAT)
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, float):
            return f"{value:.2f}"
        return safe_cell(value)

    def csv_chunks(self, lines_per_chunk: int = 500) -> Iterator[bytes]:
        buffer = []
        for line in self.csv_lines():
            buffer.append(line)
            if len(buffer) >= lines_per_chunk:
                yield "".join(buffer).encode("utf-8")
                buffer = []
        if buffer:
            yield "".join(buffer).encode("utf-8")

    def write_csv(self, out) -> None:
        """Write to a binary file object (used by the management command)."""
        for chunk in self.csv_chunks():
            out.write(chunk)

    # --- XLSX ------------------------------------------------------------------------

    def write_xlsx(self, out) -> None:
        """Write to a path or a binary file object, without holding the rows in memory."""
        workbook = xlsxwriter.Workbook(
            out,
            {
                "constant_memory": True,  # rows are flushed to disk as they are written
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        bold = workbook.add_format({"bold": True})
        title = workbook.add_format({"bold": True, "font_size": 14})
        when = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        day = workbook.add_format({"num_format": "yyyy-mm-dd"})
        formats = {"bold": bold, "datetime": when, "date": day}

        sheet = workbook.add_worksheet(_("概览"))
        sheet.set_column(0, 0, 28)
        sheet.set_column(1, 1, 36)
        sheet.write_string(0, 0, safe_cell(self.title()), title)
        row = 2
        for label, value in self._header_block() + self.summary():
            sheet.write_string(row, 0, safe_cell(str(label)), bold)
            self._write(sheet, row, 1, value, formats)
            row += 1
        chart_data = self.chart()
        if chart_data:
            chart_title, value_name, points = chart_data
            row += 1
            first = row
            sheet.write_string(row, 0, safe_cell(chart_title), bold)
            sheet.write_string(row, 1, safe_cell(value_name), bold)
            for category, value in points:
                row += 1
                sheet.write_string(row, 0, safe_cell(str(category)))
                sheet.write_number(row, 1, value)
            chart = workbook.add_chart({"type": "column"})
            chart.add_series(
                {
                    "name": value_name,
                    "categories": [sheet.name, first + 1, 0, row, 0],
                    "values": [sheet.name, first + 1, 1, row, 1],
                }
            )
            chart.set_title({"name": chart_title})
            chart.set_legend({"none": True})
            sheet.insert_chart(2, 3, chart)

        data = workbook.add_worksheet(_("数据"))
        headers = self.headers()
        for column, width in enumerate(self.widths):
            data.set_column(column, column, width)
        data.freeze_panes(1, 0)
        data.write_row(0, 0, [safe_cell(h) for h in headers], bold)
        row = 0
        for values in self.rows():
            row += 1
            for column, value in enumerate(values):
                self._write(data, row, column, value, formats)
        data.autofilter(0, 0, max(row, 1), len(headers) - 1)
        workbook.close()

    def _header_block(self) -> list[tuple[str, object]]:
        block = [(_("生成时间"), local(self.created_at))]
        block.append(
            (
                _("个人信息"),
                _("完整显示(已记录在操作记录中)") if self.unmasked else _("已脱敏"),
            )
        )
        return block

    @staticmethod
    def _write(sheet, row, column, value, formats):
        if value is None or value == "":
            return
        if isinstance(value, bool):
            sheet.write_boolean(row, column, value)
        elif isinstance(value, int | float):
            sheet.write_number(row, column, value)
        elif isinstance(value, datetime.datetime):
            sheet.write_datetime(row, column, value, formats["datetime"])
        elif isinstance(value, datetime.date):
            sheet.write_datetime(row, column, value, formats["date"])
        else:
            sheet.write_string(row, column, safe_cell(str(value)))


# --- Feedback report ----------------------------------------------------------------------


class FeedbackExporter(Exporter):
    name = "feedback"
    widths = (12, 17, 20, 12, 14, 8, 8, 8, *(8,) * len(DIMENSIONS), 48, 10, 10, 12, 14, 22,
              17, 17, 12, 17)

    def __init__(
        self,
        *,
        filters: dashboard.DashboardFilters | None = None,
        now=None,
        copy: bool = True,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.filters = filters or dashboard.DashboardFilters()
        self.now = now or self.created_at
        # CSV through PostgreSQL's COPY when possible (see uses_copy()); False: always the
        # Python rows (the reference the COPY path is tested against).
        self.copy = copy
        self.kinds = {value: str(label) for value, label in Feedback.Kind.choices}
        self.states = {value: str(label) for value, label in Feedback.State.choices}
        self.clock = {
            "on_time": _("按时"),
            "late": _("超时后回复"),
            "overdue": _("已超时未回复"),
            "due": _("未到期"),
        }

    def title(self) -> str:
        return _("体验反馈报表")

    def audit_target(self):
        return self.filters.activity or super().audit_target()

    def audit_filters(self) -> dict:
        return self.filters.as_params()

    def headers(self) -> list[str]:
        return [
            _("反馈编号"),
            _("提交时间"),
            _("活动"),
            _("主题"),
            _("具体产品或服务"),
            _("类型"),
            _("总体满意度"),
            _("推荐意愿"),
            *[str(label) for _name, label in DIMENSIONS],
            _("评价内容"),
            _("审核状态"),
            _("希望得到回复"),
            _("姓名"),
            _("手机号"),
            _("电子邮箱"),
            _("首次回复期限"),
            _("首次回复时间"),
            _("回复时效"),
            _("办结时间"),
        ]

    def rows(self) -> Iterator[list]:
        fields = [
            "reference", "created_at", "activity__title", "theme__name", "theme_item__name",
            "kind", "overall_score", "recommend_score", *[n for n, _l in DIMENSIONS],
            "comment", "public_comment", "state", "wants_reply", "name", "phone", "email",
            "reply_due_at", "first_replied_at", "closed_at",
        ]
        rows = dashboard.feedback_rows(self.filters).values_list(*fields)
        dims = len(DIMENSIONS)
        for values in rows.iterator(chunk_size=CHUNK_SIZE):
            (ref, created, activity, theme, item, kind, overall, recommend) = values[:8]
            scores = values[8 : 8 + dims]
            (comment, public, state, wants_reply, name, phone, email, due, replied,
             closed) = values[8 + dims :]
            name, phone, email = self.person(name, phone, email)
            text = comment if self.unmasked else (public or mask_personal_data(comment))
            yield [
                ref, local(created), activity or "", theme, item or "", self.kinds[kind],
                overall, recommend, *scores, text, self.states[state], self.flag(wants_reply),
                name, phone, email, local(due), local(replied),
                self._clock(due, replied), local(closed),
            ]

    # --- CSV through COPY (PostgreSQL) ---------------------------------------------------

    def uses_copy(self) -> bool:
        """On PostgreSQL the CSV comes from COPY, unless a masked export meets rows stored
        without their public (masked) text: only Python's mask_personal_data() can make
        that, so such an export takes the Python path whole (same bytes, slower)."""
        rows = dashboard.feedback_rows(self.filters)
        if not self.copy or connections[rows.db].vendor != "postgresql":
            return False
        return self.unmasked or not (
            rows.filter(public_comment="").exclude(comment="").exists()
        )

    def csv_chunks(self, lines_per_chunk: int = 500) -> Iterator[bytes]:
        if self.uses_copy():
            yield from self.copy_csv_chunks()
        else:
            yield from super().csv_chunks(lines_per_chunk)

    def copy_csv_chunks(self, **progress) -> Iterator[bytes]:
        """The COPY path whether or not uses_copy() agrees; `progress`, `progress_every`:
        see copy_export.copy_csv_chunks() (background jobs)."""
        sql, params = self.copy_select()
        yield from copy_export.copy_csv_chunks(
            dashboard.feedback_rows(self.filters).db, sql, params,
            header=self.csv_header().encode("utf-8"), **progress,
        )

    def copy_select(self) -> tuple[str, list]:
        """The SELECT (with %s placeholders, and its parameters) whose rows, written by
        COPY … (FORMAT csv), are byte for byte the lines of the Python path: rows()."""
        cx = copy_export
        dims = [n for n, _l in DIMENSIONS]
        inner, inner_params, order = cx.compile_rows(
            dashboard.feedback_rows(self.filters),
            {
                "x_ref": "reference", "x_created": "created_at", "x_activity": "activity__title",
                "x_theme": "theme__name", "x_item": "theme_item__name", "x_kind": "kind",
                "x_overall": "overall_score", "x_recommend": "recommend_score",
                **{f"x_{n}": n for n in dims},
                "x_comment": "comment", "x_public": "public_comment", "x_state": "state",
                "x_wants": "wants_reply", "x_name": "name", "x_phone": "phone",
                "x_email": "email", "x_due": "reply_due_at", "x_replied": "first_replied_at",
                "x_closed": "closed_at",
            },
        )
        zone = dashboard.local_zone().key

        def safe(expr):
            return cx.safe(expr, FORMULA_PREFIXES), []

        if self.unmasked:
            name, phone, email, text = "f.x_name", "f.x_phone", "f.x_email", "f.x_comment"
        else:  # uses_copy() made sure every row with a comment has its public version
            name, phone = cx.mask_name("f.x_name"), cx.mask_phone("f.x_phone")
            email, text = cx.mask_email("f.x_email", MASK), "f.x_public"
        clock = {key: safe_cell(label) for key, label in self.clock.items()}
        cells = [
            safe("f.x_ref"),
            cx.local_time("f.x_created", zone),
            safe("f.x_activity"),
            safe("f.x_theme"),
            safe("f.x_item"),
            cx.labels("f.x_kind", {k: safe_cell(v) for k, v in self.kinds.items()}),
            ("f.x_overall", []),
            ("f.x_recommend", []),
            *[(f"f.x_{n}", []) for n in dims],
            safe(text),
            cx.labels("f.x_state", {k: safe_cell(v) for k, v in self.states.items()}),
            (
                "NULLIF(CASE WHEN f.x_wants THEN %s WHEN NOT f.x_wants THEN %s END, '')",
                [safe_cell(self.yes), safe_cell(self.no)],
            ),
            safe(name),
            safe(phone),
            safe(email),
            cx.local_time("f.x_due", zone),
            cx.local_time("f.x_replied", zone),
            (
                "NULLIF(CASE WHEN f.x_due IS NULL THEN NULL "
                "WHEN f.x_replied IS NOT NULL THEN "
                "CASE WHEN f.x_replied <= f.x_due THEN %s ELSE %s END "
                "WHEN f.x_due <= %s THEN %s ELSE %s END, '')",
                [clock["on_time"], clock["late"], self.now, clock["overdue"], clock["due"]],
            ),
            cx.local_time("f.x_closed", zone),
        ]
        params = [param for _sql, cell_params in cells for param in cell_params]
        select = ", ".join(sql for sql, _params in cells)
        # Fixed SQL text around the ORM's; every value is a %s parameter (copy_export).
        sql = f"SELECT {select} FROM ({inner}) AS f ORDER BY {order}"  # noqa: S608
        return sql, params + inner_params

    def _clock(self, due, replied) -> str:
        if due is None:
            return ""
        if replied is not None:
            return self.clock["on_time"] if replied <= due else self.clock["late"]
        return self.clock["overdue"] if due <= self.now else self.clock["due"]

    def summary(self) -> list[tuple[str, object]]:
        figures = dashboard.feedback_figures(self.filters, now=self.now)
        rows = [(label, value) for label, value in self.filters.describe()]
        rows += [
            (_("有效反馈数"), figures.received),
            (_("平均总体满意度"), round(figures.average, 2) if figures.average else None),
            (_("不满意(1–6)"), figures.low),
            (_("满意(7–8)"), figures.mid),
            (_("非常满意(9–10)"), figures.high),
            (_("净推荐值(NPS)"), figures.nps),
            (_("推荐者(9–10)"), figures.promoters),
            (_("中立者(7–8)"), figures.passives),
            (_("贬损者(0–6)"), figures.detractors),
            (_("投诉"), figures.complaints),
            (_("工单"), figures.cases),
            (_("按时首次回复"), figures.on_time),
            (_("超时后回复"), figures.late),
            (_("已超时未回复"), figures.overdue),
            (_("按时首次回复率(%)"), figures.on_time_percent),
        ]
        for _name, label, average in figures.dimensions:
            rows.append((_("平均分:%(dimension)s") % {"dimension": label},
                         round(average, 2) if average is not None else None))
        return rows

    def chart(self):
        points = [(str(score), count) for score, count in
                  dashboard.satisfaction_distribution(self.filters)]
        return _("总体满意度分布"), _("评价数"), points


# --- Attendee list for one session (staff at the door) ------------------------------------


class AttendeeExporter(Exporter):
    name = "attendees"
    permissions = ("feedback.export_reports", "campaigns.change_signup")
    widths = (12, 10, 14, 10, 8, 10, 24, 24, 17, 10)

    def __init__(self, *, session: Session, **kwargs):
        super().__init__(**kwargs)
        self.session = session
        self.statuses = {value: str(label) for value, label in Signup.Status.choices}

    def title(self) -> str:
        return _("签到名单:%(session)s") % {"session": str(self.session)}

    def filename(self, fmt: str) -> str:
        return f"attendees-session{self.session.pk}.{fmt}"

    def audit_target(self):
        return self.session

    def audit_filters(self) -> dict:
        return {"session": self.session.pk}

    def headers(self) -> list[str]:
        return [
            _("报名编号"), _("姓名"), _("手机号码"), _("状态"), _("同行人数"),
            _("同行人中有未成年人"), _("无障碍需求"), _("关注内容"), _("提交时间"), _("签到"),
        ]

    def rows(self) -> Iterator[list]:
        status = Signup.Status
        rows = (
            Signup.objects.filter(session=self.session)
            .exclude(status=status.CANCELLED)
            .annotate(
                rank=Case(
                    When(status=status.WAITLISTED, then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            )
            .order_by("rank", "name", "id")
            .values_list(
                "reference", "name", "phone", "status", "companions", "with_minors",
                "accessibility_needs", "interests", "created_at",
            )
        )
        for (ref, name, phone, state, companions, minors, needs, interests,
             created) in rows.iterator(chunk_size=CHUNK_SIZE):
            name, phone, _email = self.person(name, phone)
            yield [
                format_code(ref), name, phone, self.statuses[state], companions,
                self.flag(minors), self.free_text(needs), self.free_text(interests),
                local(created), "",
            ]

    def summary(self) -> list[tuple[str, object]]:
        session = self.session
        return [
            (_("活动"), session.activity.title),
            (_("场次"), session.title),
            (_("开始时间"), local(session.starts_at)),
            (_("地点"), _("线上") if session.is_online else f"{session.city} {session.venue}"),
            (_("名额"), session.capacity),
            (_("已占名额"), session.places_taken),
        ]


# --- Officer applications -----------------------------------------------------------------


class ApplicationExporter(Exporter):
    name = "applications"
    permissions = ("feedback.export_reports", "campaigns.change_officerapplication")
    widths = (12, 20, 10, 14, 22, 8, 10, 12, 8, 10, 10, 12, 48, 24, 17, 17)

    def __init__(self, *, filters: dashboard.DashboardFilters | None = None, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters or dashboard.DashboardFilters()
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

    def audit_target(self):
        return self.filters.activity or super().audit_target()

    def audit_filters(self) -> dict:
        return self.filters.as_params()

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
                "reference", "activity__title", "name", "phone", "email", "city", "status",
                "occupation", "birth_year", "participation", "tenure", "theme__name",
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
        rows = [(label, value) for label, value in self.filters.describe()]
        rows += [
            (label, count) for _value, label, count in dashboard.application_figures(self.filters)
        ]
        return rows


EXPORTERS: dict[str, type[Exporter]] = {
    FeedbackExporter.name: FeedbackExporter,
    AttendeeExporter.name: AttendeeExporter,
    ApplicationExporter.name: ApplicationExporter,
}


def http_response(exporter: Exporter, fmt: str):
    """A streamed CSV, or an XLSX built in a temporary file and streamed from it."""
    filename = exporter.filename(fmt)
    if fmt == "csv":
        response = StreamingHttpResponse(
            exporter.csv_chunks(), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        handle = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
        exporter.write_xlsx(handle)
        handle.seek(0)
        response = FileResponse(
            handle, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
        )
    response["Cache-Control"] = "no-store"
    return response
