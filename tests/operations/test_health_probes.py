"""/healthz says the process is alive (no database); /readyz says it can serve, or why not."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from tests.security.conftest import DEAD_REDIS_URL, production_environment, run_python

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok\n")
    assert "no-cache" in response["Cache-Control"]


def test_readyz_answers_ok_when_database_and_schema_are_ready(client):
    response = client.get("/readyz")
    assert (response.status_code, response.content) == (200, b"ok\n")
    assert "no-cache" in response["Cache-Control"]


def test_readyz_names_an_unreachable_redis(client, settings):
    settings.REDIS_URL = DEAD_REDIS_URL
    response = client.get("/readyz")
    assert (response.status_code, response.content) == (503, b"redis unavailable\n")


PROBE = """
import json, django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="example.com")
answers = {path: [client.get(path).status_code, client.get(path).content.decode()]
           for path in ("/healthz", "/readyz")}
print(json.dumps(answers))
"""


def test_readyz_refuses_until_migrations_are_applied(tmp_path):
    env = production_environment(DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
                                 DJANGO_SECURE_SSL_REDIRECT="0")
    assert run_python(PROBE, env) == {
        "/healthz": [200, "ok\n"],
        "/readyz": [503, "migrations not applied\n"],
    }


def test_readyz_refuses_while_the_database_is_unreachable_and_healthz_does_not():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": "1",
           "DATABASE_URL": "postgres://nobody@127.0.0.1:1/nowhere",
           "DJANGO_ALLOWED_HOSTS": "example.com"}
    result = subprocess.run([sys.executable, "-c", PROBE], env=env, cwd=settings.BASE_DIR,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        '{"/healthz": [200, "ok\\n"], "/readyz": [503, "database unavailable\\n"]}'
    )
