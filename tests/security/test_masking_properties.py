"""Staff lists and the public wall never show a whole mobile number, whatever surrounds it.

Properties checked with Hypothesis for every valid mainland mobile number (1[3-9] and nine
more digits): `mask_phone` shows exactly the first 3 and the last 4 digits, and
`mask_personal_data` leaves no complete number in free text, however it is written
(+86, spaces, dashes, full-width digits) and whatever text, digits or letters stand next to it.
"""

import re
import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from campaigns.masking import mask_personal_data, mask_phone

EXAMPLES = settings(max_examples=150, deadline=None)

mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@st.composite
def written(draw, number: str) -> str:
    """The number as people type it."""
    style = draw(st.sampled_from(["plain", "dashes", "spaces", "+86", "0086 ", "full-width"]))
    if style == "dashes":
        return f"{number[:3]}-{number[3:7]}-{number[7:]}"
    if style == "spaces":
        return f"{number[:3]} {number[3:7]} {number[7:]}"
    if style == "+86":
        return "+86" + number
    if style == "0086 ":
        return "0086 " + number
    if style == "full-width":
        return number.translate(FULL_WIDTH)
    return number


def visible_number_text(text: str) -> str:
    """The text as a reader joins a number: full-width digits as digits, no spaces or dashes."""
    return re.sub(r"[\s-]", "", unicodedata.normalize("NFKC", text))


@EXAMPLES
@given(number=mobiles)
def test_mask_phone_shows_only_the_first_three_and_last_four_digits(number):
    masked = mask_phone(number)

    assert masked == number[:3] + "****" + number[-4:]
    assert number not in masked and len(masked) == 11


@EXAMPLES
@given(number=mobiles, separator=st.sampled_from(["-", " ", "\u3000"]))
def test_mask_phone_is_the_same_with_separators(number, separator):
    typed = separator.join([number[:3], number[3:7], number[7:]])

    assert mask_phone(typed) == number[:3] + "****" + number[-4:]


@EXAMPLES
@given(number=mobiles, before=st.text(max_size=30), after=st.text(max_size=30), data=st.data())
@example(number="13812345678", before="Tel", after="", data=None)
@example(number="13812345678", before="订单5", after="9号", data=None)
@example(number="13812345678", before="", after="@", data=None)
@example(number="13812345678", before="1300000", after="", data=None)
def test_free_text_never_keeps_a_whole_mobile_number(number, before, after, data):
    shown = data.draw(written(number)) if data is not None else number
    masked = mask_personal_data(before + shown + after)

    assert number not in visible_number_text(masked), masked

