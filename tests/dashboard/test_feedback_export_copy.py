"""On PostgreSQL the feedback CSV comes from `COPY (SELECT …) TO STDOUT`: byte-identical to the
Python path (the reference) for hostile text, masked and unmasked users, both languages (names
with and without their English) and every filter."""

import datetime
import io
import sys

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from campaigns.masking import mask_personal_data
from campaigns.models import Activity
from campaigns.regions import Scope
from feedback.models import DIMENSIONS, Feedback
from feedback.reporting import copy_export
from feedback.reporting.exporters import FeedbackExporter
from feedback.reporting.filters import DashboardFilters
from tests.conftest import NOW
from tests.factories import (
    ActivityFactory,
    FeedbackFactory,
    SessionFactory,
    ThemeItemFactory,
    city,
    grant_personal_data,
    region,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

HOSTILE = [
    "=1+1",
    "+SUM(A1)",
    "-2+3",
    "@cmd",
    "\tTAB 开头",
    "\rCR 开头",
    'He said "hi", then left',
    "逗号,comma, and more",
    "第一行\n第二行",
    "CRLF\r\ninside",
    "请打13812345678联系我,邮箱 wang@example.com",
    "  前后空格  ",
    "'already quoted",
    "\\. lone backslash dot",
    '"',
    "营业厅排队时间有点长,希望增加自助终端。",
]
NAMES = ["王小明", " 李雷", "=SUM", "\u3000张三", "Alice", "", "-x", "@", "\t王"]
PHONES = ["13812345678", "", "138-1234", "12345", "+86138123", "13900001111"]
EMAILS = ["wang@example.com", "", "-x@evil.com", "=a@b.cn", "noat", "@lead.com", "a@b@c"]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("the COPY path needs PostgreSQL")


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 11, day, hour, minute, tzinfo=datetime.UTC)


