"""Server-rendered SVG bar charts: geometry computed here, drawn by
`templates/feedback/dashboard/_bar_chart.html`.

No script and no `style=""` (strict CSP): colours come from classes in
`static/css/dashboard.css`. Each chart carries its numbers as a table (`headers`, `rows`) that
the template prints below it for screen readers and for copying.

Category labels naming an activity or a theme are `ContentText`s: on the English site, one
shown in Chinese for want of English is marked lang="zh-Hans", in the table (which screen
readers read) and on the drawn label (the SVG is one image to them; the mark picks the
Simplified Chinese glyphs).
"""

from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from campaigns.content import ContentText
from feedback.models import DIMENSIONS

WIDTH = 640
HEIGHT = 260
LEFT = 44  # room for the axis labels
RIGHT = 8
TOP = 16
BOTTOM = 44  # room for category labels of one or two lines; more lines make the chart taller
MAX_LABELS = 16  # beyond this many bars only every n-th category label is written
LABEL_CHAR_WIDTH = 12  # a CJK character at 11px, in viewBox units
LINE_HEIGHT = 13  # between the lines of a wrapped category label


def char_units(char: str) -> float:
    """Width of a character in CJK characters (Latin letters and digits are about half)."""
    return 0.55 if ord(char) < 0x2E80 else 1


def wrap_label(label: str, fits: float) -> list[str]:
    """The whole label in lines of at most `fits` CJK-character widths; breaks at a space
    when one is near, anywhere between CJK characters."""
    lines, line, width = [], "", 0.0
    for char in label:
        if width + char_units(char) > fits and line:
            head, space, tail = line.rpartition(" ")
            if space and head and len(tail) < len(line) / 2:
                lines.append(head)
                line = tail
            else:
                lines.append(line)
                line = ""
            width = sum(map(char_units, line))
            if char == " " and not line:
                continue
        line += char
        width += char_units(char)
    if line.strip():
        lines.append(line)
    return lines


@dataclass
class Bar:
    label: str
    label_lines: list[str]  # the whole label, wrapped to the bar's width
    value: float | None
    text: str  # the value as shown
    x: float
    y: float
    width: float
    height: float
    negative: bool
    show_label: bool
    label_x: float


@dataclass
class Tick:
    value: float
    y: float
    text: str


@dataclass
class BarChart:
    chart_id: str
    title: str
    description: str
    bars: list[Bar]
    ticks: list[Tick]
    zero_y: float
    headers: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_x: int = WIDTH - RIGHT
    label_y: int = HEIGHT - BOTTOM + 16
    line_height: int = LINE_HEIGHT
    css_class: str = ""

    signed: bool = False  # a scale through zero (NPS): a zero is data, not "nothing"

    @property
    def is_empty(self) -> bool:
        if self.signed:
            return all(bar.value is None for bar in self.bars)
        return not any(bar.value for bar in self.bars)


