"""PostgreSQL really stops and starts again: visitors get the 503 page, then the site is back.

A private PostgreSQL cluster (initdb + pg_ctl in a temporary folder, a free loopback port,
run as the `postgres` user when the tests run as root) serves gunicorn with production
settings. The cluster is stopped with `pg_ctl stop -m fast` (connections cut, as in a crash
or failover) and started again. The shared server on 5432 is never touched.

Skipped when the PostgreSQL server binaries are not installed, except under CI=true, where
their absence is a failure.
"""

import glob
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time

import pytest

from .conftest import BASE_DIR, free_port, manage, production_environment
from .test_database_down import Site

pytestmark = pytest.mark.faults


def server_binaries() -> tuple[str, str] | None:
    """initdb and pg_ctl: on PATH, or Debian's /usr/lib/postgresql/<version>/bin."""
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl:
        return initdb, pg_ctl
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: p.split("/")[-2])
    for folder in reversed(versions):
        if os.path.exists(f"{folder}/initdb") and os.path.exists(f"{folder}/pg_ctl"):
            return f"{folder}/initdb", f"{folder}/pg_ctl"
    return None


class PrivatePostgres:
    """A throw-away cluster owned by `postgres` (PostgreSQL refuses to run as root)."""

    def __init__(self, initdb: str, pg_ctl: str):
        self.initdb, self.pg_ctl = initdb, pg_ctl
        self.port = free_port()
        self.as_root = os.geteuid() == 0
        self.folder = tempfile.mkdtemp(prefix="yzfw-pg-")
        self.data = os.path.join(self.folder, "data")
        self.log = os.path.join(self.folder, "server.log")
        if self.as_root:
            owner = pwd.getpwnam("postgres")
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/site"

    def run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_root else []
        result = subprocess.run(
            [*prefix, *command], capture_output=True, text=True, timeout=120, check=False
        )
        assert result.returncode == 0, f"{command[0]} failed:\n{result.stdout}\n{result.stderr}"

    def create(self) -> None:
        self.run(self.initdb, "-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
                 "--locale=C", "--no-sync")
        self.start()
        psql = os.path.join(os.path.dirname(os.path.realpath(self.pg_ctl)), "psql")
        self.run(psql, "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-q",
                 "-c", "CREATE DATABASE site")

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} "
            "-c fsync=off -c full_page_writes=off"
        )
        self.run(self.pg_ctl, "-D", self.data, "-o", options, "-l", self.log, "-w", "-t", "60",
                 "start")

    def stop(self) -> None:
        self.run(self.pg_ctl, "-D", self.data, "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        if os.path.exists(os.path.join(self.data, "postmaster.pid")):
            self.run(self.pg_ctl, "-D", self.data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="module")
def private_postgres():
    binaries = server_binaries()
    if binaries is None:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL server binaries (initdb, pg_ctl) are missing on CI")
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root without a `postgres` user to own the cluster")
    server = PrivatePostgres(*binaries)
    try:
        server.create()
        yield server
    finally:
        server.destroy()


@pytest.fixture(scope="module")
def site_on_private_postgres(private_postgres, production_static_root, tmp_path_factory):
    env = production_environment(
        DATABASE_URL=private_postgres.url,
        DJANGO_STATIC_ROOT=str(production_static_root),
        DJANGO_TRUSTED_PROXIES="127.0.0.1",
        # Every page from the database: a page still in the public page cache would (rightly)
        # go on answering 200 while PostgreSQL is down.
        CAMPAIGN_PAGE_CACHE_LOCAL_SECONDS="0",
    )
    result = manage("migrate", "--no-input", env=env)
    assert result.returncode == 0, result.stderr

    port = free_port()
    log_path = tmp_path_factory.mktemp("gunicorn-pg") / "gunicorn.log"
    env.update(GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="1", GUNICORN_THREADS="2")
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py",
             "--no-control-socket", "config.wsgi"],
            cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    site = Site(port, log_path)
    try:
        wait_for(site, "/healthz", 200, seconds=30, process=process)
        yield site
    finally:
        process.terminate()
        process.wait(timeout=15)


def wait_for(site, path, status, *, seconds, process=None):
    """Ask until `path` answers `status`; return the last (response, text)."""
    deadline = time.monotonic() + seconds
    while True:
        if process is not None:
            assert process.poll() is None, f"gunicorn exited:\n{site.log()}"
        try:
            response, text = site.request("GET", path)
            if response.status == status:
                return response, text
        except OSError:
            pass
        assert time.monotonic() < deadline, f"{path} never answered {status}:\n{site.log()}"
        time.sleep(0.2)


def test_pages_answer_503_while_postgres_is_stopped_and_200_once_it_is_back(
    private_postgres, site_on_private_postgres
):
    site = site_on_private_postgres
    for path in ("/", "/activities/", "/readyz"):
        assert site.request("GET", path)[0].status == 200

    private_postgres.stop()
    try:
        response, page = site.request("GET", "/")
        assert response.status == 503
        assert "系统暂时繁忙" in page and "Traceback" not in page
        assert response.getheader("Retry-After") == "30"
        response, page = site.request("GET", "/activities/")
        assert response.status == 503
        response, text = site.request("GET", "/readyz")
        assert (response.status, text) == (503, "database unavailable\n")
    finally:
        private_postgres.start()

    # Back without restarting gunicorn: the next requests reconnect.
    wait_for(site, "/readyz", 200, seconds=20)
    assert site.request("GET", "/")[0].status == 200
    assert site.request("GET", "/activities/")[0].status == 200
    assert "Database unavailable (OperationalError) during GET /" in site.log()
