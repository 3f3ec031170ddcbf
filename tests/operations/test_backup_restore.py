"""A backup that restores: pg_dump the database, pg_restore it into a new one, serve from it.

What docs/operations.md tells the operator to do, done on this machine's PostgreSQL with the
client tools of the Debian package: a custom-format dump of the live database, restored
with --no-owner into a database of its own, then a production-like process of the site
pointed at the restored database answers /readyz and shows the activity and the signup
count that were in the original. Everything it creates is removed afterwards.
"""

import shutil
import subprocess
import uuid

import pytest
from django.db import connection

from tests.factories import SessionFactory, SignupFactory
from tests.security.conftest import production_environment, run_python

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SERVE = """
import json, django
django.setup()
from django.test import Client
from campaigns.models import Signup
client = Client(HTTP_HOST="example.com")
page = client.get("/activities/")
print(json.dumps({
    "readyz": client.get("/readyz").status_code,
    "activities": page.status_code,
    "has_title": "备份恢复演练活动" in page.content.decode(),
    "signups": Signup.objects.count(),
}))
"""


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump and pg_restore back up PostgreSQL")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("the PostgreSQL client tools are not installed")


def libpq_args(settings_dict, database: str) -> list[str]:
    args = ["-h", settings_dict.get("HOST") or "127.0.0.1",
            "-p", str(settings_dict.get("PORT") or 5432),
            "-U", settings_dict.get("USER") or "postgres", "-d", database]
    return args


def url(settings_dict, database: str) -> str:
    user = settings_dict.get("USER") or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    return f"postgres://{user}{password}@{host}:{settings_dict.get('PORT') or 5432}/{database}"


def test_a_dump_restored_into_a_new_database_serves_the_site(tmp_path, production_static_root):
    session = SessionFactory(activity__title="备份恢复演练活动")
    for _ in range(3):
        SignupFactory(session=session)

    settings_dict = connection.settings_dict
    env = {"PGPASSWORD": settings_dict.get("PASSWORD") or ""}
    source = settings_dict["NAME"]
    restored = f"{source}_restored_{uuid.uuid4().hex[:8]}"
    dump = tmp_path / "campaign.dump"

    def run(*command):
        result = subprocess.run(command, capture_output=True, text=True, timeout=300,
                                env={**production_environment(), **env})
        assert result.returncode == 0, result.stderr
        return result

    run("pg_dump", "--format=custom", "--no-owner", "--file", str(dump),
        *libpq_args(settings_dict, source))
    assert dump.stat().st_size > 0
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{restored}"')
    try:
        run("pg_restore", "--no-owner", "--exit-on-error", "--jobs", "2",
            *libpq_args(settings_dict, restored), str(dump))
        served = run_python(SERVE, production_environment(
            DATABASE_URL=url(settings_dict, restored),
            DJANGO_STATIC_ROOT=str(production_static_root),
            DJANGO_SECURE_SSL_REDIRECT="0",
            CAMPAIGN_PAGE_CACHE_LOCAL_SECONDS="0",
        ))
        assert served == {"readyz": 200, "activities": 200, "has_title": True, "signups": 3}
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')
        dump.unlink(missing_ok=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [restored])
        assert cursor.fetchone() == (0,)