def _nice_max(value: float) -> float:
    """The smallest 1/2/5 × 10^n at or above value (at least 1)."""
    if value <= 1:
        return 1
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def _fmt(value: float | None, decimals: int) -> str:
    if value is None:
        return "—"
    return f"{value:.{decimals}f}" if decimals else f"{round(value)}"


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    data: list[tuple[str, float | None]],
    headers: list[str],
    rows: list[list],
    low: float = 0,
    high: float | None = None,
    decimals: int = 0,
    suffix: str = "",
    css_class: str = "",
) -> BarChart:
    """Bars from `low` (≤ 0) to `high` (by default the next round number above the data)."""
    values = [value for _label, value in data if value is not None]
    if high is None:
        high = _nice_max(max(values, default=0))
    low = min(low, 0)
    span = (high - low) or 1
    plot_height = HEIGHT - TOP - BOTTOM
    plot_width = WIDTH - LEFT - RIGHT

    def y_of(value: float) -> float:
        return TOP + (high - value) / span * plot_height

    zero_y = y_of(0)
    count = max(len(data), 1)
    slot = plot_width / count
    gap = min(slot * 0.2, 12)
    every = -(-len(data) // MAX_LABELS) if len(data) > MAX_LABELS else 1
    fits = max(slot * every / LABEL_CHAR_WIDTH, 2)  # CJK characters under one label
    bars = []
    for index, (label, value) in enumerate(data):
        top = y_of(max(value or 0, 0))
        bottom = y_of(min(value or 0, 0))
        bars.append(
            Bar(
                label=label,
                label_lines=wrap_label(label, fits),
                value=value,
                text=_fmt(value, decimals) + (suffix if value is not None else ""),
                x=round(LEFT + index * slot + gap / 2, 2),
                y=round(top, 2),
                width=round(slot - gap, 2),
                height=round(max(bottom - top, 0), 2),
                negative=(value or 0) < 0,
                show_label=index % every == 0,
                label_x=round(LEFT + (index + 0.5) * slot, 2),
            )
        )
    tick_values = sorted({low, (low + high) / 2, high, 0} if low < 0 else {0, high / 2, high})
    ticks = [
        Tick(value=v, y=round(y_of(v), 2), text=_fmt(v, 0 if v == int(v) else 1) + suffix)
        for v in tick_values
    ]
    shown = [len(bar.label_lines) for bar in bars if bar.show_label]
    extra = max(max(shown, default=1) - 2, 0) * LINE_HEIGHT  # lines beyond the first two
    return BarChart(
        height=HEIGHT + extra,
        chart_id=chart_id,
        title=title,
        description=description,
        bars=bars,
        ticks=ticks,
        zero_y=round(zero_y, 2),
        headers=headers,
        rows=rows,
        css_class=css_class,
        signed=low < 0,
    )


# --- The dashboard's five charts ----------------------------------------------------------


def dashboard_charts(data) -> list[BarChart]:
    """The charts of a `selectors.Dashboard`, in the order the page shows them."""
    distribution = bar_chart(
        chart_id="chart-satisfaction",
        title=_("总体满意度分布"),
        description=_("每个分数（1–10）的评价数量"),
        data=[(str(score), count) for score, count in data.distribution],
        headers=[_("分数"), _("评价数")],
        rows=[[score, count] for score, count in data.distribution],
        css_class="chart-satisfaction",
    )
    weeks = [
        (date_format(row.week, "SHORT_DATE_FORMAT"), row.nps) for row in data.weeks
    ]
    nps = bar_chart(
        chart_id="chart-nps",
        title=_("每周净推荐值（NPS）"),
        description=_("按周（周一开始）统计的净推荐值，范围 −100 到 100"),
        data=weeks,
        low=-100,
        high=100,
        headers=[_("周（起始日）"), _("评价数"), _("推荐者"), _("贬损者"), _("NPS")],
        rows=[
            [label, row.ratings, row.promoters, row.detractors, row.nps]
            for (label, _nps), row in zip(weeks, data.weeks, strict=True)
        ],
        css_class="chart-nps",
    )
    days = bar_chart(
        chart_id="chart-signups",
        title=_("每日报名数"),
        description=_("按报名提交日期统计的报名数量（含候补和已取消）"),
        data=[(day.strftime("%m-%d"), count) for day, count in data.days],
        headers=[_("日期"), _("报名数")],
        rows=[[day.isoformat(), count] for day, count in data.days],
        css_class="chart-signups",
    )
    labels = [str(label) for _name, label in DIMENSIONS]
    theme_rows = data.theme_dimensions
    flattened = [
        (ContentText(f"{row.theme} · {label}", fallback=getattr(row.theme, "fallback", False)),
         avg)
        for row in theme_rows
        for label, avg in zip(labels, row.averages, strict=True)
        if avg is not None
    ]
    dimensions = bar_chart(
        chart_id="chart-dimensions",
        title=_("各主题分项平均分"),
        description=_("每个主题下各评价维度的平均分（1–10，未体验不计入）"),
        data=flattened,
        high=10,
        decimals=1,
        headers=[_("主题"), *labels],
        rows=[
            [row.theme, *[_fmt(avg, 1) for avg in row.averages]] for row in theme_rows
        ],
        css_class="chart-dimensions",
    )
    fill = bar_chart(
        chart_id="chart-fill",
        title=_("各活动名额使用率"),
        description=_("已占名额 ÷ 总名额（按活动汇总所选时段的场次）"),
        data=[(row.label, row.percent) for row in data.fill],
        high=100,
        suffix="%",
        headers=[_("活动"), _("已占名额"), _("总名额"), _("使用率")],
        rows=[
            [row.label, row.taken, row.capacity, _fmt(row.percent, 1) + "%"]
            for row in data.fill
        ],
        css_class="chart-fill",
    )
    regions = bar_chart(
        chart_id="chart-regions",
        title=_("各区域总体满意度"),
        description=_("各省（或所选省份的各城市）反馈的总体满意度平均分（1–10）"),
        data=[(row.name or str(_("全国")), row.satisfaction) for row in data.regions.rows],
        high=10,
        decimals=2,
        headers=[_("区域"), _("评价数"), _("满意度")],
        rows=[[row.name or str(_("全国")), row.sums["rows"], _fmt(row.satisfaction, 2)]
              for row in data.regions.rows],
        css_class="chart-regions",
    )
    return [distribution, nps, days, dimensions, fill, regions]
