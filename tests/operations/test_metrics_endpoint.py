"""/metrics: request metrics and the campaign's own figures, for the allowed scraper only."""

import datetime
import re

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from campaigns.models import Signup
from campaigns.sms.delivery import send_sms
from config.tasks import max_attempts
from feedback.models import Feedback
from tests.factories import FeedbackFactory, SessionFactory, SignupFactory

pytestmark = pytest.mark.django_db

PHONE = "13912345678"


def scrape(client, **extra):
    return client.get("/metrics", **extra)


def value(text: str, metric: str) -> float:
    match = re.search(rf"^{re.escape(metric)} ([0-9.e+-]+)$", text, re.M)
    assert match, f"{metric} not in:\n{text}"
    return float(match.group(1))


def test_only_the_allowed_addresses_or_the_token_may_scrape(client, settings):
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/8"]
    settings.METRICS_TOKEN = "s3cret-token"
    assert scrape(client, REMOTE_ADDR="10.1.2.3").status_code == 200
    assert scrape(client, REMOTE_ADDR="203.0.113.5").status_code == 404
    assert scrape(client, REMOTE_ADDR="203.0.113.5",
                  HTTP_AUTHORIZATION="Bearer s3cret-token").status_code == 200
    assert scrape(client, REMOTE_ADDR="203.0.113.5",
                  HTTP_AUTHORIZATION="Bearer wrong").status_code == 404


def test_a_visitor_coming_through_the_proxy_is_judged_by_his_own_address(client, settings):
    """nginx's address is the loopback; the visitor behind it is not allowed for that."""
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.METRICS_ALLOWED_IPS = ["127.0.0.1"]
    assert scrape(client, REMOTE_ADDR="127.0.0.1").status_code == 200  # a local scraper
    assert scrape(client, REMOTE_ADDR="127.0.0.1",
                  HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 404


def test_request_metrics_count_by_route_name(client):
    client.get("/healthz")
    client.get(f"/no/such/{PHONE}/")
    text = scrape(client).content.decode()
    assert re.search(r'^http_requests_total\{method="GET",route="healthz",status="200"\} '
                     r"[1-9]", text, re.M)
    assert 'route="unmatched"' in text and PHONE not in text
    assert "http_request_duration_seconds_bucket" in text


def test_campaign_figures(client, settings, database_queue):
    session = SessionFactory(capacity=1)
    SignupFactory(session=session, phone=PHONE)
    SignupFactory(session=session)  # full: waits
    late = FeedbackFactory(kind=Feedback.Kind.COMPLAINT)
    Feedback.objects.filter(pk=late.pk).update(  # opened 49 hours ago, never answered
        created_at=timezone.now() - datetime.timedelta(hours=49),
        reply_due_at=timezone.now() - datetime.timedelta(hours=1),
    )
    FeedbackFactory(kind=Feedback.Kind.PRAISE)
    # The rows above queued their own messages with them: this test sets the queue itself.
    DBTaskResult.objects.all().delete()
    # Two text messages due, one retry waiting, one given up after its last attempt.
    for signup in Signup.objects.all():
        send_sms.enqueue(source="signup_confirmed", record_id=signup.pk)
    later = send_sms.using(run_after=timezone.now() + datetime.timedelta(hours=1))
    later.enqueue(source="signup_confirmed", record_id=1, attempt=2)
    send_sms.enqueue(source="signup_confirmed", record_id=1, attempt=max_attempts())
    row = DBTaskResult.objects.get(args_kwargs__kwargs__attempt=max_attempts())
    row.status, row.finished_at = "FAILED", timezone.now()
    row.save(update_fields=["status", "finished_at"])

    text = scrape(client).content.decode()
    assert value(text, 'campaign_signups{status="confirmed"}') == 1
    assert value(text, 'campaign_signups{status="waitlisted"}') == 1
    assert value(text, 'campaign_feedback{kind="complaint"}') == 1
    assert value(text, 'campaign_feedback{kind="praise"}') == 1
    assert value(text, 'campaign_cases_overdue{kind="feedback"}') == 1
    assert value(text, 'campaign_task_queue_depth{state="ready"}') == 2
    assert value(text, 'campaign_task_queue_depth{state="deferred"}') == 1
    assert value(text, "campaign_notifications_failed") == 1
    assert value(text, 'campaign_task_failed_runs{task="send_sms"}') == 1
    assert PHONE not in text and "王小明" not in text
    assert Signup.objects.count() == 2


def test_the_figures_cost_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(3):
        SignupFactory()
        FeedbackFactory()
    with django_assert_max_num_queries(12):
        scrape(client)
    with django_assert_max_num_queries(0):  # a second scraper within 10 s: from the cache
        scrape(client)
