"""Clean free text from the public before it is stored."""

import re
import unicodedata

from django import forms

# C0/C1 control characters except tab and newline, plus bidi overrides and zero-width marks
# that can be used to disguise text. Emoji and all printable characters are kept.
_UNWANTED_RE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)


def clean_text(value: str) -> str:
    text = unicodedata.normalize("NFC", str(value or "")).replace("\r\n", "\n").replace("\r", "\n")
    return _UNWANTED_RE.sub("", text).strip()


class CleanCharField(forms.CharField):
    """A CharField that drops control characters before its length is checked."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return clean_text(value)
