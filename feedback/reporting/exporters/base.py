"""What every report export shares: the `Exporter` base class and its rules.

Each export is one subclass in its own module (feedback, attendees, applications), listed in
the registry `feedback.reporting.exporters.EXPORTERS`. The web downloads, `manage.py
export_feedback` and the background jobs all call `Exporter.write(fmt, out)`. Rules:

- rows are read with `.iterator(chunk_size=2000)` and written as they come: CSV (UTF-8 with a
  BOM first, so Excel shows Chinese) line by line, XLSX by XlsxWriter in `constant_memory`
  mode; memory does not grow with rows (`bench/export_memory.py`, `docs/performance.md`);
- no cell starts a formula: `safe_cell()` neutralises text beginning with `=`, `+`, `-`, `@`,
  a tab or a carriage return, in CSV and XLSX alike;
- names, phone numbers, emails (and personal data inside free text) are masked unless the
  user may view personal data; every export is written to the audit log before data leaves
  (`campaigns.services.audit.audit_export`);
- in the requester's language (the language active when the exporter is created and
  written): headers, labels, and the names of activities, themes, products and tasks (the
  English name, or the Chinese where staff gave none: `campaigns.content`). The Chinese
  file is the report of record; a file in another language says so in its name
  (`feedback-20261126-1030-en.csv`, `language_suffix`). Times in Asia/Shanghai.
"""

import csv
import datetime
from collections.abc import Callable, Iterator

import xlsxwriter
from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from campaigns.access import can_view_personal_data, is_staff_with
from campaigns.masking import mask_email, mask_name, mask_personal_data, mask_phone
from campaigns.selectors import current_campaign
from campaigns.services.audit import audit_export

from ..days import local_wall_time
from ..filters import DashboardFilters

FORMATS = ("csv", "xlsx")
CHUNK_SIZE = 2000
PROGRESS_EVERY = 5000  # default rows between two calls of a `progress` callback
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DATETIME_FORMAT = "%Y-%m-%d %H:%M"


def language_suffix(language: str | None) -> str:
    """"-en" in the name of a file in English: only the Chinese one (the site's language) is
    the report of record, and a file's name should not let anyone mistake the other."""
    if not language or language == settings.LANGUAGE_CODE:
        return ""
    return f"-{language}"


def safe_cell(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


local = local_wall_time  # what a sheet shows: Asia/Shanghai wall-clock time

Progress = Callable[[int], None] | None


def counted(rows: Iterator[list], progress: Progress, every: int) -> Iterator[list]:
    """The rows as they are, calling `progress(n)` every `every` rows."""
    if progress is None:
        yield from rows
        return
    for number, row in enumerate(rows, 1):
        if number % every == 0:
            progress(number)
        yield row


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
        self.unmasked = can_view_personal_data(user)
        self.created_at = timezone.now()
        self.language = get_language()
        self.yes, self.no = _("是"), _("否")
        self.progress: Progress = None  # set by write()
        self.progress_every = PROGRESS_EVERY

    @classmethod
    def allowed(cls, user) -> bool:
        return is_staff_with(user, *cls.permissions)

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
        return f"{self.name}-{stamp}{language_suffix(self.language)}.{fmt}"

    def person(self, name: str, phone: str, email: str = "") -> tuple[str, str, str]:
        if self.unmasked:
            return name, phone, email
        return mask_name(name), mask_phone(phone), mask_email(email)

    def free_text(self, text: str, *, names: tuple[str, ...] = ()) -> str:
        return text if self.unmasked else mask_personal_data(text, names=names)

    def flag(self, value: bool | None) -> str:
        if value is None:
            return ""
        return self.yes if value else self.no

    def record(self, *, fmt: str):
        """Write the audit entry for this export (before the data leaves the server)."""
        return audit_export(
            actor=self.user, target=self.audit_target(), export=self.name, fmt=fmt,
            filters=self.audit_filters(), unmasked=self.unmasked,
        )

    # --- Writing: the one entry point -------------------------------------------------

    def write(self, fmt: str, out, *, progress: Progress = None,
              progress_every: int = PROGRESS_EVERY) -> None:
        """Write the report as `fmt` ("csv" or "xlsx") to a binary file object, without
        holding the rows in memory; `progress(rows)` is called every `progress_every` rows."""
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}")
        self.progress, self.progress_every = progress, progress_every
        if fmt == "csv":
            for chunk in self.csv_chunks():
                out.write(chunk)
        else:
            self.write_xlsx(out)

    # --- CSV -------------------------------------------------------------------------

    def csv_header(self) -> str:
        return BOM + csv.writer(_Echo()).writerow(self.headers())

    def counted_rows(self) -> Iterator[list]:
        """rows(), reporting progress as `write()` was asked to."""
        return counted(self.rows(), self.progress, self.progress_every)

    def csv_lines(self) -> Iterator[str]:
        writer = csv.writer(_Echo())
        yield self.csv_header()
        for row in self.counted_rows():
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

    # --- XLSX ------------------------------------------------------------------------

    def write_xlsx(self, out) -> None:
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
        for values in self.counted_rows():
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
                _("完整显示（已记录在操作记录中）") if self.unmasked else _("已脱敏"),
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


class FilteredExporter(Exporter):
    """An export of the rows the dashboard's filters select; audited on the filtered activity
    (or the campaign) with the filters."""

    def __init__(self, *, filters: DashboardFilters | None = None, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters or DashboardFilters()

    def audit_target(self):
        return self.filters.activity or super().audit_target()

    def audit_filters(self) -> dict:
        return self.filters.as_params()

    def filter_summary(self) -> list[tuple[str, object]]:
        return list(self.filters.describe())
