"""An SMS provider that fails loses nothing: the person waits for a code (what they typed
stays on the form), a notice is retried later, and no log or stored error holds the number
or the code."""

import logging

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from campaigns.models import PhoneCode, Signup
from campaigns.sms.backends import BaseSmsBackend, outbox
from tests.conftest import code_sent_to, run_worker
from tests.factories import SessionFactory

PHONE = "13912345678"


class DownSmsBackend(BaseSmsBackend):
    """A provider that fails, quoting the number (as real error messages can)."""

    def send(self, message):
        raise ConnectionError(f"provider unreachable sending to {message.phone}: {message.text}")


DOWN = f"{__name__}.DownSmsBackend"


def make_due(result):
    DBTaskResult.objects.filter(pk=result.pk).update(run_after=timezone.now())


@pytest.mark.django_db(transaction=True)
def test_a_code_waits_for_the_provider_and_the_form_keeps_everything(
    client, database_queue, settings, caplog
):
    settings.SMS_VERIFY = True
    settings.SMS_BACKEND = DOWN
    session = SessionFactory()
    url = reverse("campaigns:signup", args=[session.activity.slug, session.pk])
    data = {"name": "林晓雨", "phone": "139-1234-5678", "companions": "0",
            "rules_accepted": "on", "consent": "on"}
    response = client.post(url, {**data, "send_code": "1"})
    page = response.content.decode()
    assert response.status_code == 200 and "林晓雨" in page and "验证码已发送至" in page
    with caplog.at_level(logging.INFO):
        run_worker()
    failed = DBTaskResult.objects.get(status="FAILED")
    assert PHONE not in failed.traceback and "ConnectionError" in failed.traceback
    assert PHONE not in caplog.text and "retrying in 60 s" in caplog.text
    assert PhoneCode.objects.get().nonce  # still there: the retry can send the same code

    settings.SMS_BACKEND = "locmem"  # the provider is back
    make_due(DBTaskResult.objects.get(status="READY"))
    run_worker()
    code = code_sent_to(outbox, PHONE)
    assert PhoneCode.objects.get().nonce == ""
    assert client.post(url, {**data, "sms_code": code}).status_code == 302
    assert Signup.objects.get().phone == PHONE


@pytest.mark.django_db(transaction=True)
def test_a_notice_is_retried_and_the_signup_stands(client, database_queue, settings):
    settings.SMS_BACKEND = DOWN
    session = SessionFactory()
    url = reverse("campaigns:signup", args=[session.activity.slug, session.pk])
    response = client.post(url, {"name": "林晓雨", "phone": PHONE, "companions": "0",
                                 "rules_accepted": "on", "consent": "on"})
    assert response.status_code == 302
    signup = Signup.objects.get()
    run_worker()
    retries = DBTaskResult.objects.filter(status="READY", task_path__endswith="send_sms")
    assert {r.args_kwargs["kwargs"]["source"] for r in retries} == {"signup_confirmed"}

    settings.SMS_BACKEND = "locmem"
    for retry in retries:
        make_due(retry)
    run_worker()
    assert [(m.kind, m.phone) for m in outbox] == [("signup_confirmed", PHONE)]
    assert signup.reference_display in outbox[0].text
