"""`manage.py export_feedback` writes the same report as the web download."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from campaigns.models import AuditEntry
from tests.factories import FeedbackFactory, StaffFactory, grant_personal_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(theme, other_theme, activity):
    when = datetime.datetime(2026, 11, 10, 4, 0, tzinfo=datetime.UTC)
    FeedbackFactory(theme=theme, activity=activity, reference="NOV10ACT", created_at=when,
                    wants_reply=True, name="王小明", phone="13812345678", consent_at=when)
    FeedbackFactory(theme=other_theme, reference="NOV10GEN", created_at=when)
    FeedbackFactory(theme=theme, reference="DEC01GEN",
                    created_at=datetime.datetime(2026, 12, 1, 4, 0, tzinfo=datetime.UTC))


def _run(*args):
    out = io.StringIO()
    call_command("export_feedback", *args, stdout=out)
    return out.getvalue()


def test_csv_with_date_range_and_activity(tmp_path, rows, activity):
    target = tmp_path / "report.csv"
    output = _run("--format", "csv", "--from", "2026-11-01", "--to", "2026-11-30",
                  "--activity", activity.slug, "-o", str(target))
    assert "masked" in output
    raw = target.read_bytes()
    assert raw.startswith("\ufeff".encode())
    data = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [row[0] for row in data[1:]] == ["NOV10ACT"]
    assert data[1][data[0].index("手机号")] == "138****5678"
    entry = AuditEntry.objects.get()
    assert entry.actor is None and entry.action == "export"
    assert entry.changes["filters"]["date_from"] == "2026-11-01"


def test_xlsx_in_english_by_date_only(tmp_path, rows):
    target = tmp_path / "report.xlsx"
    _run("--format", "xlsx", "--from", "2026-11-01", "--to", "2026-11-30", "--language", "en",
         "-o", str(target))
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["Summary", "Data"]
    refs = sorted(row[0] for row in book["Data"].iter_rows(min_row=2, values_only=True))
    assert refs == ["NOV10ACT", "NOV10GEN"]


def test_unmasked_only_for_a_user_with_the_permission(tmp_path, rows):
    staff = StaffFactory(is_superuser=False, username="reporter")
    target = tmp_path / "report.csv"
    _run("--format", "csv", "--user", "reporter", "-o", str(target))
    assert "13812345678" not in target.read_text(encoding="utf-8-sig")
    grant_personal_data(staff)
    output = _run("--format", "csv", "--user", "reporter", "-o", str(target))
    assert "unmasked" in output
    assert "13812345678" in target.read_text(encoding="utf-8-sig")
    assert AuditEntry.objects.filter(action="export_unmasked", actor=staff).count() == 1


@pytest.mark.parametrize(
    "args",
    [
        ["--activity", "no-such-activity"],
        ["--from", "2026-11-30", "--to", "2026-11-01"],
        ["--from", "30/11/2026"],
        ["--user", "nobody"],
    ],
)
def test_bad_arguments_are_refused(tmp_path, rows, args):
    with pytest.raises(CommandError):
        _run(*args, "-o", str(tmp_path / "x.csv"))
    assert not AuditEntry.objects.exists()
