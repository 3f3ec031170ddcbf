"""The SVG chart geometry: bars inside the plot, a zero line for negative values, labels that
fit, and the numbers for the table."""

from feedback.reporting.charts import HEIGHT, WIDTH, bar_chart, char_units, wrap_label


def _chart(data, **kwargs):
    return bar_chart(chart_id="c", title="t", description="d", data=data, headers=["a", "b"],
                     rows=[[label, value] for label, value in data], **kwargs)


def test_bars_are_proportional_and_inside_the_plot():
    chart = _chart([("1", 0), ("2", 5), ("3", 10)])
    heights = [bar.height for bar in chart.bars]
    assert heights[0] == 0 and heights[2] == 2 * heights[1]
    for bar in chart.bars:
        assert bar.x >= 0 and bar.x + bar.width <= WIDTH
        assert bar.y >= 0 and bar.y + bar.height <= HEIGHT
    assert not chart.is_empty


def test_negative_values_hang_below_the_zero_line():
    chart = _chart([("w1", -40), ("w2", 20), ("w3", 0)], low=-100, high=100)
    minus, plus, _zero = chart.bars
    assert minus.negative and minus.y == chart.zero_y
    assert plus.y + plus.height == chart.zero_y
    assert not chart.is_empty  # an NPS of 0 is a value
    assert [tick.text for tick in chart.ticks] == ["-100", "0", "100"]


def test_empty_and_all_zero_count_charts_are_empty():
    assert _chart([]).is_empty
    assert _chart([("1", 0), ("2", 0)]).is_empty


def test_long_labels_are_wrapped_whole_under_their_bar():
    data = [(f"优+网络 · 资费透明与账单清晰{i}", i + 1) for i in range(14)]
    chart = _chart(data, high=20)
    slot = (WIDTH - 44 - 8) / len(data)
    for bar, (label, _value) in zip(chart.bars, data, strict=True):
        assert bar.label == label
        assert "".join(bar.label_lines).replace(" ", "") == label.replace(" ", "")  # nothing cut
        assert "…" not in "".join(bar.label_lines)
        for line in bar.label_lines:
            assert sum(char_units(c) for c in line) * 12 <= slot + 0.01
    lines = max(len(bar.label_lines) for bar in chart.bars)
    assert chart.height == HEIGHT + (lines - 2) * 13  # the chart grows to hold them
    for bar in chart.bars:
        assert bar.y + bar.height <= HEIGHT - 44  # the plot itself keeps its size


def test_short_labels_stay_on_one_line_and_english_breaks_at_spaces():
    assert wrap_label("优+网络", 5) == ["优+网络"]
    assert wrap_label("Product usability", 5) == ["Product", "usability"]
    assert wrap_label("总经理接待日 · 北京", 4) == ["总经理接", "待日 ·", "北京"]
