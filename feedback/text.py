"""Generic helpers for personal data in text: masking for public display, phone numbers.

Kept free of feedback specifics so that they can be shared with the signup code later.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MASK = "*"

# Mainland mobile numbers, optionally with +86/0086 and spaces or dashes between digits.
_PHONE_IN_TEXT = re.compile(r"(?<![\dA-Za-z])(?:(?:\+|00)?86[\s-]?)?(1[3-9](?:[\s-]?\d){9})(?!\d)")
# Resident ID numbers: 18 characters (last may be X) or the old 15 digits.
_ID_IN_TEXT = re.compile(r"(?<![\dA-Za-z])(\d{17}[\dXx]|\d{15})(?![\dA-Za-z])")
_EMAIL_IN_TEXT = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_PHONE_SEPARATORS = re.compile(r"[\s\-()()]")


def mask_phone(phone: str) -> str:
    """'13812341234' → '138****1234'; anything shorter than 7 characters is fully masked."""
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) < 7:
        return MASK * len(digits)
    return digits[:3] + MASK * (len(digits) - 7) + digits[-4:]


def mask_name(name: str) -> str:
    """'王小明' → '王**', 'Li Lei' → 'L**': the first character and two stars."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + MASK * 2


def mask_id_number(value: str) -> str:
    return value[:1] + MASK * (len(value) - 2) + value[-1:]


def mask_email(value: str) -> str:
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
    return _PHONE_IN_TEXT.sub(lambda m: mask_phone(m.group(1)), text)


def normalize_phone(value: str) -> str:
    """Accept '+86 138-1234-1234', full-width digits etc.; return 11 digits or raise."""
    raw = _PHONE_SEPARATORS.sub("", unicodedata.normalize("NFKC", value or ""))
    if raw.startswith("+86"):
        raw = raw[3:]
    elif raw.startswith("0086"):
        raw = raw[4:]
    elif raw.startswith("86") and len(raw) == 13:
        raw = raw[2:]
    if not _MOBILE.match(raw):
        raise ValidationError(
            _("请输入正确的11位手机号码(例如 13812345678)。"), code="invalid_phone"
        )
    return raw
