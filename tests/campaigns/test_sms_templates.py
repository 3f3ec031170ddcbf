"""Every text message fits one SMS segment (70 characters, the 【sign】 included), whatever
the activity's title or the values are; longer values are cut visibly, not silently."""

import pytest

from campaigns.sms.catalogue import ELLIPSIS, SEGMENT_CHARS, SIGN_MAX_CHARS, TEMPLATES, build, fit


@pytest.mark.parametrize("kind", sorted(TEMPLATES))
def test_each_template_fits_one_segment_with_its_longest_values(kind, settings):
    settings.SMS_SIGN_NAME = "优" * SIGN_MAX_CHARS
    long_values = {name: "长" * (length + 20) for name, length in TEMPLATES[kind].variables}
    message = build(kind, "13800138000", **long_values)
    assert len(message.text) <= SEGMENT_CHARS, message.text
    assert message.text.startswith("【" + "优" * SIGN_MAX_CHARS + "】")


@pytest.mark.parametrize("kind", sorted(TEMPLATES))
def test_each_template_shows_every_variable(kind):
    values = {name: f"v{n}" for n, (name, _length) in enumerate(TEMPLATES[kind].variables)}
    message = build(kind, "13800138000", **values)
    for value in values.values():
        assert value in message.text
    assert list(message.params) == [name for name, _length in TEMPLATES[kind].variables]


def test_a_long_activity_title_is_cut_with_an_ellipsis():
    title = "走进移动·探秘5G网络大脑与智慧中台开放日特别场"
    message = build("signup_confirmed", "13800138000", activity=title, time="12月31日14:30",
                    reference="K7MX-Q4PA")
    assert message.params["activity"].endswith(ELLIPSIS)
    assert title.startswith(message.params["activity"][:-1])
    assert "K7MX-Q4PA" in message.text


def test_short_values_are_kept_as_they_are():
    assert fit("探秘5G网络大脑", 14) == "探秘5G网络大脑"
    assert fit("  两个   空格 ", 14) == "两个 空格"
