"""Mainland mobile numbers: what people type is accepted, stored as 11 digits, shown masked."""

import pytest

from campaigns.masking import mask_name, mask_phone
from campaigns.phone import normalize_mobile


@pytest.mark.parametrize(
    "typed",
    [
        "13800138000",
        "138 0013 8000",
        "138-0013-8000",
        "+86 138 0013 8000",
        "+86-13800138000",
        "0086 13800138000",
        "8613800138000",
        " 138 0013 8000 ",
        "１３８００１３８０００",  # full-width digits from a Chinese keyboard
    ],
)
def test_common_ways_of_typing_a_number_are_accepted(typed):
    assert normalize_mobile(typed) == "13800138000"


@pytest.mark.parametrize(
    "typed",
    ["", "12800138000", "1380013800", "138001380001", "+1 415 555 0100", "abc", "138o0138000",
     "02012345678", "+86 12800138000", "13800138000; DROP TABLE", "1٣٨٠٠١٣٨٠٠٠"],
)
def test_anything_else_is_refused(typed):
    with pytest.raises(ValueError):
        normalize_mobile(typed)


def test_masks_for_staff_without_personal_data_permission():
    assert mask_phone("13812341234") == "138****1234"
    assert mask_name("王小明") == "王**"
    assert mask_name("王") == "王**"
    assert mask_name("欧阳娜娜") == "欧**"
