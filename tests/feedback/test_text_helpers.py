"""Masking, phone normalisation and reference codes: the generic helpers in feedback/."""

import pytest
from django.core.exceptions import ValidationError

from feedback.references import ALPHABET, generate_reference, normalize_reference
from feedback.text import mask_name, mask_personal_data, mask_phone, normalize_phone


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("+86-138-1234-5678", "13812345678"),
        ("0086 13812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),  # full-width digits from a Chinese keyboard
        ("(138) 1234-5678", "13812345678"),
    ],
)
def test_phone_numbers_in_common_formats_are_normalised(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "12812345678", "1381234567", "138123456789", "010-12345678", "abc", "1" * 200]
)
def test_invalid_phone_numbers_get_a_clear_error(raw):
    with pytest.raises(ValidationError) as error:
        normalize_phone(raw)
    assert "11位手机号码" in error.value.messages[0]


def test_phone_and_name_masks():
    assert mask_phone("13812341234") == "138****1234"
    assert mask_name("王小明") == "王**"
    assert mask_name("欧阳娜娜") == "欧**"
    assert mask_name("") == ""


def test_free_text_masks_phones_id_numbers_and_emails():
    text = (
        "我的号码是13812345678,也可以打+86 139-1234-5678;"
        "身份证110101199003077777,旧证110101900307777;邮箱 wang.xm@example.com。"
    )
    masked = mask_personal_data(text)
    for secret in (
        "13812345678",
        "139-1234-5678",
        "110101199003077777",
        "110101900307777",
        "wang.xm@example.com",
    ):
        assert secret not in masked
    assert "138****5678" in masked
    assert "139****5678" in masked
    assert "1****************7" in masked
    assert "w***@example.com" in masked
    assert masked.startswith("我的号码是")


def test_free_text_without_personal_data_is_unchanged():
    text = "5G网速很快,下载1GB只要10秒,10086客服态度好。"
    assert mask_personal_data(text) == text


def test_references_avoid_ambiguous_characters_and_normalise():
    codes = {generate_reference() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(code) == 8 and set(code) <= set(ALPHABET) for code in codes)
    assert not set("01OIL") & set(ALPHABET)
    assert normalize_reference(" ab2c-d3ef ") == "AB2CD3EF"


def test_a_known_name_is_masked_in_free_text():
    assert mask_personal_data("我是王小明,王小明的号码", names=("王小明",)) == "我是王**,王**的号码"
    assert mask_personal_data("王先生", names=("王",)) == "王先生"  # single characters left alone
