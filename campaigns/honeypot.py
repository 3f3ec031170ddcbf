"""A honeypot field for public forms: hidden from people, filled in by naive bots."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

HONEYPOT_FIELD = "website"
HONEYPOT_CSS_CLASS = "hp-field"


class HoneypotFormMixin(forms.Form):
    """Adds an empty-must-stay-empty field; a filled one makes the form invalid.

    Render it inside an element with the `hp-field` class (hidden by site.css) so that
    people never see it; screen readers are told to skip it.
    """

    website = forms.CharField(
        label=_("请勿填写此项"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_website(self):
        if self.cleaned_data.get(HONEYPOT_FIELD):
            # Shown above the form: a person whose browser autofilled it must see why.
            self.add_error(None, ValidationError(_("提交未成功，请稍后重试。"), code="honeypot"))
        return ""
