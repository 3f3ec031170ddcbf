"""The feedback report: every feedback row with its scores, state and 48-hour clock."""

from collections.abc import Iterator

from django.db import connections
from django.utils.translation import gettext as _

from campaigns.clock import CaseClock, clock_state
from campaigns.content import content_expression
from campaigns.masking import MASK, mask_personal_data
from feedback.models import DIMENSIONS, Feedback

from .. import copy_export
from ..days import local_zone
from ..selectors import feedback_figures, feedback_rows, satisfaction_distribution
from .base import CHUNK_SIZE, FORMULA_PREFIXES, FilteredExporter, local, safe_cell


class FeedbackExporter(FilteredExporter):
    name = "feedback"
    widths = (12, 17, 20, 12, 14, 8, 8, 8, *(8,) * len(DIMENSIONS), 48, 10, 10, 12, 14, 22,
              17, 17, 12, 17)

    def __init__(self, *, now=None, copy: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.now = now or self.created_at
        # CSV through PostgreSQL's COPY when possible (see uses_copy()); False: always the
        # Python rows (the reference the COPY path is tested against).
        self.copy = copy
        self.kinds = {value: str(label) for value, label in Feedback.Kind.choices}
        self.states = {value: str(label) for value, label in Feedback.State.choices}
        self.clock = {
            CaseClock.NONE: "",
            CaseClock.ON_TIME: _("按时"),
            CaseClock.LATE: _("超时后回复"),
            CaseClock.OVERDUE: _("已超时未回复"),
            CaseClock.DUE: _("未到期"),
        }

    def title(self) -> str:
        return _("体验反馈报表")

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
        names = self.names()
        fields = [
            "reference", "created_at", *names, "kind", "overall_score", "recommend_score",
            *[n for n, _l in DIMENSIONS],
            "comment", "public_comment", "state", "wants_reply", "name", "phone", "email",
            "reply_due_at", "first_replied_at", "closed_at",
        ]
        rows = feedback_rows(self.filters).annotate(**names).values_list(*fields)
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
                self.clock[clock_state(due=due, replied=replied, now=self.now)], local(closed),
            ]

    @staticmethod
    def names() -> dict:
        """The activity, theme and product as the page shows them (the English name, or the
        Chinese for want of one): SQL expressions both paths read, so they agree."""
        return {
            "x_activity": content_expression("activity__title"),
            "x_theme": content_expression("theme__name"),
            "x_item": content_expression("theme_item__name"),
        }

    # --- CSV through COPY (PostgreSQL) ---------------------------------------------------

    def uses_copy(self) -> bool:
        """On PostgreSQL the CSV comes from COPY, unless a masked export meets rows stored
        without their public (masked) text: only Python's mask_personal_data() can make
        that, so such an export takes the Python path whole (same bytes, slower)."""
        rows = feedback_rows(self.filters)
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

    def copy_csv_chunks(self) -> Iterator[bytes]:
        """The COPY path whether or not uses_copy() agrees. `progress` is called while the
        COPY holds this connection, so it must write through another one (background
        jobs do: copy_export.copy_csv_chunks)."""
        sql, params = self.copy_select()
        yield from copy_export.copy_csv_chunks(
            feedback_rows(self.filters).db, sql, params,
            header=self.csv_header().encode("utf-8"), progress=self.progress,
            progress_every=self.progress_every,
        )

    def copy_select(self) -> tuple[str, list]:
        """The SELECT (with %s placeholders, and its parameters) whose rows, written by
        COPY … (FORMAT csv), are byte for byte the lines of the Python path: rows()."""
        cx = copy_export
        dims = [n for n, _l in DIMENSIONS]
        inner, inner_params, order = cx.compile_rows(
            feedback_rows(self.filters),
            {
                "x_ref": "reference", "x_created": "created_at", **self.names(), "x_kind": "kind",
                "x_overall": "overall_score", "x_recommend": "recommend_score",
                **{f"x_{n}": n for n in dims},
                "x_comment": "comment", "x_public": "public_comment", "x_state": "state",
                "x_wants": "wants_reply", "x_name": "name", "x_phone": "phone",
                "x_email": "email", "x_due": "reply_due_at", "x_replied": "first_replied_at",
                "x_closed": "closed_at",
            },
        )
        zone = local_zone().key

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

    def summary(self) -> list[tuple[str, object]]:
        figures = feedback_figures(self.filters, now=self.now)
        rows = self.filter_summary()
        rows += [
            (_("有效反馈数"), figures.received),
            (_("平均总体满意度"), round(figures.average, 2) if figures.average else None),
            (_("不满意（1–6）"), figures.low),
            (_("满意（7–8）"), figures.mid),
            (_("非常满意（9–10）"), figures.high),
            (_("净推荐值（NPS）"), figures.nps),
            (_("推荐者（9–10）"), figures.promoters),
            (_("中立者（7–8）"), figures.passives),
            (_("贬损者（0–6）"), figures.detractors),
            (_("投诉"), figures.complaints),
            (_("工单"), figures.cases),
            (_("按时首次回复"), figures.on_time),
            (_("超时后回复"), figures.late),
            (_("已超时未回复"), figures.overdue),
            (_("按时首次回复率（%）"), figures.on_time_percent),
        ]
        for _name, label, average in figures.dimensions:
            rows.append((_("平均分：%(dimension)s") % {"dimension": label},
                         round(average, 2) if average is not None else None))
        return rows

    def chart(self):
        points = [(str(score), count) for score, count in
                  satisfaction_distribution(self.filters)]
        return _("总体满意度分布"), _("评价数"), points
