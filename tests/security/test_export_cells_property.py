"""Whatever a customer types, no cell of a feedback report can start a spreadsheet formula,
in CSV and in Excel alike, and no full mobile number leaves without the permission."""

import csv
import io
import re
import tempfile

import openpyxl
import pytest
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from campaigns.masking import mask_personal_data
from feedback.models import Feedback
from feedback.reporting.exporters import FORMULA_PREFIXES, FeedbackExporter, safe_cell
from tests.factories import AnalystFactory, FeedbackFactory

pytestmark = pytest.mark.django_db

# Text that starts like a formula, or anything at all (but NUL, which the forms refuse and
# PostgreSQL cannot store).
TEXT = st.characters(exclude_characters="\x00")
HOSTILE = st.one_of(
    st.tuples(st.sampled_from(FORMULA_PREFIXES), st.text(TEXT, max_size=40)).map("".join),
    st.text(TEXT, max_size=60),
)
EXAMPLES = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@given(value=HOSTILE)
def test_safe_cell_never_returns_a_formula_and_keeps_harmless_text(value):
    cell = safe_cell(value)
    assert not cell.startswith(FORMULA_PREFIXES)
    assert cell in (value, "'" + value)


def _starts_formula(cell) -> bool:
    return isinstance(cell, str) and cell.startswith(FORMULA_PREFIXES)


@EXAMPLES
@given(comment=HOSTILE, name=HOSTILE)
@example(comment="=13000000000", name="")  # a formula that is also a mobile number
def test_report_cells_are_never_formulas(comment, name):
    Feedback.objects.all().delete()
    FeedbackFactory(
        # The public text is what feedback_submit stores: the comment with numbers masked.
        comment=comment or "x", public_comment=mask_personal_data(comment or "x", names=(name,)),
        name=name, phone="13812345678",
        wants_reply=True, consent_at=timezone.now(), outcome=comment,
    )
    exporter = FeedbackExporter(user=AnalystFactory())
    text = b"".join(exporter.csv_chunks()).decode("utf-8-sig")
    for row in csv.reader(io.StringIO(text)):
        assert not any(_starts_formula(cell) for cell in row), row
    assert not re.search(r"1[3-9]\d{9}", text)

    with tempfile.NamedTemporaryFile(suffix=".xlsx") as out:
        exporter.write_xlsx(out)
        out.flush()
        book = openpyxl.load_workbook(out.name, read_only=True)
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                assert not any(_starts_formula(cell) for cell in row), row
