"""The deployment files in deploy/ are valid and do what they promise.

nginx (Debian package) checks the site with `nginx -t`, then serves it for real on free
loopback ports in front of a tiny echo server standing in for gunicorn: a forged
X-Forwarded-For / X-Forwarded-Proto from the client never reaches the app, static files get
a year's cache, /metrics is not public, plain http goes to https, and a dead instance in the
upstream is routed around. Skipped where nginx or openssl is not installed.
"""

import getpass
import http.server
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from config import clientip

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
OPENSSL = shutil.which("openssl")

needs_nginx = pytest.mark.skipif(not (NGINX and OPENSSL), reason="nginx or openssl not installed")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Echo(http.server.BaseHTTPRequestHandler):
    """Answers every request with the headers it received, as JSON."""

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        body = json.dumps({k.lower(): v for k, v in self.headers.items()}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def nginx_site(tmp_path_factory):
    if not (NGINX and OPENSSL):
        pytest.skip("nginx or openssl not installed")
    prefix = tmp_path_factory.mktemp("nginx")
    for name in ("logs", "ssl", "static", "tmp"):
        (prefix / name).mkdir()
    subprocess.run(
        [OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=fuwu.example.cn", "-keyout", str(prefix / "ssl/privkey.pem"),
         "-out", str(prefix / "ssl/fullchain.pem")],
        check=True, capture_output=True,
    )
    (prefix / "static/site.css").write_text("body { color: black; }\n" * 100)

    echo = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=echo.serve_forever, daemon=True).start()
    dead = free_port()  # nothing listens there: an instance that died
    http_port, https_port = free_port(), free_port()

    site = (DEPLOY / "nginx/campaign.conf").read_text()
    upstream = (
        f"server 127.0.0.1:{dead} max_fails=3 fail_timeout=10s;\n"
        f"    server 127.0.0.1:{echo.server_port} max_fails=3 fail_timeout=10s;"
    )
    site = re.sub(r"server 127\.0\.0\.1:8001[^\n]*\n\s*server 127\.0\.0\.1:8002[^\n]*;",
                  upstream, site)
    site = site.replace("listen 80;", f"listen {http_port};")
    site = site.replace("listen 443 ssl http2;", f"listen {https_port} ssl http2;")
    site = re.sub(r"\n\s*listen \[::\][^\n]*", "", site)  # no IPv6 needed here
    site = site.replace("return 301 https://$host$request_uri;",
                        f"return 301 https://$host:{https_port}$request_uri;")
    site = site.replace("/etc/ssl/campaign", str(prefix / "ssl"))
    site = site.replace("/var/log/nginx", str(prefix / "logs"))
    site = site.replace("/srv/campaign/staticfiles/", f"{prefix / 'static'}/")
    (prefix / "site.conf").write_text(site)
    temp = " ".join(f"{kind}_temp_path {prefix / 'tmp' / kind};"
                    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    # As root, nginx's workers would run as nobody, who cannot read pytest's private tmp.
    user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
    (prefix / "nginx.conf").write_text(f"""
        {user}
        pid {prefix}/nginx.pid;
        error_log {prefix}/logs/error.log;
        events {{}}
        http {{
            include /etc/nginx/mime.types;
            {temp}
            include {DEPLOY / 'nginx/campaign-log-format.conf'};
            include {prefix / 'site.conf'};
        }}
    """)
    test = subprocess.run([NGINX, "-t", "-c", str(prefix / "nginx.conf"), "-p", str(prefix)],
                          capture_output=True, text=True)
    assert test.returncode == 0, test.stderr
    process = subprocess.Popen([NGINX, "-c", str(prefix / "nginx.conf"), "-p", str(prefix),
                                "-g", "daemon off;"], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", https_port), timeout=1).close()
            break
        except OSError:
            assert process.poll() is None, process.stderr.read().decode()
            assert time.monotonic() < deadline, "nginx did not start"
            time.sleep(0.1)
    try:
        yield {"http": http_port, "https": https_port, "logs": prefix / "logs"}
    finally:
        process.terminate()
        process.wait(timeout=10)
        echo.shutdown()


def fetch(site, path, *, scheme="https", method="GET", headers=None):
    port = site[scheme]
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPSHandler(context=context))
    request = urllib.request.Request(  # noqa: S310 (http(s) on the loopback only)
        f"{scheme}://127.0.0.1:{port}{path}", method=method,
        headers={"Host": "fuwu.example.cn", **(headers or {})},
        data=b"a=1" if method == "POST" else None,
    )
    try:
        response = opener.open(request, timeout=10)
    except urllib.error.HTTPError as error:
        response = error
    return response.status, dict(response.headers), response.read()


@needs_nginx
def test_the_client_cannot_forge_forwarded_headers(nginx_site):
    status, _, body = fetch(nginx_site, "/activities/?q=1", headers={
        "X-Forwarded-For": "6.6.6.6", "X-Forwarded-Proto": "http",
        "X-Forwarded-Host": "evil.example", "Forwarded": "for=6.6.6.6",
        "X-Request-ID": "client-chosen",
    })
    seen = json.loads(body)
    assert status == 200
    assert seen["x-forwarded-for"] == "127.0.0.1"  # what nginx saw, not what the client said
    assert seen["x-forwarded-proto"] == "https"
    assert "x-forwarded-host" not in seen and "forwarded" not in seen
    assert re.fullmatch(r"[0-9a-f]{32}", seen["x-request-id"])  # nginx's own id


@needs_nginx
def test_what_nginx_forwards_is_believed_by_the_client_address_helper(nginx_site, rf, settings):
    """The header nginx set, arriving from nginx's address, is the client for Django."""
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1"]
    _, _, body = fetch(nginx_site, "/", headers={"X-Forwarded-For": "6.6.6.6"})
    forwarded = json.loads(body)["x-forwarded-for"]
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert clientip.client_ip(request) == "127.0.0.1"  # the test's own address, not 6.6.6.6


@needs_nginx
def test_plain_http_is_sent_to_https(nginx_site):
    status, headers, _ = fetch(nginx_site, "/activities/", scheme="http")
    assert status == 301
    assert headers["Location"].startswith("https://fuwu.example.cn:")
    assert headers["Location"].endswith("/activities/")


@needs_nginx
def test_static_files_are_cached_for_a_year_and_compressed(nginx_site):
    status, headers, _ = fetch(nginx_site, "/static/site.css",
                               headers={"Accept-Encoding": "gzip"})
    assert status == 200
    assert "max-age=31536000" in headers["Cache-Control"]
    assert "immutable" in headers["Cache-Control"]
    assert headers.get("Content-Encoding") == "gzip"


@needs_nginx
def test_metrics_are_not_served_to_the_public(nginx_site):
    assert fetch(nginx_site, "/metrics")[0] == 404


@needs_nginx
def test_a_dead_instance_is_routed_around_for_reads(nginx_site):
    # One of the two upstream instances refuses connections: every GET still succeeds.
    statuses = [fetch(nginx_site, f"/activities/?n={n}")[0] for n in range(6)]
    assert statuses == [200] * 6


@needs_nginx
def test_the_access_log_holds_no_query_string_token_or_reference(nginx_site):
    fetch(nginx_site, "/my/link/SECRET-TOKEN-123/")
    fetch(nginx_site, "/en/my/K7MX-Q4PA/cancel/")
    fetch(nginx_site, "/feedback/status/?ref=K7MX-Q4PA&phone=13800138000")
    log = ""
    deadline = time.monotonic() + 5
    while "feedback/status" not in log and time.monotonic() < deadline:
        time.sleep(0.1)
        log = (nginx_site["logs"] / "campaign.access.log").read_text()
    assert "/my/link/[redacted]/" in log and "/en/my/[ref]/cancel/" in log
    for secret in ("SECRET-TOKEN-123", "K7MX-Q4PA", "13800138000", "phone="):
        assert secret not in log
    assert re.search(r"id=[0-9a-f]{32}", log)


def test_systemd_units_and_jobs_name_commands_that_exist():
    """Every manage.py command the units, the job script and the Procfile run exists."""
    from django.core.management import get_commands

    commands = get_commands()
    text = "\n".join(path.read_text() for path in DEPLOY.rglob("*") if path.is_file())
    used = set(re.findall(r"manage(?:\.py)? ([a-z_]+)", text))
    assert {"db_worker", "recover_tasks", "feedback_overdue", "purge_personal_data"} <= used
    assert used <= set(commands) | {"rqworker"}
    jobs = (DEPLOY / "jobs.sh").read_text()
    for timer in (DEPLOY / "systemd").glob("campaign-job@*.timer"):
        name = timer.name.removeprefix("campaign-job@").removesuffix(".timer")
        assert re.search(rf"^\s+{re.escape(name)}\)", jobs, re.M), name
    assert commands["db_worker"] == "config.operations"  # the worker with a lease


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not installed")
def test_systemd_units_parse(tmp_path):
    units = tmp_path / "units"
    units.mkdir()
    for path in (DEPLOY / "systemd").iterdir():
        text = path.read_text().replace("/srv/campaign/app/.venv/bin/gunicorn", "/bin/true")
        text = text.replace("/srv/campaign/app/.venv/bin/python", "/bin/true")
        text = text.replace("/srv/campaign/app/deploy/jobs.sh", "/bin/true")
        (units / path.name).write_text(text)
    names = [str(units / n) for n in ("campaign-web@8001.service", "campaign-worker@1.service",
                                      "campaign-job@recover.service", "campaign-job@recover.timer")]
    for name in names:  # instances of the templates
        template = re.sub(r"@[^.]+\.", "@.", Path(name).name)
        if not Path(name).exists():
            Path(name).symlink_to(units / template)
    result = subprocess.run([shutil.which("systemd-analyze"), "verify", "--man=no", *names],
                            capture_output=True, text=True, cwd=units)
    problems = [line for line in result.stderr.splitlines()
                if "campaign" in line and "not found" not in line.lower()
                and "Failed to" not in line]
    assert problems == [], result.stderr


def test_an_instance_is_drained_from_the_upstream_and_put_back(tmp_path):
    """deploy/nginx-upstream.sh marks one server `down` (twice is once) and removes the mark,
    leaving the rest of the site file as it was; an unknown port is an error."""
    site = tmp_path / "campaign.conf"
    original = (DEPLOY / "nginx/campaign.conf").read_text()
    site.write_text(original)
    env = {**os.environ, "CAMPAIGN_NGINX_SITE": str(site), "NGINX": "true"}

    def run(*args):
        return subprocess.run(["/bin/sh", str(DEPLOY / "nginx-upstream.sh"), *args], env=env,
                              capture_output=True, text=True)

    assert run("down", "8001").returncode == 0
    assert run("down", "8001").returncode == 0
    servers = re.findall(r"^\s*server 127\.0\.0\.1:.*$", site.read_text(), re.M)
    assert servers[0].endswith("max_fails=3 fail_timeout=10s down;")
    assert servers[1].endswith("max_fails=3 fail_timeout=10s;")
    assert run("up", "8001").returncode == 0
    assert site.read_text() == original
    assert run("down", "8003").returncode == 1
