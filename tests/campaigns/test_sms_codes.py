"""One-time SMS codes: 6 digits, 5 minutes, 5 attempts, once, for one number and purpose;
sending capped per number and per address, with the refusal saying when to try again."""

import datetime
import logging
from types import SimpleNamespace

import pytest
from django.utils import timezone

from campaigns.models import PhoneCode
from campaigns.services.phone_codes import (
    CodeInvalid,
    CodeRefused,
    code_check,
    code_request,
    codes_purge,
)
from tests.conftest import code_sent_to

pytestmark = pytest.mark.django_db

PHONE = "13800138000"
SIGNUP = PhoneCode.Purpose.SIGNUP
HALF_PAST = 1_800_001_800.0  # 2027-01-15 08:30 UTC
# A fixed clock, close to the real one: the worker sends only codes that are still valid.
T0 = timezone.now().replace(microsecond=0)


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Ask for a code (the SMS goes out when the transaction commits, as on the site)."""

    def _send(phone=PHONE, purpose=SIGNUP, ip="203.0.113.5", now=T0):
        with django_capture_on_commit_callbacks(execute=True):
            return code_request(phone=phone, purpose=purpose, ip=ip, now=now)

    return _send


def check(code, phone=PHONE, purpose=SIGNUP, now=T0):
    code_check(phone=phone, purpose=purpose, code=code, now=now)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_a_six_digit_code_reaches_the_number_and_is_accepted_once(send, sms_outbox):
    send()
    code = code_sent_to(sms_outbox, PHONE)
    assert len(code) == 6 and code.isdigit()
    assert code in sms_outbox[-1].text and "5分钟" in sms_outbox[-1].text
    check(code)
    with pytest.raises(CodeInvalid) as replay:
        check(code)
    assert replay.value.code == "no_code"


def test_the_code_is_not_in_the_database_once_sent(send, sms_outbox):
    record = send()
    code = code_sent_to(sms_outbox, PHONE)
    record.refresh_from_db()
    assert record.nonce == ""  # what the worker derived the code from is gone
    stored = " ".join(str(v) for v in PhoneCode.objects.values_list().get())
    assert code not in stored


def test_a_code_expires_after_five_minutes(send, sms_outbox):
    send()
    code = code_sent_to(sms_outbox, PHONE)
    with pytest.raises(CodeInvalid) as late:
        check(code, now=T0 + datetime.timedelta(minutes=5))
    assert late.value.code == "expired"
    check(code, now=T0 + datetime.timedelta(minutes=4, seconds=59))


def test_five_wrong_attempts_kill_the_code(send, sms_outbox):
    send()
    code = code_sent_to(sms_outbox, PHONE)
    messages = []
    for _attempt in range(5):
        with pytest.raises(CodeInvalid) as error:
            check(wrong(code))
        messages.append(error.value.messages[0])
    assert "还可以再试4次" in messages[0] and "还可以再试1次" in messages[3]
    assert "次数太多" in messages[4]
    with pytest.raises(CodeInvalid) as error:
        check(code)  # the right code, too late
    assert error.value.code == "too_many"


def test_a_code_is_bound_to_its_purpose_and_its_number(send, sms_outbox):
    send()
    code = code_sent_to(sms_outbox, PHONE)
    with pytest.raises(CodeInvalid):
        check(code, purpose=PhoneCode.Purpose.LOOKUP)
    with pytest.raises(CodeInvalid):
        check(code, phone="13900139000")
    check(code)  # neither attempt used it up


def test_only_the_latest_code_counts(send, sms_outbox, settings):
    settings.SMS_CODE_RESEND_SECONDS = 0
    send()
    first = code_sent_to(sms_outbox, PHONE)
    send(now=T0 + datetime.timedelta(seconds=61))
    second = code_sent_to(sms_outbox, PHONE)
    assert first != second or pytest.skip("the two random codes happened to be equal")
    with pytest.raises(CodeInvalid):
        check(first, now=T0 + datetime.timedelta(seconds=62))
    check(second, now=T0 + datetime.timedelta(seconds=62))


def test_a_second_code_within_a_minute_is_refused_with_the_wait(send, sms_outbox):
    send()
    with pytest.raises(CodeRefused) as refused:
        send()
    assert 55 <= refused.value.retry_after <= 61
    assert "秒后" in refused.value.messages[0]
    assert len(sms_outbox) == 1


def test_a_number_gets_five_codes_an_hour(send, settings, sms_outbox, monkeypatch):
    settings.SMS_CODE_RESEND_SECONDS = 0
    # Half past an hour: the hourly window neither restarts during the test nor ends within
    # two minutes (then the wait would be said in seconds).
    monkeypatch.setattr("campaigns.ratelimit.time", SimpleNamespace(time=lambda: HALF_PAST))
    for _n in range(5):
        send()
    with pytest.raises(CodeRefused) as refused:
        send()
    assert refused.value.retry_after > 60
    assert "以后再试" in refused.value.messages[0]  # a clock time, not a count of seconds
    assert len(sms_outbox) == 5


def test_a_number_gets_ten_codes_a_day(send, settings):
    settings.SMS_CODE_RESEND_SECONDS = 0
    settings.RATELIMITS = {**settings.RATELIMITS, "sms_phone_hour": "100/h"}
    for _n in range(10):
        send()
    with pytest.raises(CodeRefused):
        send()


def test_one_address_cannot_text_many_numbers(send, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "sms_ip": "3/h"}
    for n in range(3):
        send(phone=f"1380013800{n}")
    with pytest.raises(CodeRefused):
        send(phone="13800138009")
    send(phone="13800138009", ip="198.51.100.7")  # another address may


def test_old_codes_are_purged(send):
    send(now=T0 - datetime.timedelta(days=2))
    send(phone="13900139000")
    assert codes_purge() == 1
    assert list(PhoneCode.objects.values_list("phone", flat=True)) == ["13900139000"]


def test_logs_carry_neither_the_number_nor_the_code(send, sms_outbox, caplog):
    caplog.set_level(logging.DEBUG)
    send()
    code = code_sent_to(sms_outbox, PHONE)
    with pytest.raises(CodeInvalid):
        check(wrong(code))
    check(code)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert PHONE not in logged and code not in logged