@pytest.fixture
def varied(theme, other_theme, activity):
    """Every kind and state, the four reply clocks, NULL scores and items, hostile text in
    every text column, people with and without contact details; names with hostile English,
    and names without English (NULL or empty) that the English report shows in Chinese."""
    SessionFactory(activity=activity, city="北京")
    activity.title = '=HYPERLINK("http://evil"),点我'
    activity.title_en = '=HYPERLINK("http://evil"),click'
    activity.save(update_fields=["title", "title_en"])
    other_activity = ActivityFactory(campaign=theme.campaign, title="走进移动,\n第二期",
                                     kind=Activity.Kind.GM_RECEPTION)
    SessionFactory(activity=other_activity, city="上海")
    theme.name = "-优+网络"
    theme.name_en = "+Network,\r\nplus"
    theme.save(update_fields=["name", "name_en"])
    other_theme.name_en = ""
    other_theme.save(update_fields=["name_en"])
    items = [ThemeItemFactory(theme=theme, name='5G "套餐", 畅享', name_en='@5G "plan"'),
             ThemeItemFactory(theme=other_theme, name="@宽带"), None]
    kinds, states = Feedback.Kind.values, Feedback.State.values
    for i, comment in enumerate(HOSTILE * 2):
        created = at(10 + i % 10, (i * 7) % 24, (i * 13) % 60)
        kind = kinds[i % len(kinds)]
        state = states[i % len(states)]
        name, phone = NAMES[i % len(NAMES)], PHONES[i % len(PHONES)]
        wants_reply = bool(phone) and i % 2 == 0
        case = kind == Feedback.Kind.COMPLAINT or i % 5 == 0
        due = created + datetime.timedelta(hours=48) if case else None
        replied = None
        if case and i % 3 == 0:
            replied = created + datetime.timedelta(hours=5)  # on time
        elif case and i % 3 == 1:
            replied = created + datetime.timedelta(hours=60)  # late
        # else: no reply, overdue or still due depending on `now`
        scores = {
            field: (None if (i + n) % 3 == 0 else (i + n) % 10 + 1)
            for n, (field, _label) in enumerate(DIMENSIONS)
        }
        FeedbackFactory(
            reference=f"=R{i:03d}" if i % 4 == 0 else f"R{i:05d}",
            theme=theme if i % 2 else other_theme,
            theme_item=items[i % 3] if i % 2 and i % 3 != 2 else None,
            # One rating per phone and activity: activity feedback without a phone number.
            activity=None if phone else [activity, other_activity, None][(i // 6) % 3],
            kind=kind,
            state=state,
            rejection_reason="广告" if state == Feedback.State.REJECTED else "",
            overall_score=i % 10 + 1,
            recommend_score=i % 11,
            **scores,
            comment=comment,
            public_comment=HOSTILE[(i + 3) % len(HOSTILE)] if i % 4 == 1 else
            mask_personal_data(comment),
            wants_reply=wants_reply,
            consent_at=created if wants_reply else None,
            name=name,
            phone=phone,
            email=EMAILS[i % len(EMAILS)],
            created_at=created,
            reply_due_at=due,
            first_replied_at=replied,
            closed_at=replied + datetime.timedelta(hours=1) if replied and i % 2 else None,
        )
    # One row at a minute before midnight in Shanghai, in UTC the day before.
    FeedbackFactory(reference="MIDNIGHT", theme=theme, created_at=at(19, 15, 59),
                    comment="", public_comment="")
    return activity


def _csv(user, filters, *, copy: bool, language: str) -> bytes:
    with translation.override(language):
        exporter = FeedbackExporter(user=user, filters=filters, now=NOW, copy=copy)
        assert exporter.uses_copy() is copy
        return b"".join(exporter.csv_chunks())


def _filter_sets(theme, activity):
    return [
        DashboardFilters(),
        DashboardFilters(activity=activity),
        DashboardFilters(theme=theme, date_from=datetime.date(2026, 11, 12),
                         date_to=datetime.date(2026, 11, 16)),
        DashboardFilters(kind=Activity.Kind.GM_RECEPTION),
        DashboardFilters(region=city("北京")),
        DashboardFilters(region=region("110000"), scope=Scope(level="province",
                                                               codes=("110000",))),
    ]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("unmasked", [False, True], ids=["masked", "unmasked"])
def test_copy_csv_is_byte_identical_to_the_python_csv(
    varied, theme, analyst, language, unmasked
):
    user = grant_personal_data(analyst) if unmasked else analyst
    assert user.has_perm("campaigns.view_personal_data") is unmasked
    for filters in _filter_sets(theme, varied):
        reference = _csv(user, filters, copy=False, language=language)
        assert _csv(user, filters, copy=True, language=language) == reference, filters
    everything = _csv(user, DashboardFilters(), copy=True, language=language)
    assert everything.count(b"\r\n") > len(HOSTILE) * 2  # a line per row
    assert (b'"CRLF\r\ninside"' in everything) is unmasked  # masked: the public version
    names = ['"\'=HYPERLINK(""http://evil""),click"', '"\'+Network,\r\nplus"', '"\'@5G ""plan"""']
    chinese = ['"\'=HYPERLINK(""http://evil""),点我"', "'-优+网络", '"5G ""套餐"", 畅享"']
    for name in names:
        assert (name.encode() in everything) is (language == "en")
    for name in chinese:
        assert (name.encode() in everything) is (language == "zh-hans")
    for name in ['"走进移动,\n第二期"', "优+服务", "'@宽带"]:  # no English: Chinese in both
        assert name.encode() in everything
    if not unmasked:
        assert b"13812345678" not in everything
        assert "王小明".encode() not in everything


def test_masked_copy_shows_masks_and_no_formula_starts(varied, analyst):
    import csv

    text = _csv(analyst, DashboardFilters(), copy=True, language="zh-hans").decode("utf-8")
    assert text.startswith("\ufeff反馈编号,")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    header = rows[0]
    names = {row[header.index("姓名")] for row in rows[1:]}
    assert {"王**", "李**", "'=**", "张**", "A**", "", "'-**", "'@**"} <= names
    assert "138****5678" in {row[header.index("手机号")] for row in rows[1:]}
    assert "'-***@evil.com" in {row[header.index("电子邮箱")] for row in rows[1:]}
    for row in rows[1:]:
        assert len(row) == len(header)
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_rows_without_a_public_version_take_the_python_path_when_masked(theme, analyst):
    FeedbackFactory(theme=theme, comment="请打13812345678联系我", public_comment="")
    masked = FeedbackExporter(user=analyst, now=NOW)
    assert not masked.uses_copy()
    assert b"138****5678" in b"".join(masked.csv_chunks())
    assert FeedbackExporter(user=grant_personal_data(analyst), now=NOW).uses_copy()


def test_filter_values_are_bound_not_pasted(theme, analyst):
    FeedbackFactory(theme=theme)
    hostile = "北京'); DROP TABLE feedback_feedback; --"
    filters = DashboardFilters(kind=hostile)
    with translation.override("zh-hans"):
        exporter = FeedbackExporter(user=analyst, filters=filters, now=NOW)
        sql, params = exporter.copy_select()
        assert hostile not in sql and hostile in params
        lines = b"".join(exporter.csv_chunks()).decode("utf-8").splitlines()
    assert len(lines) == 1  # the header only
    assert Feedback.objects.count() == 1


def test_web_download_and_command_use_copy(as_user, analyst, theme, copies, tmp_path):
    from django.core.management import call_command

    FeedbackFactory(theme=theme, comment="=危险", public_comment="=危险")
    response = as_user(analyst).get(reverse("feedback:export_feedback", args=["csv"]))
    body = b"".join(response.streaming_content).decode("utf-8")
    assert "'=危险" in body and body.endswith("\r\n")
    out = tmp_path / "feedback.csv"
    call_command("export_feedback", "--format", "csv", "-o", str(out), stdout=io.StringIO())
    assert out.read_bytes().decode("utf-8") == body  # both masked, same rows
    assert len(copies) == 2


def test_python_whitespace_constant_matches_str_isspace():
    expected = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())
    assert expected == copy_export.PY_WHITESPACE
