"""A 403 (or any 4xx) is logged as one line: no traceback, no personal data; a 500 keeps it."""

import logging

import pytest
from django.urls import reverse

from .logs import console_output

pytestmark = pytest.mark.django_db


def test_permission_denied_is_one_line_without_a_traceback(client, django_user_model):
    clerk = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
    client.force_login(clerk)
    with console_output() as out:
        response = client.get(reverse("feedback:dashboard") + "?phone=13800138000")
    assert response.status_code == 403
    lines = out.getvalue().splitlines()
    forbidden = [line for line in lines if "Forbidden (Permission denied)" in line]
    assert len(forbidden) == 1
    assert "Traceback" not in out.getvalue() and "PermissionDenied" not in out.getvalue()
    assert "13800138000" not in out.getvalue()


def test_a_csrf_failure_is_one_line(client):
    client.handler.enforce_csrf_checks = True
    with console_output() as out:
        response = client.post(reverse("feedback:create"), {"comment": "x"})
    assert response.status_code == 403
    text = out.getvalue()
    assert text.count("Forbidden (CSRF") == 1 and "Traceback" not in text


def test_a_server_error_keeps_its_traceback():
    logger = logging.getLogger("django.request")
    with console_output() as out:
        try:
            raise ValueError("boom")
        except ValueError:
            logger.error("Internal Server Error: /x", exc_info=True,
                         extra={"status_code": 500})
    assert "Traceback" in out.getvalue() and "ValueError" in out.getvalue()
