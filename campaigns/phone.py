"""Mainland China mobile numbers: normalise what people type (masking: campaigns.masking)."""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MOBILE_RE = re.compile(r"1[3-9][0-9]{9}")
# Separators people type inside a number: spaces (incl. full-width), dashes, dots, brackets.
_SEPARATORS_RE = re.compile(r"[\s\-–—.()()]+")

INVALID_MESSAGE = _("请输入11位中国大陆手机号码，例如 138 0013 8000。")


def normalize_mobile(value: str) -> str:
    """Return the 11-digit number for '+86 138-0013-8000' and friends; ValueError otherwise."""
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    text = _SEPARATORS_RE.sub("", text)
    for prefix in ("+86", "0086", "86"):
        if text.startswith(prefix) and len(text) == len(prefix) + 11:
            text = text[len(prefix):]
            break
    if not MOBILE_RE.fullmatch(text):
        raise ValueError("not a mainland China mobile number")
    return text


def is_mobile(value: str) -> bool:
    try:
        normalize_mobile(value)
    except ValueError:
        return False
    return True


class MobileNumberField(forms.CharField):
    """A form field that accepts +86, spaces and dashes and cleans to 11 digits."""

    default_error_messages = {"invalid": INVALID_MESSAGE}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 24)
        kwargs.setdefault("label", _("手机号码"))
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "tel", "autocomplete": "tel"})
        return attrs

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        try:
            return normalize_mobile(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
