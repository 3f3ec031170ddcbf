"""Masking personal data: the one home of every mask the site shows or exports.

Names, mobile numbers and emails in their own fields (`mask_name`, `mask_phone`,
`mask_email`), and personal data inside free text (`mask_personal_data`: ID numbers, mobile
numbers and emails) for public display, staff without "view personal data" and exports.
"""

import re
import unicodedata

from .phone import MOBILE_RE

MASK = "*"

# Mainland mobile numbers, optionally with +86/0086 and spaces or dashes between digits.
_PHONE_IN_TEXT = re.compile(r"(?<![\dA-Za-z])(?:(?:\+|00)?86[\s-]?)?(1[3-9](?:[\s-]?\d){9})(?!\d)")
# Resident ID numbers: 18 characters (last may be X) or the old 15 digits.
_ID_IN_TEXT = re.compile(r"(?<![\dA-Za-z])(\d{17}[\dXx]|\d{15})(?![\dA-Za-z])")
# Digits with single spaces or dashes between them: where a number glued to other digits or
# letters ("Tel13812345678", "订单513812345678") hides from the pattern above.
_DIGIT_RUN = re.compile(r"[0-9](?:[\s-]?[0-9])*")
_EMAIL_IN_TEXT = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


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

    `names` (e.g. the author's own name, when known) are masked wherever they appear too.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    for name in sorted(
        {n.strip() for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True
    ):
        text = text.replace(name, mask_name(name))
    text = _EMAIL_IN_TEXT.sub(lambda m: mask_email(m.group(0)), text)
    text = _ID_IN_TEXT.sub(lambda m: mask_id_number(m.group(1)), text)
    text = _PHONE_IN_TEXT.sub(lambda m: mask_phone(m.group(1)), text)
    return _DIGIT_RUN.sub(_mask_mobiles_in_run, text)


def _mask_mobiles_in_run(match: re.Match) -> str:
    """Star the middle four digits of every mobile number inside a run of digits."""
    run = match.group(0)
    positions = [i for i, char in enumerate(run) if char.isdigit()]
    digits = "".join(run[i] for i in positions)
    hidden = set()
    for start in range(len(digits) - 10):
        if MOBILE_RE.fullmatch(digits, start, start + 11):
            hidden.update(positions[start + 3 : start + 7])
    if not hidden:
        return run
    return "".join(MASK if i in hidden else char for i, char in enumerate(run))
