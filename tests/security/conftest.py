"""Fixtures that run the project the way production does: in its own process, DEBUG off.

pytest runs with DJANGO_DEBUG=1 (pyproject.toml), so production-only settings (HSTS, secure
cookies, the static manifest) are only real in a child process started with production's
environment. The child gets a fresh environment built here, never the test run's DATABASE_URL
or REDIS_URL by accident.
"""

import json
import os
import secrets
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION_HOST = "example.com"
# Nothing listens on port 1 of the loopback: connections are refused at once.
DEAD_POSTGRES_URL = "postgres://postgres@127.0.0.1:1/nowhere"
DEAD_REDIS_URL = "redis://127.0.0.1:1/0"
TEST_REDIS_URL = "redis://127.0.0.1:6379/2"


PRODUCTION_SMS = {
    "CAMPAIGN_SMS_BACKEND": "aliyun",
    "CAMPAIGN_SMS_ALIYUN_ACCESS_KEY_ID": "LTAI-dummy-key-id",
    "CAMPAIGN_SMS_ALIYUN_ACCESS_KEY_SECRET": "dummy-secret",
    **{f"CAMPAIGN_SMS_TEMPLATE_{kind}": f"SMS_00000000{n}" for n, kind in enumerate(
        ("CODE", "SIGNUP_CONFIRMED", "SIGNUP_PROMOTED", "APPLICATION_RESULT",
         "RECEPTION_VIDEO", "REPLY", "TASK_OPENED", "REPORT_RETURNED"))},
}


def production_environment(**overrides: str) -> dict[str, str]:
    """The environment a production process gets: DEBUG off, a real secret, one host."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "SYSTEMROOT")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    env.update(
        {
            "PYTHONPATH": str(BASE_DIR),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": PRODUCTION_HOST,
            # A provider with its (dummy) keys and templates: codes must be able to arrive.
            **PRODUCTION_SMS,
        }
    )
    env.update(overrides)
    return {name: value for name, value in env.items() if value is not None}


def run_python(code: str, env: dict[str, str], timeout: int = 120) -> dict:
    """Run `code` (which ends by printing one JSON object) in a child Python; return it."""
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, f"child failed:\n{result.stdout}\n{result.stderr}"
    return json.loads(result.stdout.strip().splitlines()[-1])


def manage(*args: str, env: dict[str, str], timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def stop_gunicorn(process) -> None:
    """SIGTERM, as systemd stops it. gunicorn lets each worker finish first, and a sync worker
    has been seen (once, in CI) to notice only after its wait for connections timed out
    (GUNICORN_TIMEOUT / 2 = 15 s): wait out its graceful timeout, then kill."""
    process.terminate()
    try:
        process.wait(timeout=40)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def production_static_root(tmp_path_factory) -> Path:
    """collectstatic with production's storage (hashed, compressed names + manifest).

    Production pages cannot render {% static %} without the manifest, so every child that
    renders a page with DEBUG off uses this folder.
    """
    root = tmp_path_factory.mktemp("staticfiles")
    result = manage(
        "collectstatic", "--no-input", env=production_environment(DJANGO_STATIC_ROOT=str(root))
    )
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="session")
def production_database_url(tmp_path_factory) -> str:
    """A migrated SQLite database of its own for production children (not the test DB)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('proddb') / 'db.sqlite3'}"
    result = manage("migrate", "--no-input", env=production_environment(DATABASE_URL=url))
    assert result.returncode == 0, result.stderr
    return url


@pytest.fixture(scope="session")
def production_env(production_static_root, production_database_url):
    """A production environment with static files collected and a migrated database."""

    def build(**overrides: str) -> dict[str, str]:
        defaults = {
            "DJANGO_STATIC_ROOT": str(production_static_root),
            "DATABASE_URL": production_database_url,
        }
        return production_environment(**{**defaults, **overrides})

    return build
