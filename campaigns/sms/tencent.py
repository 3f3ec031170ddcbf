"""Tencent Cloud SMS (API 2021-01-11, `SendSms`) through the official SDK.

Needs from the environment: CAMPAIGN_SMS_TENCENT_SECRET_ID and CAMPAIGN_SMS_TENCENT_SECRET_KEY
(a CAM key allowed to call sms:SendSms), CAMPAIGN_SMS_TENCENT_SDK_APP_ID (the SMS application,
e.g. 1400006666), CAMPAIGN_SMS_SIGN_NAME (the approved sign text) and one approved template id
per kind, CAMPAIGN_SMS_TEMPLATE_<KIND> (variables {1}, {2}… in catalogue.py's order);
optionally CAMPAIGN_SMS_TENCENT_REGION (default ap-guangzhou).
"""

import logging
import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from tencentcloud.common.credential import Credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.sms.v20210111 import models as sms_models
from tencentcloud.sms.v20210111.sms_client import SmsClient

from .backends import BaseSmsBackend, SmsMessage, SmsSendError

DEFAULT_REGION = "ap-guangzhou"
# Seconds, for the connection and for each read (the SDK's default is 60): a stuck provider
# fails the task, which retries later, instead of holding a worker.
TIMEOUT_SECONDS = 5
# A provider code looks like "LimitExceeded.PhoneNumberDailyLimit"; anything else is not shown.
_CODE_RE = re.compile(r"[A-Za-z][\w.\-]{0,99}")

# At DEBUG the SDK logs each request body and response (numbers and parameters included).
logging.getLogger("tencentcloud_sdk_common").setLevel(logging.INFO)

_KEYS = ("secret_id", "secret_key")  # what the client itself needs


def _require(conf: dict, keys: tuple[str, ...]) -> None:
    missing = [f"CAMPAIGN_SMS_TENCENT_{key.upper()}" for key in keys if not conf.get(key)]
    if missing:
        raise ImproperlyConfigured(f"The tencent SMS backend needs {', '.join(missing)}.")


def build_client() -> SmsClient:
    """The SDK client from settings.SMS_TENCENT; no request is made here."""
    conf = settings.SMS_TENCENT
    _require(conf, _KEYS)
    profile = ClientProfile(httpProfile=HttpProfile(reqTimeout=TIMEOUT_SECONDS))
    credential = Credential(conf["secret_id"], conf["secret_key"])
    return SmsClient(credential, conf.get("region") or DEFAULT_REGION, profile)


def template_id(kind: str) -> str:
    template = settings.SMS_TEMPLATES.get(kind)
    if not template:
        raise ImproperlyConfigured(f"Set CAMPAIGN_SMS_TEMPLATE_{kind.upper()} for the SMS backend.")
    return template


def _shown(code) -> str:
    return code if isinstance(code, str) and _CODE_RE.fullmatch(code) else "no code"


class TencentSmsBackend(BaseSmsBackend):
    def __init__(self, client=None):
        # The application id goes in every request, whoever built the client; name every
        # missing variable at once.
        keys = ("sdk_app_id",) if client is not None else (*_KEYS, "sdk_app_id")
        _require(settings.SMS_TENCENT, keys)
        self.sdk_app_id = str(settings.SMS_TENCENT["sdk_app_id"])
        self.client = client if client is not None else build_client()

    def build_request(self, message: SmsMessage) -> sms_models.SendSmsRequest:
        request = sms_models.SendSmsRequest()
        request.PhoneNumberSet = ["+86" + message.phone]
        request.SmsSdkAppId = self.sdk_app_id
        request.SignName = settings.SMS_SIGN_NAME
        request.TemplateId = template_id(message.kind)
        # Tencent fills {1}, {2}… by position: the params are in the template's order.
        request.TemplateParamSet = [str(value) for value in message.params.values()]
        return request

    def send(self, message: SmsMessage) -> None:
        request = self.build_request(message)
        try:
            response = self.client.SendSms(request)
        except TencentCloudSDKException as exc:
            # Only the code: the SDK's message may quote the number. `from None` keeps the
            # original exception (and that message) out of tracebacks.
            raise SmsSendError(f"tencent: {_shown(exc.code)}") from None
        statuses = response.SendStatusSet or []
        code = statuses[0].Code if statuses else None
        if code != "Ok":
            # Each status also carries the number and a free-text message: neither goes on.
            raise SmsSendError(f"tencent: {_shown(code)}")
