"""Masking personal data: the one home of every mask the site shows or exports.

Names, mobile numbers and emails in their own fields (`mask_name`, `mask_phone`,
`mask_email`), and personal data inside free text (`mask_personal_data`: ID numbers, mobile
numbers and emails) for public display, staff without "view personal data" and exports.
"""

import re
import unicodedata

from .phone import MOBILE_RE

MASK = "*"

# Emails in the normalised copy (full-width ＠ and letters are ASCII there).
_EMAIL_IN_TEXT = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# At most this many separators (anything but a letter or a digit) between two digits of one
# number: "138.1234.5678", "138 - 1234 - 5678", "138\u200b1234\u200b5678".
MAX_SEPARATORS = 3
_DIGITS = frozenset("0123456789")
_PREFIXED_MOBILE = re.compile(r"0086" + MOBILE_RE.pattern)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def mask_phone(phone: str) -> str:
    """'13812341234' (or '138 1234-1234') → '138****1234'; under 7 digits, all stars."""
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_name(name: str) -> str:
    """'王小明' → '王**', 'Alice' → 'A**': the first character and two stars, whatever the
    length, so the mask does not tell how long the name is."""
    name = (name or "").strip()
    return name[0] + "**" if name else ""


def mask_id_number(value: str) -> str:
    return value[:1] + MASK * (len(value) - 2) + value[-1:]


def mask_email(value: str) -> str:
    """'wang@example.com' → 'w***@example.com'; empty stays empty."""
    if not value:
        return ""
    local, _at, domain = value.partition("@")
    return f"{local[:1]}{MASK * 3}@{domain}"


def mask_personal_data(text: str, *, names: tuple[str, ...] = ()) -> str:
    """The public version of free text: ID numbers, mobile numbers and emails masked.

    Numbers are found however their digits are written: full-width, with up to
    MAX_SEPARATORS separators of any kind between digits (spaces, dots, dashes, slashes,
    underscores, zero-width and bidi marks…), glued to other digits or letters, with or
    without +86/0086. The search runs on a normalised copy whose positions map back to the
    text, so everything else is kept exactly as typed (full-width punctuation, emoji, line
    breaks). A masked number is written plainly: "138****5678", "1****************7".
    `names` (e.g. the author's own name, when known) are masked wherever they appear too.
    """
    if not text:
        return ""
    for name in sorted(
        {n.strip() for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True
    ):
        text = text.replace(name, mask_name(name))
    norm, origin = _normalised(text)
    edits: dict[int, str] = {}  # index in `text` → what it becomes ("" drops it)
    for run in _digit_runs(norm):
        _mask_numbers(run, norm, origin, edits)
    for match in _EMAIL_IN_TEXT.finditer(norm):
        _mask_email_at(match, norm, origin, edits)
    if not edits:
        return text
    return "".join(edits.get(i, char) for i, char in enumerate(text))


def _normalised(text: str) -> tuple[str, list[int]]:
    """NFKC of each character (full-width digits and ＠ become ASCII), and for each character
    of the copy the index of the character of `text` it came from."""
    chars, origin = [], []
    for index, char in enumerate(text):
        for part in unicodedata.normalize("NFKC", char):
            chars.append(part)
            origin.append(index)
    return "".join(chars), origin


def _digit_runs(norm: str) -> list[list[int]]:
    """Positions of the digits of each run: digits with at most MAX_SEPARATORS non-alphanumeric
    characters between neighbours; a final X (of an ID number) belongs to its run."""
    runs: list[list[int]] = []
    last = None
    for index, char in enumerate(norm):
        is_check_letter = char in "Xx" and last is not None
        if char not in _DIGITS and not is_check_letter:
            continue
        gap = norm[last + 1 : index] if last is not None else None
        joined = gap is not None and len(gap) <= MAX_SEPARATORS and not any(
            c.isalnum() for c in gap
        )
        if joined and norm[last] not in "Xx":
            runs[-1].append(index)
        elif char in _DIGITS:
            runs.append([index])
        else:
            last = None
            continue
        last = index
    return runs


def _valid_id(digits: str) -> bool:
    """An 18-character resident ID number with a correct check character (GB 11643)."""
    total = sum(int(d) * w for d, w in zip(digits[:17], ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11] == digits[17].upper()


def _mask_numbers(run: list[int], norm: str, origin: list[int], edits: dict) -> None:
    chars = "".join(norm[i] for i in run)
    # A run of exactly an ID number's length is masked as one (15 digits, or 17 and a check),
    # unless it is a mobile number behind 0086.
    is_id = (len(chars) == 15 and chars.isdigit() and not _PREFIXED_MOBILE.fullmatch(chars)) or (
        len(chars) == 18 and chars[:17].isdigit()
    )
    if is_id:
        _replace(run, origin, edits, mask_id_number(chars))
        return
    covered: set[int] = set()
    for start in range(len(chars) - 17):
        window = chars[start : start + 18]
        if window[:17].isdigit() and _valid_id(window):
            _replace(run[start : start + 18], origin, edits, mask_id_number(window))
            covered.update(range(start, start + 18))
    for start in range(len(chars) - 10):
        window = chars[start : start + 11]
        if MOBILE_RE.fullmatch(window) and not covered.issuperset(range(start, start + 11)):
            _replace(run[start : start + 11], origin, edits, mask_phone(window))


def _replace(positions: list[int], origin: list[int], edits: dict, masked: str) -> None:
    """Write `masked` (one character per digit) over the digits at `positions` of the copy,
    dropping the separators between them; overlapping numbers keep every star."""
    first, last = origin[positions[0]], origin[positions[-1]]
    digit_at = {origin[p]: masked[n] for n, p in enumerate(positions)}
    for index in range(first, last + 1):
        new = digit_at.get(index, "")
        if edits.get(index) != MASK:
            edits[index] = new


def _mask_email_at(match: re.Match, norm: str, origin: list[int], edits: dict) -> None:
    """Keep the first character of the name and the domain: "w***@example.com"."""
    at = match.start() + match.group(0).index("@")
    first, at_index = origin[match.start()], origin[at]
    edits.pop(first, None)
    for index in range(first + 1, at_index):
        edits[index] = ""
    edits[at_index] = MASK * 3 + "@"
