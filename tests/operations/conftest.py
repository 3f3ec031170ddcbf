import shutil
import subprocess
import time

import pytest
import redis

# The production-process fixtures of tests/security (a child process with DEBUG off), and
# free_port.
from tests.security.conftest import (  # noqa: F401
    free_port,
    production_database_url,
    production_env,
    production_static_root,
)


@pytest.fixture
def private_redis():
    """A redis-server of the test's own on a free loopback port (never the shared one):
    (its URL, a client)."""
    port = free_port()
    server = subprocess.Popen(
        [
            shutil.which("redis-server"),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port, socket_connect_timeout=0.2)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.exceptions.ConnectionError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
    try:
        yield f"redis://127.0.0.1:{port}/0", client
    finally:
        server.kill()
        server.wait(timeout=10)
