"""Report exports: one class per export, in the explicit registry `EXPORTERS`.

The web downloads (`feedback.reporting.views`), `manage.py export_feedback` and the
background jobs (`feedback.reporting.export_jobs`) all write through `Exporter.write()`.
"""

import tempfile

from django.http import FileResponse

from .applications import ApplicationExporter
from .attendees import AttendeeExporter
from .base import (
    CONTENT_TYPES,
    FORMATS,
    FORMULA_PREFIXES,
    Exporter,
    language_suffix,
    local,
    safe_cell,
)
from .feedback import FeedbackExporter
from .officers import OfficerReportExporter, OfficerRosterExporter

EXPORTERS: dict[str, type[Exporter]] = {
    FeedbackExporter.name: FeedbackExporter,
    AttendeeExporter.name: AttendeeExporter,
    ApplicationExporter.name: ApplicationExporter,
    OfficerRosterExporter.name: OfficerRosterExporter,
    OfficerReportExporter.name: OfficerReportExporter,
}

__all__ = [
    "CONTENT_TYPES",
    "EXPORTERS",
    "FORMATS",
    "FORMULA_PREFIXES",
    "ApplicationExporter",
    "AttendeeExporter",
    "Exporter",
    "FeedbackExporter",
    "OfficerReportExporter",
    "OfficerRosterExporter",
    "http_response",
    "language_suffix",
    "local",
    "safe_cell",
]


def http_response(exporter: Exporter, fmt: str) -> FileResponse:
    """The report written to a temporary file (memory stays flat whatever the rows), then
    streamed from it; the file goes when the response is closed."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    exporter.write(fmt, handle)
    handle.seek(0)
    response = FileResponse(
        handle, as_attachment=True, filename=exporter.filename(fmt),
        content_type=CONTENT_TYPES[fmt],
    )
    response["Cache-Control"] = "no-store"
    return response
