"""A number proven by SMS code, on the public forms and for 我的.

- On a form (signup, booking, application, feedback asking for a reply) `PhoneCodeMixin` adds
  the field `sms_code` and a second submit button, "获取验证码", that sends a code and brings
  the page back with everything typed. A code accepted once counts for this browser for
  SMS_VERIFIED_MINUTES, for that number and purpose: a form sent back for another mistake
  does not need a new code.
- 我的 (signed in by number) keeps the number in the server-side session for the same time.

Both live in the session (server side): the browser holds only the session id.
"""

import time

from django import forms
from django.conf import settings
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from config.clientip import client_ip

from .models import PhoneCode
from .services.errors import DomainError, attach_error
from .services.phone_codes import (
    CODE_FIELD,
    CodeRefused,
    code_check,
    code_request,
    code_sent_message,
    keyed_digest,
)

SEND_CODE = "send_code"  # the name of the "获取验证码" button
VERIFIED_KEY = "phone_verified"
SIGNED_IN_KEY = "my_phone"


def _digest(phone: str, purpose: str) -> str:
    return keyed_digest("sms-verified", purpose, phone)


def _until() -> float:
    return time.time() + settings.SMS_VERIFIED_MINUTES * 60


def is_verified(request, phone: str, purpose: str) -> bool:
    if request is None or not hasattr(request, "session"):
        return False
    until = request.session.get(VERIFIED_KEY, {}).get(_digest(phone, purpose), 0)
    return until > time.time()


def mark_verified(request, phone: str, purpose: str) -> None:
    now = time.time()
    kept = {k: v for k, v in request.session.get(VERIFIED_KEY, {}).items() if v > now}
    request.session[VERIFIED_KEY] = {**kept, _digest(phone, purpose): _until()}


def sign_in_number(request, phone: str) -> None:
    """我的 for `phone` in this browser for SMS_VERIFIED_MINUTES (a new session id: no
    fixation)."""
    request.session.cycle_key()
    request.session[SIGNED_IN_KEY] = {"phone": phone, "until": _until()}


def signed_in_number(request) -> str | None:
    if not hasattr(request, "session"):
        return None
    state = request.session.get(SIGNED_IN_KEY)
    if not state or state.get("until", 0) <= time.time():
        return None
    return state["phone"]


def sign_out_number(request) -> None:
    request.session.pop(SIGNED_IN_KEY, None)


class PhoneCodeMixin(forms.Form):
    """The SMS code for the form's `phone`, when settings.SMS_VERIFY (or `always_verify`).

    The form takes `request=`; `send_code()` runs when "获取验证码" was pressed. Subclasses
    say when the number needs proving (`phone_code_needed`).
    """

    sms_purpose = PhoneCode.Purpose.SIGNUP
    always_verify = False

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.code_sent = ""
        self.phone_verified = False
        self._sending = False
        if settings.SMS_VERIFY or self.always_verify:
            self.fields[CODE_FIELD] = forms.CharField(
                label=_("短信验证码"),
                required=False,
                max_length=12,
                help_text=_("6位数字，5分钟内有效。"),
            )  # drawn by templates/campaigns/_phone_code.html, with its button

    @property
    def code_field(self):
        return self[CODE_FIELD] if CODE_FIELD in self.fields else None

    def phone_code_needed(self, data: dict) -> bool:
        return True

    def clean(self):
        data = super().clean()
        if self._sending or CODE_FIELD not in self.fields:
            return data
        phone = data.get("phone")
        if not phone or not self.phone_code_needed(data):
            return data
        if is_verified(self.request, phone, self.sms_purpose):
            self.phone_verified = True
            return data
        if not data.get(CODE_FIELD):
            self.add_error(CODE_FIELD, _("请填写短信验证码；还没有收到的，请点“获取验证码”。"))
            return data
        try:
            code_check(phone=phone, purpose=self.sms_purpose, code=data[CODE_FIELD])
        except DomainError as error:
            attach_error(self, error)
        else:
            self.phone_verified = True
            self._checked_now = phone
        return data

    def keep_verification(self) -> None:
        """The form goes back to the person (another field is wrong, or the service said no):
        remember the number this code proved, so the next try needs no new code. A form that
        succeeds writes nothing to the session (a signup burst stays one row per signup)."""
        if getattr(self, "_checked_now", None) and self.request is not None:
            mark_verified(self.request, self._checked_now, self.sms_purpose)

    def send_code(self) -> None:
        """Send a code to the typed number; errors only about the number or the sending."""
        self._sending = True
        self.full_clean()
        typed = str(self.data.get(self.add_prefix("phone"), "")).strip()
        # Only a wrongly written number is worth a message now; other fields wait.
        kept = {"phone": self.errors["phone"]} if typed and "phone" in self.errors else {}
        self._errors = ErrorDict(kept)
        for field in self.fields.values():
            field.widget.attrs.pop("autofocus", None)
        phone = self.cleaned_data.get("phone")
        if not phone:
            if not typed:
                self.add_error("phone", _("请先填写手机号码，再获取验证码。"))
            return
        try:
            code_request(phone=phone, purpose=self.sms_purpose, ip=client_ip(self.request))
        except CodeRefused as error:
            attach_error(self, error)
            return
        self.code_sent = code_sent_message(phone)
        self.fields[CODE_FIELD].widget.attrs["autofocus"] = True
