"""Masking holds however a number is written, and leaves everything else as typed.

Hypothesis writes mobile numbers and resident ID numbers the ways people (and people trying
to get past a filter) write them: any run of up to three separators between digits (spaces,
dots, underscores, slashes, dashes of every width, middle dots, full-width spaces,
zero-width and bidi marks), full-width digits, +86/0086 in front, among Chinese text,
full-width punctuation, emoji and other numbers. The digits of the public text must never
hold the whole number; text without personal data must come out exactly as it went in.
"""

import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from campaigns.masking import ID_CHECK, ID_WEIGHTS, mask_personal_data

EXAMPLES = settings(max_examples=200, deadline=None)

SEPARATORS = [
    " ", ".", "_", "/", "\\", "-", "‐", "‑", "–", "—", "―", "－", "·", "・", "\u3000", "\t",
    "\n", ",", "，", "、", "(", ")", "（", "）", "\u200b", "\u200c", "\u200d", "\u2060",
    "\ufeff", "\u202a", "\u202d", "\u202e", "\u2066", "\u2069",
]
CHINESE = "我的号码是请联系电话身份证客服营业厅网络信号很好不错谢谢您"
PUNCTUATION = "，。：；？！（）「」、…"
FULL_WIDTH = str.maketrans("0123456789Xx", "０１２３４５６７８９ＸＸ")

mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)


@st.composite
def id_numbers(draw) -> str:
    """A resident ID number with a correct check character."""
    body = draw(st.from_regex(r"[1-6][0-9]{5}(19[5-9][0-9]|20[01][0-9])(0[1-9]|1[0-2])"
                              r"(0[1-9]|[12][0-9])[0-9]{3}", fullmatch=True))
    total = sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True))
    return body + ID_CHECK[total % 11]


@st.composite
def written(draw, number: str) -> str:
    """`number` with 0–3 separators between any two characters, some digits full-width."""
    parts = []
    for index, char in enumerate(number):
        if index:
            count = draw(st.integers(0, 3) if draw(st.booleans()) else st.just(0))
            parts.extend(draw(st.lists(st.sampled_from(SEPARATORS), min_size=count,
                                       max_size=count)))
        parts.append(char.translate(FULL_WIDTH) if draw(st.booleans()) else char)
    return "".join(parts)


def chinese_text(max_size: int = 12):
    return st.text(alphabet=CHINESE + PUNCTUATION + "😀👍\n", max_size=max_size)


def has_a_letter(words: str) -> bool:
    """Numbers of ordinary text are apart: a word stands between them, not only punctuation
    (digits with at most three punctuation marks between them are read as one number)."""
    return any(char in CHINESE for char in words)


def digits_of(text: str) -> str:
    """What a reader gets by joining the digits (and an ID's X) of the public text."""
    normal = unicodedata.normalize("NFKC", text)
    return "".join(c for c in normal if c.isdigit() or c in "Xx").upper()


@EXAMPLES
@given(
    number=mobiles,
    data=st.data(),
    prefix=st.sampled_from(["", "+86", "+86 ", "0086", "0086-", "86"]),
    before=chinese_text(),
    after=chinese_text(),
    other=st.from_regex(r"[0-9]{0,6}", fullmatch=True),
)
@example(number="13812345679", data=None, prefix="", before="", after="", other="")
def test_a_mobile_number_never_shows_whole(number, data, prefix, before, after, other):
    shown = data.draw(written(number)) if data is not None else "138.1234.5679"
    text = f"{other}{before}{prefix}{shown}{after}{other}"

    public = mask_personal_data(text)

    assert number not in digits_of(public), public


@EXAMPLES
@given(number=id_numbers(), data=st.data(), before=chinese_text(), after=chinese_text(),
       glued=st.from_regex(r"[0-9]{0,4}", fullmatch=True))
def test_an_id_number_never_shows_whole(number, data, before, after, glued):
    text = f"{before}{glued}{data.draw(written(number))}{after}"

    public = mask_personal_data(text)

    assert number not in digits_of(public), public


@EXAMPLES
@given(parts=st.lists(st.tuples(chinese_text(6).filter(has_a_letter),
                                st.from_regex(r"[0-9]{0,5}", fullmatch=True)), max_size=8))
@example(parts=[("很耐心，讲解清楚：", "5"), ("G网络！😀\n第二行（好）", "")])
@example(parts=[("编号…", "00000"), ("号…", "00000")])
def test_text_without_personal_data_is_published_exactly_as_typed(parts):
    text = "".join(words + number for words, number in parts)

    assert mask_personal_data(text) == text


def test_the_ways_of_writing_found_in_the_trial_are_all_masked():
    for typed in ("138.1234.5679", "138_1234_5680", "138/1234/5681", "138 - 1234 - 5683",
                  "138—1234—5685", "138\u200b1234\u200b5678", "１３８·１２３４·５６７８"):
        public = mask_personal_data(f"电话{typed}，谢谢")
        assert public.startswith("电话138****") and public.endswith("，谢谢"), public
    assert mask_personal_data("身份证 110105 19491231 0021") == "身份证 1****************1"
    assert mask_personal_data("邮箱 wang＠example.com") == "邮箱 w***@example.com"
