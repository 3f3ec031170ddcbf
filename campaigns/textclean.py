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
    """A CharField that drops control characters before its length is checked.

    A long text (a textarea) gets no `maxlength`: the browser would cut a pasted text without
    a word. It carries `data-maxlength` instead, for the live count (static/js/char-count.js),
    and the server refuses a text that is too long with a message, keeping it all.
    """

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.Textarea) and "maxlength" in attrs:
            attrs["data-maxlength"] = attrs.pop("maxlength")
        return attrs

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return clean_text(value)
