"""One JSON log line per request, with a request id that also reaches the tasks it queued.

The line names the route (the URL pattern's name), never the path or the query string, and
the signed-in user's id, never a name or a number.
"""

import re

import pytest
from django.urls import reverse

from tests.conftest import run_worker
from tests.factories import SessionFactory

from .logs import console_output, json_records

pytestmark = pytest.mark.django_db

PHONE, NAME = "13912345678", "林晓雨"


def request_lines(records):
    return [r for r in records if r["logger"] == "campaign.request"]


def test_each_request_logs_one_line_with_route_status_duration_and_id(client):
    SessionFactory()
    with console_output(json_lines=True) as out:
        response = client.get(reverse("campaigns:activity_list") + f"?q={PHONE}&name={NAME}")
    assert response.status_code == 200
    records = json_records(out)
    [line] = request_lines(records)
    assert line["request_id"] == response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", line["request_id"])
    assert line["route"] == "campaigns:activity_list"
    assert (line["method"], line["status"], line["user_id"]) == ("GET", 200, None)
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    text = out.getvalue()
    for private in (PHONE, NAME, "/activities/", "q="):
        assert private not in text


def test_the_proxys_request_id_is_kept_and_a_malformed_one_replaced(client):
    with console_output(json_lines=True) as out:
        kept = client.get("/healthz", HTTP_X_REQUEST_ID="3f9c0e6a1b2d4c5e8f7a6b5c4d3e2f1a")
        replaced = client.get("/healthz", HTTP_X_REQUEST_ID="evil\nline " + "x" * 100)
    assert kept["X-Request-ID"] == "3f9c0e6a1b2d4c5e8f7a6b5c4d3e2f1a"
    assert re.fullmatch(r"[0-9a-f]{32}", replaced["X-Request-ID"])
    ids = [line["request_id"] for line in request_lines(json_records(out))]
    assert ids == [kept["X-Request-ID"], replaced["X-Request-ID"]]
    assert "evil" not in out.getvalue()


def test_a_signed_in_user_is_logged_by_id_and_an_unknown_path_by_no_route(
    client, django_user_model
):
    user = django_user_model.objects.create_user("analyst", password="x", is_staff=True)
    client.force_login(user)
    with console_output(json_lines=True) as out:
        client.get(reverse("feedback:staff_home"))
        client.get("/no/such/page/13912345678/")
    staff, missing = request_lines(json_records(out))
    assert staff["user_id"] == user.pk and staff["route"] == "feedback:staff_home"
    assert missing["route"] == "unmatched" and missing["status"] == 404
    assert PHONE not in out.getvalue() and "analyst" not in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_the_tasks_a_request_queued_log_with_its_request_id(client, database_queue, sms_outbox):
    session = SessionFactory()
    response = client.post(
        reverse("campaigns:signup", args=[session.activity.slug, session.pk]),
        {"name": NAME, "phone": PHONE, "email": "lin@example.com", "companions": "0",
         "rules_accepted": "on", "consent": "on"},
        HTTP_X_REQUEST_ID="signup-request-0001",
    )
    assert response.status_code == 302
    with console_output(json_lines=True) as out:
        run_worker()
    records = json_records(out)
    task_lines = [r for r in records if r["message"].startswith("Task id=")]
    assert len(task_lines) == 4, out.getvalue()  # email and SMS: running, successful
    assert {r["request_id"] for r in task_lines} == {"signup-request-0001"}
    # The worker's own lines belong to no request.
    assert records[0]["message"].startswith("Starting worker") and records[0]["request_id"] == "-"
    assert len(sms_outbox) == 1
    assert PHONE not in out.getvalue() and NAME not in out.getvalue()
