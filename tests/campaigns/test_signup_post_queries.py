"""A signup post costs a small, fixed number of queries, however busy the session is."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.models import Signup
from tests.factories import SessionFactory, SignupFactory

pytestmark = pytest.mark.django_db

# Session, reference check, signup row, places, audit row, and the savepoint statements
# that stand for BEGIN/COMMIT inside the test's transaction.
SIGNUP_POST_BUDGET = 7


def post(client, session, phone):
    url = reverse("campaigns:signup", args=[session.activity.slug, session.pk])
    data = {"name": "王小明", "phone": phone, "companions": "0", "rules_accepted": "on",
            "consent": "on"}
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
    assert response.status_code == 302
    return len(queries)


def test_a_signup_post_stays_within_its_query_budget(client):
    session = SessionFactory(capacity=100)
    post(client, session, "13800138009")  # loads the audit log's content type once per process
    assert post(client, session, "13800138000") <= SIGNUP_POST_BUDGET


def test_a_busy_session_costs_no_more_queries_than_an_empty_one(client):
    empty, busy = SessionFactory(capacity=100), SessionFactory(capacity=100)
    SignupFactory.create_batch(40, session=busy)
    post(client, empty, "13800138009")
    assert post(client, busy, "13800138001") == post(client, empty, "13800138002")


def test_joining_the_waiting_list_costs_only_the_lock_and_the_status(client):
    session = SessionFactory(capacity=1, waitlist_enabled=True, waitlist_limit=0)
    post(client, SessionFactory(), "13800138009")
    confirmed = post(client, session, "13800138003")
    waitlisted = post(client, session, "13800138004")
    assert Signup.objects.filter(status=Signup.Status.WAITLISTED).count() == 1
    # Lock the session, count the list, try the places again, set the status.
    assert waitlisted <= confirmed + 4


def test_a_right_sms_code_costs_one_update(client, settings, sms_outbox,
                                                              django_capture_on_commit_callbacks):
    settings.SMS_VERIFY = True
    session = SessionFactory(capacity=100)
    url = reverse("campaigns:signup", args=[session.activity.slug, session.pk])
    data = {"name": "王小明", "phone": "13800138000", "companions": "0", "rules_accepted": "on",
            "consent": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**data, "send_code": "1"})
    code = next(m.params["code"] for m in sms_outbox if m.kind == "code")
    settings.SMS_VERIFY = False
    post(client, SessionFactory(), "13800138009")  # warm up (see above) with verification off
    settings.SMS_VERIFY = True
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {**data, "sms_code": code})
    assert response.status_code == 302
    code_queries = [q["sql"].strip() for q in queries if "campaigns_phonecode" in q["sql"]]
    # One UPDATE finds the latest code for (number, purpose) and uses it up.
    assert len(code_queries) == 1 and code_queries[0].startswith("UPDATE")
    assert not any("django_session" in q["sql"] for q in queries)  # success writes no session
    # The signup's own budget and the code's one statement.
    assert len(queries) <= SIGNUP_POST_BUDGET + 1
