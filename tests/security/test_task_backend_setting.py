"""An operator picks the email queue with CAMPAIGN_TASKS_BACKEND; the database is the default."""

import pytest

from .conftest import manage, production_environment, run_python

PROBE = """
    import json

    import django
    django.setup()
    from django.conf import settings
    from django_tasks import task_backends

    print(json.dumps({
        "backend": type(task_backends["default"]).__name__,
        "rq_url": settings.RQ_QUEUES["default"]["URL"] if hasattr(settings, "RQ_QUEUES") else "",
    }))
"""


def test_production_queues_emails_in_the_database_by_default():
    assert run_python(PROBE, production_environment()) == {
        "backend": "DatabaseBackend", "rq_url": ""
    }


def test_rq_queue_uses_redis_with_a_short_connect_timeout():
    env = production_environment(
        CAMPAIGN_TASKS_BACKEND="rq", REDIS_URL="redis://127.0.0.1:6379/0",
        CAMPAIGN_TASKS_REDIS_URL="redis://127.0.0.1:6379/1",
    )
    assert run_python(PROBE, env) == {
        "backend": "RQBackend",
        "rq_url": "redis://127.0.0.1:6379/1?socket_connect_timeout=0.5",
    }


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"CAMPAIGN_TASKS_BACKEND": "celery"}, "CAMPAIGN_TASKS_BACKEND must be one of"),
        ({"CAMPAIGN_TASKS_BACKEND": "rq"}, "needs CAMPAIGN_TASKS_REDIS_URL or REDIS_URL"),
    ],
)
def test_a_wrong_queue_setting_stops_the_site_from_starting(overrides, message):
    result = manage("check", env=production_environment(**overrides))

    assert result.returncode != 0
    assert message in result.stderr
