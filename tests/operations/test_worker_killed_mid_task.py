"""A worker killed mid-task (SIGKILL: the OOM killer, a systemd stop timeout) loses nothing.

Real processes: `manage.py db_worker` runs a signup's confirmation SMS and is killed with
SIGKILL while the task is RUNNING, once before the provider accepted the message and once
after the message was sent but before the task was marked done. A second worker started
afterwards (as systemd restarts one) re-queues the dead worker's task; the person gets the
message exactly once either way. The database is a fresh one of its own (PostgreSQL when the
suite runs on PostgreSQL, else a SQLite file), since the workers are other processes.
"""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def worker_database(tmp_path_factory):
    """A migrated database the worker processes and this test share."""
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        import psycopg

        name = f"{settings_dict['NAME']}_workers_{uuid.uuid4().hex[:6]}"
        user = settings_dict.get("USER") or "postgres"
        password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
        host, port = settings_dict.get("HOST") or "127.0.0.1", settings_dict.get("PORT") or 5432
        admin = f"postgresql://{user}{password}@{host}:{port}/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = f"postgres://{user}{password}@{host}:{port}/{name}"
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('workers') / 'db.sqlite3'}"
    env = worker_env(url, tmp_path_factory.mktemp("sms"))
    result = subprocess.run([sys.executable, "manage.py", "migrate", "--no-input"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    try:
        yield url
    finally:
        if connection.vendor == "postgresql":
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def worker_env(database_url: str, sms_dir: Path) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CAMPAIGN_"))},
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "1",
        "DJANGO_LOG_FORMAT": "plain",
        "DATABASE_URL": database_url,
        "CAMPAIGN_TASKS_BACKEND": "database",
        "CAMPAIGN_TASKS_LEASE_SECONDS": "4",
        "CAMPAIGN_SMS_BACKEND": "tests.operations.holding_sms.HoldingFileBackend",
        "TEST_SMS_DIR": str(sms_dir),
    }


def django_shell(env, code: str) -> str:
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


def start_worker(env, log: Path) -> subprocess.Popen:
    with log.open("a") as out:
        return subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay",
             "--interval", "0.2"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )


def wait_for(condition, what: str, *, seconds=60, log: Path | None = None):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}\n" + (
            log.read_text() if log and log.exists() else "")
        time.sleep(0.1)


TASK_STATE = """
import json
from django_tasks_db.models import DBTaskResult
row = DBTaskResult.objects.get(task_path="campaigns.sms.delivery.send_sms",
                               args_kwargs__kwargs__record_id={pk})
print(json.dumps({{"status": row.status, "workers": len(row.worker_ids)}}))
"""

NEW_SIGNUP = """
from tests.factories import SignupFactory
print(SignupFactory(phone="139{tail:08d}", session__activity__slug="killed-{tail}").pk)
"""


@pytest.mark.parametrize("moment", ["before", "after"],
                         ids=["killed before the provider accepted",
                              "killed after sending, before the task was marked done"])
def test_the_task_of_a_killed_worker_is_recovered_and_sent_exactly_once(
    worker_database, tmp_path, moment
):
    sms_dir = tmp_path / "sms"
    sms_dir.mkdir()
    env = worker_env(worker_database, sms_dir)
    log = tmp_path / "workers.log"
    (sms_dir / "mode").write_text(moment)
    (sms_dir / "hold").touch()
    outbox = sms_dir / "outbox.jsonl"

    tail = {"before": 1, "after": 2}[moment]
    pk = int(django_shell(env, NEW_SIGNUP.format(tail=tail)))  # queues its confirmation SMS

    first = start_worker(env, log)
    try:
        wait_for(lambda: (sms_dir / "holding").exists(), "the worker to hold", log=log)
        state = json.loads(django_shell(env, TASK_STATE.format(pk=pk)))
        assert state == {"status": "RUNNING", "workers": 1}
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    sent_before_recovery = outbox.read_text().count("\n") if outbox.exists() else 0
    assert sent_before_recovery == (0 if moment == "before" else 1)
    state = json.loads(django_shell(env, TASK_STATE.format(pk=pk)))
    assert state == {"status": "RUNNING", "workers": 1}  # left running by the dead worker

    # systemd starts a new worker: it finds the dead one's task and runs it again.
    (sms_dir / "hold").unlink()
    (sms_dir / "mode").write_text("")
    second = start_worker(env, log)
    try:
        wait_for(lambda: json.loads(django_shell(env, TASK_STATE.format(pk=pk)))["status"]
                 == "SUCCESSFUL", "the recovered task to succeed", log=log)
    finally:
        second.terminate()
        second.wait(timeout=20)

    state = json.loads(django_shell(env, TASK_STATE.format(pk=pk)))
    assert state == {"status": "SUCCESSFUL", "workers": 2}
    lines = [json.loads(line) for line in outbox.read_text().splitlines()]
    assert lines == [{"kind": "signup_confirmed", "tail": f"{tail:04d}"}]  # exactly once
    text = log.read_text()
    assert "re-queued" in text
    assert f"139{tail:08d}" not in text  # the number never reaches the log
