"""Redis really stops and starts again: pages serve, signups go through, the limits come back.

A private `redis-server` on a free loopback port (never the shared one) serves the cache
through the project's own backend (config.cache.DegradingRedisCache). While it runs, the
rate limit counts in it and refuses the third signup from one address; when the process is
killed, pages still answer 200 and signups are accepted (the limit fails open, as
docs/security.md says); when it is started again the cache and the limit work again.
With CAMPAIGN_TASKS_BACKEND=rq the email queue lives in the same Redis: the RQ worker sends
the email, and while Redis is down a signup is still saved (its email cannot be queued and
the log says so, without personal data).
"""

import logging
import shutil
import subprocess
import time

import pytest
import redis
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django_rq.management.commands.rqworker import Command as RQWorkerCommand

from campaigns.models import Signup
from config.cache import DegradingRedisCache, outages
from tests.factories import SessionFactory

from .conftest import free_port

REDIS_SERVER = shutil.which("redis-server") or "redis-server"

pytestmark = [
    pytest.mark.faults,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server not installed"),
]


class PrivateRedis:
    """`redis-server` on a loopback port of its own, without persistence."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return
            except redis.exceptions.ConnectionError:
                assert self.process.poll() is None, "redis-server exited"
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def stored_keys(self) -> list[bytes]:
        return redis.Redis.from_url(self.url).keys("*")


@pytest.fixture
def private_redis(monkeypatch):
    server = PrivateRedis()
    server.start()
    # Rest 0.2 s (not 5) after a failure, so that recovery shows within the test.
    monkeypatch.setattr(DegradingRedisCache, "RETRY_SECONDS", 0.2)
    outages.reset()
    yield server
    server.kill()
    outages.reset()


@pytest.fixture
def redis_cache(private_redis):
    caches = {
        "default": {
            "BACKEND": "config.cache.DegradingRedisCache",
            "LOCATION": private_redis.url,
            "KEY_PREFIX": "faults",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    with override_settings(
        CACHES=caches,
        RATELIMIT_ENABLED=True,
        RATELIMITS={"signup_ip": "2/h", "signup_phone": "10/h"},
    ):
        yield private_redis


def sign_up(client, session, phone):
    return client.post(
        reverse("campaigns:signup", args=[session.activity.slug, session.pk]),
        {
            "name": "周小凡",
            "phone": phone,
            "companions": "0",
            "rules_accepted": "on",
            "consent": "on",
        },
    )


def wait_for_rest_to_end():
    time.sleep(DegradingRedisCache.RETRY_SECONDS + 0.1)


@pytest.mark.django_db
def test_limits_count_in_redis_fail_open_while_it_is_stopped_and_return_with_it(
    client, redis_cache, caplog
):
    session = SessionFactory(capacity=100)

    # Redis up: the cache works and the limit refuses the third signup from one address.
    cache.set("greeting", "你好", 30)
    assert cache.get("greeting") == "你好"
    assert [sign_up(client, session, f"1390000000{i}").status_code for i in range(3)] == [
        302, 302, 429
    ]
    assert any(key.startswith(b"faults:1:rl:signup_ip:") for key in redis_cache.stored_keys())

    # Redis stopped: pages serve, signups past the limit are accepted, the cache is empty.
    redis_cache.kill()
    with caplog.at_level(logging.WARNING, logger="config.cache"):
        assert client.get("/").status_code == 200
        assert client.get("/activities/").status_code == 200
        assert client.get(session.activity.get_absolute_url()).status_code == 200
        assert [sign_up(client, session, f"1390000001{i}").status_code for i in range(3)] == [
            302, 302, 302
        ]
    assert cache.get("greeting", "miss") == "miss"
    assert Signup.objects.filter(phone__startswith="1390000001").count() == 3
    outage = [r.getMessage() for r in caplog.records if r.name == "config.cache"]
    assert len(outage) == 1 and "unreachable (ConnectionError)" in outage[0]
    assert "1390000001" not in caplog.text and redis_cache.url not in caplog.text

    # Redis started again (empty, as after a restart without persistence): all comes back.
    redis_cache.start()
    wait_for_rest_to_end()
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="config.cache"):
        cache.set("greeting", "又见面了", 30)
    assert cache.get("greeting") == "又见面了"
    assert "Redis cache reachable again" in caplog.text
    assert [sign_up(client, session, f"1390000002{i}").status_code for i in range(3)] == [
        302, 302, 429
    ]


RQ_SETTINGS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}


def run_rq_worker():
    """The production worker command, in burst mode and without forking (mail.outbox)."""
    call_command(
        RQWorkerCommand(), "default", "--burst",
        "--worker-class", "rq.worker.SimpleWorker", "--job-class", "django_tasks_rq.Job",
    )


@pytest.mark.django_db(transaction=True)
def test_with_the_rq_queue_emails_go_through_redis_and_a_stopped_redis_loses_no_signup(
    client, private_redis, caplog
):
    session = SessionFactory(capacity=100)
    queues = {"default": {"URL": private_redis.url, "DEFAULT_TIMEOUT": 60}}
    with override_settings(TASKS=RQ_SETTINGS, RQ_QUEUES=queues, RATELIMIT_ENABLED=False):
        response = client.post(
            reverse("campaigns:signup", args=[session.activity.slug, session.pk]),
            {"name": "周小凡", "phone": "13900000030", "email": "zhou@example.com",
             "companions": "0", "rules_accepted": "on", "consent": "on"},
        )
        assert response.status_code == 302
        assert mail.outbox == []
        assert any(key.startswith(b"rq:job:") for key in private_redis.stored_keys())
        run_rq_worker()
        assert [m.to for m in mail.outbox] == [["zhou@example.com"]]

        private_redis.kill()
        with caplog.at_level(logging.ERROR, logger="config.tasks"):
            response = client.post(
                reverse("campaigns:signup", args=[session.activity.slug, session.pk]),
                {"name": "周小凡", "phone": "13900000031", "email": "zhou2@example.com",
                 "companions": "0", "rules_accepted": "on", "consent": "on"},
            )
        assert response.status_code == 302
        assert Signup.objects.filter(phone="13900000031").exists()
        assert "Could not enqueue send_notification(kind=signup_created" in caplog.text
        assert "zhou2@example.com" not in caplog.text and "13900000031" not in caplog.text
