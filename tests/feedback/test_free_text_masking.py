"""Phone numbers, ID numbers and emails in free text are masked in the public version."""

from campaigns.masking import mask_personal_data


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


def test_a_known_name_is_masked_in_free_text():
    assert mask_personal_data("我是王小明,王小明的号码", names=("王小明",)) == "我是王**,王**的号码"
    assert mask_personal_data("王先生", names=("王",)) == "王先生"  # single characters left alone
