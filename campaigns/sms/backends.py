"""Where a text message goes: pluggable like Django's email backends.

`CAMPAIGN_SMS_BACKEND` names one of the aliases below (or a dotted path to a class):

- `console`  prints each message to standard output, as Django's console email backend does
             (development: the dev run shows the verification code in its terminal).
- `locmem`   keeps messages in `outbox` (tests in this process).
- `file`     appends one JSON line per message to `CAMPAIGN_SMS_FILE_PATH` (the browser
             journeys, where the site runs in another process).
- `aliyun`, `tencent`  the providers' official SDKs (campaigns/sms/aliyun.py, tencent.py).

A backend raises on failure; the task that called it retries later (campaigns/sms/delivery.py).
Backends never log the number, the text or the parameters.
"""

import json
import sys
import threading
from dataclasses import asdict, dataclass

from django.conf import settings
from django.utils.module_loading import import_string

ALIASES = {
    "console": "campaigns.sms.backends.ConsoleSmsBackend",
    "locmem": "campaigns.sms.backends.LocmemSmsBackend",
    "file": "campaigns.sms.backends.FileSmsBackend",
    "aliyun": "campaigns.sms.aliyun.AliyunSmsBackend",
    "tencent": "campaigns.sms.tencent.TencentSmsBackend",
}


@dataclass(frozen=True)
class SmsMessage:
    """One message to one mainland mobile number.

    `params` are the template's variables in the template's order (Alibaba Cloud takes them by
    name, Tencent Cloud by position); `text` is the whole message as the provider would send
    it, sign included (what the console, locmem and file backends show).
    """

    phone: str
    kind: str
    params: dict[str, str]
    text: str


class SmsSendError(Exception):
    """The provider refused or failed; the message carries the provider's code only."""


class BaseSmsBackend:
    def send(self, message: SmsMessage) -> None:
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, message: SmsMessage) -> None:
        self.stream.write(f"[SMS to {message.phone}] {message.text}\n")
        self.stream.flush()


outbox: list[SmsMessage] = []


class LocmemSmsBackend(BaseSmsBackend):
    def send(self, message: SmsMessage) -> None:
        outbox.append(message)


_file_lock = threading.Lock()


class FileSmsBackend(BaseSmsBackend):
    def __init__(self, path: str | None = None):
        self.path = path or settings.SMS_FILE_PATH

    def send(self, message: SmsMessage) -> None:
        line = json.dumps(asdict(message), ensure_ascii=False) + "\n"
        with _file_lock, open(self.path, "a", encoding="utf-8") as out:
            out.write(line)


def get_backend(name: str | None = None) -> BaseSmsBackend:
    name = name or settings.SMS_BACKEND
    return import_string(ALIASES.get(name, name))()
