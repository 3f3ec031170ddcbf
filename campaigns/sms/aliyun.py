"""Alibaba Cloud SMS (Dysmsapi 2017-05-25, `SendSms`) through the official SDK.

Needs from the environment: CAMPAIGN_SMS_ALIYUN_ACCESS_KEY_ID and
CAMPAIGN_SMS_ALIYUN_ACCESS_KEY_SECRET (a RAM user allowed to call dysms SendSms),
CAMPAIGN_SMS_SIGN_NAME (the approved sign) and one approved template code per kind,
CAMPAIGN_SMS_TEMPLATE_<KIND> (e.g. SMS_123456789, variables ${name} as in catalogue.py);
optionally CAMPAIGN_SMS_ALIYUN_ENDPOINT (default dysmsapi.aliyuncs.com).
"""

import json
import logging
import re

from alibabacloud_dysmsapi20170525 import models as dysms_models
from alibabacloud_dysmsapi20170525.client import Client
from alibabacloud_tea_openapi.utils_models import Config
from darabonba.runtime import RuntimeOptions
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from Tea.exceptions import TeaException, UnretryableException

from .backends import BaseSmsBackend, SmsMessage, SmsSendError

DEFAULT_ENDPOINT = "dysmsapi.aliyuncs.com"
# Milliseconds (the SDK's unit): a stuck provider fails the task, which retries later,
# instead of holding a worker for the SDK's default 5 s + 10 s.
CONNECT_TIMEOUT_MS = 3000
READ_TIMEOUT_MS = 5000
# A provider code looks like "isv.BUSINESS_LIMIT_CONTROL"; anything else (free text that may
# quote the number) is replaced by the exception's class name.
_CODE_RE = re.compile(r"[A-Za-z][\w.\-]{0,99}")

# With DEBUG=sdk in the environment darabonba-core prints every request line, query string
# included (the number and the parameters), through its own stderr handler; urllib3 logs the
# same URL at DEBUG. Keep both above DEBUG whatever the site's log level.
logging.getLogger("darabonba-core").setLevel(logging.WARNING)
logging.getLogger("urllib3.connectionpool").setLevel(logging.INFO)


def build_client() -> Client:
    """The SDK client from settings.SMS_ALIYUN; no request is made here."""
    conf = settings.SMS_ALIYUN
    missing = [
        f"CAMPAIGN_SMS_ALIYUN_{key.upper()}"
        for key in ("access_key_id", "access_key_secret")
        if not conf.get(key)
    ]
    if missing:
        raise ImproperlyConfigured(f"The aliyun SMS backend needs {', '.join(missing)}.")
    return Client(
        Config(
            access_key_id=conf["access_key_id"],
            access_key_secret=conf["access_key_secret"],
            endpoint=conf.get("endpoint") or DEFAULT_ENDPOINT,
            connect_timeout=CONNECT_TIMEOUT_MS,
            read_timeout=READ_TIMEOUT_MS,
        )
    )


def template_code(kind: str) -> str:
    code = settings.SMS_TEMPLATES.get(kind)
    if not code:
        raise ImproperlyConfigured(f"Set CAMPAIGN_SMS_TEMPLATE_{kind.upper()} for the SMS backend.")
    return code


def _shown(code) -> str:
    return code if isinstance(code, str) and _CODE_RE.fullmatch(code) else "no code"


def _error_code(exc: TeaException) -> str:
    """What to say about an SDK error: its code, or a class name; never its message."""
    code = _shown(exc.code)
    if code not in ("no code", "None"):  # the SDK formats a missing code as "None"
        return code
    # A network error arrives wrapped; its text holds the request URL, number included.
    inner = getattr(exc, "inner_exception", None) if isinstance(exc, UnretryableException) else None
    return type(inner or exc).__name__


class AliyunSmsBackend(BaseSmsBackend):
    def __init__(self, client=None):
        self.client = client if client is not None else build_client()

    def build_request(self, message: SmsMessage) -> dysms_models.SendSmsRequest:
        return dysms_models.SendSmsRequest(
            phone_numbers=message.phone,
            sign_name=settings.SMS_SIGN_NAME,
            template_code=template_code(message.kind),
            # Alibaba Cloud fills ${name} by name, from a JSON object.
            template_param=json.dumps(message.params, ensure_ascii=False),
        )

    def send(self, message: SmsMessage) -> None:
        request = self.build_request(message)
        runtime = RuntimeOptions(connect_timeout=CONNECT_TIMEOUT_MS, read_timeout=READ_TIMEOUT_MS)
        try:
            response = self.client.send_sms_with_options(request, runtime)
        except TeaException as exc:
            # `from None`: the SDK's message (and the URL it quotes) stays out of tracebacks.
            raise SmsSendError(f"aliyun: {_error_code(exc)}") from None
        code = getattr(response.body, "code", None)
        if code != "OK":
            # body.message is free text that may quote the number: only the code goes on.
            raise SmsSendError(f"aliyun: {_shown(code)}")
