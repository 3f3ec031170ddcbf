"""The logs of a whole journey hold no self-service token, reference code or phone number.

Every log record is redacted when it is made (config/logredact.py): Django's request
warnings (404s, 429s), the rate limits, the tasks and gunicorn's access log alike.
"""

import logging
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from campaigns.models import Signup
from config.logredact import redact
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

PHONE = "13800138000"


def test_a_journey_leaves_no_secret_in_the_logs(client, caplog, settings,
                                                django_capture_on_commit_callbacks):
    settings.RATELIMITS = {**settings.RATELIMITS, "lookup_ip": "3/h"}
    caplog.set_level(logging.DEBUG)
    session = SessionFactory(capacity=5)
    url = reverse("campaigns:signup", args=[session.activity.slug, session.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"name": "王小明", "phone": f"+86 {PHONE}", "email": "wang@example.com",
                          "companions": "0", "rules_accepted": "on", "consent": "on"})
    signup = Signup.objects.get()
    token = re.search(r"/my/link/([\w-]+)/", mail.outbox[0].body).group(1)

    stranger = Client()
    stranger.get(f"/my/link/{token}/", follow=True)
    stranger.get(f"/my/{signup.reference}/calendar.ics")
    stranger.get(f"/en/my/{signup.reference_display}/")
    Client().get(f"/my/{signup.reference}/calendar.ics")  # 404: not this browser's
    for _ in range(4):  # the last ones are over the limit: 429, logged with the path
        Client().get(f"/my/link/{token}/")
    stranger.post(f"/my/{signup.reference}/cancel/")
    client.get(f"/feedback/new/?ref={signup.reference}&phone={PHONE}")
    logging.getLogger("gunicorn.access").info(
        '%(h)s "%(m)s %(U)s" %(s)s', {"h": "10.0.0.1", "m": "GET", "U": f"/my/link/{token}/",
                                       "s": "302"},
    )

    text = caplog.text
    assert "Too Many Requests" in text and "[redacted]" in text  # the journey did log paths
    for secret in (token, signup.reference, signup.reference_display, PHONE):
        assert secret not in text, secret


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ("GET /my/link/Zx9_tok-EN/ 302", "GET /my/link/[redacted]/ 302"),
        ("Not Found: /en/my/K7MX-Q4PA/calendar.ics", "Not Found: /en/my/[ref]/calendar.ics"),
        ("/signup/done/K7MXQ4PA/", "/signup/done/[ref]/"),
        ("/feedback/new/?activity=a&ref=K7MXQ4PA", "/feedback/new/?activity=a&ref=[ref]"),
        ("sms to +86 138-0013-8000 failed", "sms to +86 138****8000 failed"),
        ("sms to 13800138000 failed", "sms to 138****8000 failed"),
        ("POST 8613800138000", "POST 86138****8000"),
        ("phone=138 0013 8000&x", "phone=138****8000&x"),
        ("/feedback/new/?Ref=K7MXQ4PA", "/feedback/new/?Ref=[ref]"),
        ("/lookup/?reference=K7MX-Q4PA", "/lookup/?reference=[ref]"),
        ("GET campaigns:home 200 13.8ms user=-", "GET campaigns:home 200 13.8ms user=-"),
        ("GET /my/ 200", "GET /my/ 200"),
        ("send_notification(kind=signup_created record_id=42)",
         "send_notification(kind=signup_created record_id=42)"),
    ],
)
def test_each_kind_of_secret_is_redacted_and_nothing_else(line, shown):
    assert redact(line) == shown
