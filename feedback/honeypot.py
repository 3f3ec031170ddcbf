"""A honeypot form field: hidden from people (CSS, aria-hidden), filled in by bots."""

from django import forms
from django.utils.translation import gettext_lazy as _

HONEYPOT_FIELD = "website"


class HoneypotMixin(forms.Form):
    website = forms.CharField(
        label=_("网站(请留空)"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def honeypot_filled(self) -> bool:
        return bool((self.data.get(self.add_prefix(HONEYPOT_FIELD)) or "").strip())
