"""Proof with two servers: nginx in front of two gunicorn instances, PostgreSQL, Redis, RQ.

    .venv/bin/python bench/fleet.py [--database-url URL] [--redis-url URL] [--seconds 12]

Starts on the loopback, from this checkout and with production settings (DEBUG off, HTTPS,
the proxy trusted through DJANGO_TRUSTED_PROXIES, Redis as the cache, the RQ task queue):

- nginx (Debian package) as an unprivileged foreground process, serving
  deploy/nginx/campaign.conf itself, with only what a loopback run needs replaced (ports, a
  self-signed certificate, paths in a temporary directory) and one header added
  (`X-Upstream: $upstream_addr`, which instance answered);
- two gunicorn instances A and B (config/gunicorn.conf.py, config.wsgi, 2 workers each);
- one RQ worker (the confirmation SMS go to a file);
- a fresh PostgreSQL database with the demo campaign, and a Redis database of its own.

Then it proves, printing the figures of each phase and a table at the end:

1. signups spread over both instances never overbook a session (places taken = the places of
   the confirmed signups <= capacity; the rest waits or is refused as the site does);
2. rate limits, sessions and the page-cache invalidation are shared (a signup through A
   changes the places B shows at once);
3. instance A killed (`kill -9`, master and workers) mid-load loses no signup: every 2xx has
   its row, and every row its 2xx or a failed post that, sent again as the person would
   (a new SMS code), is refused as already signed up; a failed post that wrote nothing
   succeeds when sent again; nginx routes around A;
4. a rolling restart as deploy/systemd/campaign-web@.service describes it (A, then B:
   drained from nginx with deploy/nginx-upstream.sh, SIGTERM, start, /readyz, put back)
   fails no request;
5. the RQ worker sent every confirmed signup of the run its confirmation SMS, once
   `manage.py recover_tasks` (run as the deployed timer would, after the load) has queued
   what a killed instance left in the task outbox; the figures say how many that was.

It exits with 1 when a figure is not as expected. `--phases 4 --no-drain` is the control of
phase 4: the restart recipe without the drain. docs/operations.md, "Proof with two servers",
has a run's figures and what they mean.

Loopback only, bounded in time; every process and the temporary directory are removed at
the end (the database is left for inspection, as bench/load.py leaves its own).
"""

import argparse
import collections
import contextlib
import getpass
import hashlib
import http.client
import json
import os
import queue
import re
import secrets
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
import redis  # noqa: E402
from rq import Queue  # noqa: E402

from bench.load import BENCH_CODE, free_port, fresh_postgres_database, shell  # noqa: E402

NGINX = "/usr/sbin/nginx"
DEPLOY = ROOT / "deploy"
HOST = "fuwu.example.cn"
ACTIVITY = "5g-network-brain"
ACTIVITY_PAGE = f"/activities/{ACTIVITY}/"
GET_PATHS = ["/", "/activities/", ACTIVITY_PAGE]
# After `nginx-upstream.sh down`: nginx's old workers finish what they sent the instance.
DRAIN_SECONDS = 2
RETRIES = 50  # failed posts that wrote nothing sent again, at most (the control fails thousands)
LOOKUP_LIMIT = 6  # CAMPAIGN_RATELIMIT_LOOKUP_IP for this run: the 7th lookup is refused
MY_PHONE = "13900000000"  # signs in to 我的 in phase 2
# Phones: 13 + phase digit + 8 digits, each with a valid SMS code (as bench/load.py makes).
PHONES_PER_PHASE = {1: 400, 2: 10, 3: 6000, 4: 10000}


def phone(phase: int, n: int) -> str:
    return f"13{phase}{n:08d}"


# --- The fleet ---------------------------------------------------------------------------


def fleet_env(args, tmp: Path) -> dict:
    """Production settings, as /etc/campaign/campaign.env would give them."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_TRUSTED_PROXIES": "127.0.0.1,::1",
        "DJANGO_STATIC_ROOT": str(tmp / "static"),
        "DJANGO_MEDIA_ROOT": str(tmp / "media"),
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "DJANGO_CACHE_PREFIX": f"fleet-{os.getpid()}",  # a cold cache for every run
        "CAMPAIGN_TASKS_BACKEND": "rq",
        "CAMPAIGN_SMS_BACKEND": "file",
        "CAMPAIGN_SMS_FILE_PATH": str(tmp / "sms.jsonl"),
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "DJANGO_EMAIL_FILE_PATH": str(tmp / "email"),
        "CAMPAIGN_SITE_URL": f"https://{HOST}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_ACCESS_LOG": "",  # the JSON request line is enough
        # Every load request reaches Django from one client address (the loopback through
        # nginx): the per-address signup limit would stop the load, so it is lifted here; the
        # shared-limit proof uses the lookup limit, from an address of its own.
        "CAMPAIGN_RATELIMIT_SIGNUP_IP": "1000000/h",
        "CAMPAIGN_RATELIMIT_LOOKUP_IP": f"{LOOKUP_LIMIT}/h",
    }


def prepare_database(env: dict) -> None:
    fresh_postgres_database(env["DATABASE_URL"])
    for command in (
        ["migrate", "--no-input"],
        ["collectstatic", "--no-input"],
        ["load_demo"],
        ["compile_translations"],
    ):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )


SETUP_SHELL = """
import datetime, json
from django.utils import timezone
from campaigns.models import Activity, PhoneCode, Region, Session
from campaigns.services.phone_codes import code_hash
activity = Activity.objects.get(slug="{activity}")
start = timezone.now() + datetime.timedelta(days=30)
def session(title, capacity, waitlist_limit=0):
    return Session.objects.create(
        activity=activity, title=title, starts_at=start,
        ends_at=start + datetime.timedelta(hours=2), region=Region.objects.get(pk="110100"),
        venue="网络运营中心", capacity=capacity, waitlist_limit=waitlist_limit).pk
now = timezone.now()
def code(phone, purpose):
    return PhoneCode(phone=phone, purpose=purpose, code_hash=code_hash(phone, purpose, "{code}"),
                     created_at=now, expires_at=now + datetime.timedelta(hours=1))
counts = {counts}
PhoneCode.objects.bulk_create(
    [code(f"13{{phase}}{{n:08d}}", "signup") for phase, count in counts.items()
     for n in range(1, count + 1)] + [code("{my_phone}", "lookup")], batch_size=5000)
print(json.dumps({{"1": session("fleet 1", 50, 30), "2": session("fleet 2", 20),
                  "3": session("fleet 3", 10**6), "4": session("fleet 4", 10**6)}}))
"""


def create_sessions(env: dict) -> dict[int, int]:
    """The phases' sessions (phase -> session id) and every phone's SMS code."""
    code = SETUP_SHELL.format(
        activity=ACTIVITY, code=BENCH_CODE, counts=PHONES_PER_PHASE, my_phone=MY_PHONE
    )
    return {int(k): v for k, v in json.loads(shell(env, code).splitlines()[-1]).items()}


def certificate(tmp: Path) -> None:
    (tmp / "ssl").mkdir()
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            f"/CN={HOST}",
            "-keyout",
            str(tmp / "ssl/privkey.pem"),
            "-out",
            str(tmp / "ssl/fullchain.pem"),
        ],
        check=True,
        capture_output=True,
    )


def _replace(text: str, old: str, new: str) -> str:
    """Replace in the deploy file; a deploy file that changed shape stops the proof."""
    if old not in text:
        sys.exit(f"deploy/nginx/campaign.conf no longer contains {old!r}: update bench/fleet.py")
    return text.replace(old, new)


def nginx_config(tmp: Path, *, http_port: int, https_port: int, a: int, b: int) -> Path:
    """deploy/nginx/campaign.conf on loopback ports, everything else as deployed."""
    site = (DEPLOY / "nginx/campaign.conf").read_text()
    for old, new in (
        ("server 127.0.0.1:8001 ", f"server 127.0.0.1:{a} "),
        ("server 127.0.0.1:8002 ", f"server 127.0.0.1:{b} "),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("/etc/ssl/campaign", str(tmp / "ssl")),
        ("/var/log/nginx", str(tmp / "logs")),
        ("/srv/campaign/staticfiles/", f"{tmp / 'static'}/"),
        (
            "proxy_pass http://campaign_app;",
            "proxy_pass http://campaign_app;\n        add_header X-Upstream $upstream_addr always;",
        ),
    ):
        site = _replace(site, old, new)
    site = re.sub(r"\n\s*listen \[::\][^\n]*", "", site)  # loopback IPv4 only
    (tmp / "site.conf").write_text(site)
    for name in ("logs", "temp"):
        (tmp / name).mkdir(exist_ok=True)
    temp = " ".join(
        f"{kind}_temp_path {tmp / 'temp' / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""  # workers keep our user
    conf = tmp / "nginx.conf"
    conf.write_text(f"""
        {user}
        worker_processes 1;
        pid {tmp}/nginx.pid;
        error_log {tmp}/logs/error.log;
        events {{ worker_connections 1024; }}
        http {{
            include /etc/nginx/mime.types;
            {temp}
            include {DEPLOY / "nginx/campaign-log-format.conf"};
            include {tmp / "site.conf"};
        }}
    """)
    test = subprocess.run(
        [NGINX, "-t", "-c", str(conf), "-p", str(tmp)], capture_output=True, text=True
    )
    if test.returncode:
        sys.exit(f"nginx -t refused the generated configuration:\n{test.stderr}")
    return conf


class Fleet:
    """Every process of the proof, each the leader of its own process group (a gunicorn
    master and its workers die together with `kill`), all stopped by `close()`."""

    def __init__(self, env: dict, tmp: Path):
        self.env, self.tmp = env, tmp
        self.processes: dict[str, subprocess.Popen] = {}
        self.ports: dict[str, int] = {}
        self.nginx_port = 0
        self.unanswered: set[str] = set()  # phones whose signup was written, the post failed

    def spawn(self, name: str, command: list[str], env: dict) -> subprocess.Popen:
        with open(self.tmp / f"{name}.log", "ab") as log:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes[name] = process
        return process

    def start_instance(self, name: str) -> None:
        port = self.ports.setdefault(name, free_port())
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        self.spawn(
            name,
            [gunicorn, "-c", "config/gunicorn.conf.py", "config.wsgi"],
            {**self.env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
        )

    def wait_ready(self, name: str, timeout: float = 90) -> float:
        """Seconds until the instance's /readyz answered 200 (the deploy's rolling check)."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if self.processes[name].poll() is not None:
                break
            if Browser(self.ports[name], via_nginx=False).get("/readyz").status == 200:
                return time.monotonic() - start
            time.sleep(0.1)
        self.fail(f"instance {name} did not become ready", name)

    def start_worker(self) -> None:
        self.spawn(
            "worker",
            [
                sys.executable,
                "manage.py",
                "rqworker",
                "default",
                "--job-class",
                "django_tasks_rq.Job",
                "--with-scheduler",
            ],
            self.env,
        )

    def start_nginx(self, conf: Path, port: int) -> None:
        self.nginx_port = port
        self.spawn(
            "nginx", [NGINX, "-c", str(conf), "-p", str(self.tmp), "-g", "daemon off;"], self.env
        )
        for _ in range(100):
            if Browser(port).get("/healthz").status == 200:
                return
            time.sleep(0.1)
        self.fail("nginx did not start", "nginx")

    def upstream(self, action: str, name: str) -> None:
        """deploy/nginx-upstream.sh down|up for the instance, on this run's nginx."""
        subprocess.run(
            ["sh", str(DEPLOY / "nginx-upstream.sh"), action, str(self.ports[name])],
            env={
                **os.environ,
                "CAMPAIGN_NGINX_SITE": str(self.tmp / "site.conf"),
                "NGINX": f"{NGINX} -c {self.tmp / 'nginx.conf'} -p {self.tmp}",
            },
            check=True,
            capture_output=True,
        )

    def kill(self, name: str) -> None:
        """kill -9 of the master and its workers at once (the OOM killer, a crashed host)."""
        os.killpg(self.processes[name].pid, signal.SIGKILL)
        self.processes[name].wait()

    def stop(self, name: str) -> float:
        """gunicorn's graceful stop, as systemd does it (SIGTERM to every process of the
        unit: requests in flight finish); seconds it took."""
        start = time.monotonic()
        _signal_group(self.processes[name], signal.SIGTERM)
        self.processes[name].wait(timeout=45)
        return time.monotonic() - start

    def fail(self, message: str, name: str) -> None:
        log = (self.tmp / f"{name}.log").read_text(errors="replace")[-3000:]
        raise SystemExit(f"{message}\n--- {name}.log (end) ---\n{log}")

    def close(self) -> None:
        alive = [p for p in self.processes.values() if p.poll() is None]
        for process in alive:
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in alive:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            _signal_group(process, signal.SIGKILL)  # what is left of the group
            process.wait(timeout=5)

    def instance(self, upstream: str) -> str:
        """'127.0.0.1:PORT, 127.0.0.1:PORT' (nginx's $upstream_addr) -> 'A→B'."""
        names = {f"127.0.0.1:{port}": name for name, port in self.ports.items()}
        return "→".join(names.get(addr.strip(), "?") for addr in upstream.split(",") if addr)


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


# --- A browser ---------------------------------------------------------------------------

TLS = ssl.create_default_context()
TLS.check_hostname = False
TLS.verify_mode = ssl.CERT_NONE  # the certificate is the run's own, self-signed


@dataclass
class Answer:
    status: int  # -1: no answer (connection failed)
    upstream: str = ""  # nginx's X-Upstream: which instance(s) it tried
    location: str = ""
    body: str = ""
    cookies: dict = field(default_factory=dict)


class Browser:
    """One phone's browser on a kept-alive connection: HTTPS to nginx (from `source`, a
    loopback address: nginx sees it as the client), or plain HTTP straight to one instance
    with the headers nginx would have set (X-Forwarded-Proto https, X-Forwarded-For)."""

    def __init__(
        self,
        port: int,
        *,
        via_nginx: bool = True,
        source: str = "127.0.0.1",
        client_ip: str = "203.0.113.9",
    ):
        self.port, self.via_nginx, self.source, self.client_ip = port, via_nginx, source, client_ip
        self.cookies: dict[str, str] = {}
        self.conn = None
        self.reopened = 0  # kept-alive connections found closed, the request sent again

    def _connect(self):
        if self.via_nginx:
            return http.client.HTTPSConnection(
                "127.0.0.1", self.port, timeout=40, context=TLS, source_address=(self.source, 0)
            )
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=40)

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, form: dict) -> Answer:
        return self.request("POST", path, urllib.parse.urlencode(form))

    def request(self, method: str, path: str, body: str | None = None) -> Answer:
        headers = {"Host": HOST, "Referer": f"https://{HOST}{path}"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if not self.via_nginx:
            headers.update({"X-Forwarded-Proto": "https", "X-Forwarded-For": self.client_ip})
        try:
            response, text = self._exchange(method, path, body, headers)
        except (OSError, http.client.HTTPException):
            self.close()
            return Answer(-1)
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        cookies = dict(
            c.split(";", 1)[0].split("=", 1) for c in response.msg.get_all("Set-Cookie") or []
        )
        self.cookies.update(cookies)
        return Answer(
            response.status,
            response.getheader("X-Upstream", ""),
            response.getheader("Location", ""),
            text,
            cookies,
        )

    def _exchange(self, method, path, body, headers):
        """One request and its answer. A kept-alive connection that nginx closed while it was
        idle (a reload closes idle connections) fails before any answer: like a browser, send
        the request again on a new connection (nginx never read it, so this is safe)."""
        for attempt in (1, 2):
            reused = self.conn is not None
            self.conn = self.conn or self._connect()
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                return response, response.read().decode("utf-8", errors="replace")
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()
                if not reused or attempt == 2:
                    raise
                self.reopened += 1
        raise AssertionError("unreachable")

    def csrf_token(self, path: str) -> str:
        """GET the form: its csrftoken cookie stays with the browser, the token is returned."""
        answer = self.get(path)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', answer.body).group(1)

    def close(self) -> None:
        if self.conn:
            self.conn.close()
        self.conn = None


def signup_path(session_id: int) -> str:
    return f"/activities/{ACTIVITY}/sessions/{session_id}/signup/"


def signup_form(token: str, number: str, companions: int = 0) -> dict:
    return {
        "csrfmiddlewaretoken": token,
        "name": "王小明",
        "phone": number,
        "sms_code": BENCH_CODE,
        "companions": companions,
        "rules_accepted": "on",
        "consent": "on",
    }


# How the signup form says no (campaigns/services/signups.py, campaigns/forms.py).
REFUSALS = (
    ("该场次已满", "refused: full"),
    ("整体进入候补名单", "asked: would wait"),
    ("已经报名", "refused: already signed up"),
)


def outcome(answer: Answer) -> str:
    """What a signup post's answer means for the person."""
    if answer.status == 302 and "/signup/done/" in answer.location:
        return "signed up"
    if answer.status == 200:
        for text, meaning in REFUSALS:
            if text in answer.body:
                return meaning
        return "200: form shown again"
    return str(answer.status)


def reference(answer: Answer) -> str:
    return answer.location.rstrip("/").rsplit("/", 1)[-1] if answer.status == 302 else ""


# --- Load: signup posts and page reads through nginx, every answer kept -------------------


@dataclass
class Result:
    kind: str  # "post" or "get"
    phone: str
    answer: Answer
    at: float  # monotonic time the answer came


class Load:
    """`posters` threads post signups to one session, one phone each (until the phones run
    out or `stop()`); `readers` threads GET the public pages meanwhile."""

    def __init__(
        self,
        fleet: Fleet,
        session_id: int,
        phones,
        *,
        companions=lambda n: 0,
        posters: int = 6,
        readers: int = 0,
    ):
        self.fleet, self.path, self.companions = fleet, signup_path(session_id), companions
        self.phones: queue.Queue = queue.Queue()
        for item in enumerate(phones):
            self.phones.put(item)
        self.results: list[Result] = []
        self.browsers: list[Browser] = []
        self.done = threading.Event()
        self.threads = [threading.Thread(target=self._post, daemon=True) for _ in range(posters)]
        self.threads += [
            threading.Thread(target=self._read, args=(n,), daemon=True) for n in range(readers)
        ]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self) -> None:
        self.done.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def wait(self) -> None:
        """Until every phone was posted (for a load of a fixed size)."""
        for thread in self.threads:
            thread.join(timeout=300)

    def _post(self) -> None:
        browser = self._browser()
        token = browser.csrf_token(self.path)
        form_cookie = dict(browser.cookies)
        while not self.done.is_set():
            try:
                n, number = self.phones.get_nowait()
            except queue.Empty:
                return
            browser.cookies = dict(form_cookie)  # each post a new person with the form open
            answer = browser.post(self.path, signup_form(token, number, self.companions(n)))
            answer.body = outcome(answer)  # keep the meaning, not the page
            self.results.append(Result("post", number, answer, time.monotonic()))

    def _read(self, n: int) -> None:
        browser = self._browser()
        while not self.done.is_set():
            browser.cookies.clear()  # an anonymous visitor: the page cache may answer
            answer = browser.get(GET_PATHS[n % len(GET_PATHS)])
            answer.body = ""
            self.results.append(Result("get", "", answer, time.monotonic()))
            n += 1

    def _browser(self) -> Browser:
        browser = Browser(self.fleet.nginx_port)
        self.browsers.append(browser)
        return browser

    def reopened(self) -> int:
        return sum(browser.reopened for browser in self.browsers)

    def posts(self) -> list[Result]:
        return [r for r in self.results if r.kind == "post"]

    def gets(self) -> list[Result]:
        return [r for r in self.results if r.kind == "get"]


# --- What the database holds -------------------------------------------------------------


def signup_rows(url: str, session_id: int) -> dict[str, tuple[str, str, int]]:
    """phone -> (reference, status, companions) of the session's signups."""
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT phone, reference, status, companions FROM campaigns_signup"
            " WHERE session_id = %s",
            (session_id,),
        ).fetchall()
    return {number: (ref, status, companions) for number, ref, status, companions in rows}


def session_places(url: str, session_id: int) -> tuple[int, int]:
    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT capacity, places_taken FROM campaigns_session WHERE id = %s", (session_id,)
        ).fetchone()


def account(posts: list[Result], rows: dict) -> dict:
    """Every post against the rows: a success without its row, or a row without a success,
    would be a lost or a phantom signup."""
    ok = {r.phone: reference(r.answer) for r in posts if r.answer.body == "signed up"}
    failed = [r for r in posts if r.answer.body != "signed up"]
    return {
        "posts": len(posts),
        "2xx/302": len(ok),
        "failed": collections.Counter(r.answer.body for r in failed),
        "rows": len(rows),
        "2xx without its row": sum(1 for p, ref in ok.items() if rows.get(p, ("",))[0] != ref),
        "rows without a 2xx": sum(1 for p in rows if p not in ok),
        "failed, nothing written (safe to retry)": sum(1 for r in failed if r.phone not in rows),
        "failed, written": {r.phone for r in failed if r.phone in rows},
    }


CODES_SHELL = """
import datetime
from django.utils import timezone
from campaigns.models import PhoneCode
from campaigns.services.phone_codes import code_hash
now = timezone.now()
PhoneCode.objects.bulk_create([
    PhoneCode(phone=phone, purpose="signup", code_hash=code_hash(phone, "signup", "{code}"),
              created_at=now, expires_at=now + datetime.timedelta(hours=1))
    for phone in {phones!r}])
"""


def retry_failed(fleet: Fleet, env: dict, session_id: int, posts: list[Result]) -> dict:
    """What a person whose post failed does: 获取验证码 again (the first code was used) and
    send the form again. Refused as already signed up when the first post was written after
    all, signed up when it was not: never twice, and now the person knows. Every failed post
    that was written is sent again, and at most RETRIES of the others."""
    rows = signup_rows(env["DATABASE_URL"], session_id)
    failed = sorted({r.phone for r in posts if r.answer.body != "signed up"})
    phones = [p for p in failed if p in rows] + [p for p in failed if p not in rows][:RETRIES]
    if not phones:
        return {}
    shell(env, CODES_SHELL.format(code=BENCH_CODE, phones=phones))
    browser = Browser(fleet.nginx_port)
    token = browser.csrf_token(signup_path(session_id))
    form_cookie = dict(browser.cookies)
    seen = collections.Counter()
    for number in phones:
        browser.cookies = dict(form_cookie)
        seen[outcome(browser.post(signup_path(session_id), signup_form(token, number)))] += 1
    return dict(seen)


def per_instance(fleet: Fleet, results: list[Result]) -> collections.Counter:
    return collections.Counter(fleet.instance(r.answer.upstream) or "-" for r in results)


# --- The phases --------------------------------------------------------------------------

Row = tuple[str, str, str, bool]  # (phase, figure, value, as expected)


def phase_overbooking(fleet: Fleet, url: str, session_id: int) -> list[Row]:
    """400 signups (parties of 1 to 3) for 50 places and a waiting list of 30, over A and B."""
    print("\n## 1. No overbooking across instances")
    phones = [phone(1, n) for n in range(1, PHONES_PER_PHASE[1] + 1)]
    start = time.monotonic()
    with Load(fleet, session_id, phones, companions=lambda n: n % 3, posters=8) as load:
        load.wait()
    elapsed = time.monotonic() - start
    posts = load.posts()
    capacity, taken = session_places(url, session_id)
    rows = signup_rows(url, session_id).values()
    confirmed = [r for r in rows if r[1] == "confirmed"]
    places = sum(1 + r[2] for r in confirmed)
    waiting = sum(1 for r in rows if r[1] == "waitlisted")
    print(
        f"{len(posts)} posts in {elapsed:.1f} s; answers: "
        f"{dict(collections.Counter(r.answer.body for r in posts))}; "
        f"per instance: {dict(per_instance(fleet, posts))}"
    )
    print(
        f"capacity {capacity}, places taken {taken}, confirmed signups {len(confirmed)} "
        f"holding {places} places, waiting list {waiting} (limit 30)"
    )
    both = min(per_instance(fleet, posts).get("A", 0), per_instance(fleet, posts).get("B", 0))
    return [
        ("1", "signup posts (A / B)", _split(fleet, posts), both > 0),
        (
            "1",
            "places taken / places of confirmed signups / capacity",
            f"{taken} / {places} / {capacity}",
            taken == places <= capacity,
        ),
        ("1", "waiting list / its limit", f"{waiting} / 30", waiting <= 30),
        (
            "1",
            "successes (302) / rows",
            f"{_count(posts, 'signed up')} / {len(rows)}",
            _count(posts, "signed up") == len(rows),
        ),
    ]


def _count(results: list[Result], meaning: str) -> int:
    return sum(1 for r in results if r.answer.body == meaning)


def _split(fleet: Fleet, results: list[Result]) -> str:
    """'A / B': how many nginx sent to each instance first."""
    counts = collections.Counter(fleet.instance(r.answer.upstream).split("→")[0] for r in results)
    return " / ".join(str(counts.get(name, 0)) for name in ("A", "B"))


def places_on(browser: Browser, session_id: int) -> int | None:
    """The places left that the activity page shows for the session."""
    page = browser.get(ACTIVITY_PAGE).body
    for row in page.split('<li class="session-row')[1:]:
        if signup_path(session_id) in row:
            found = re.search(r"剩余 (\d+) 个名额", row)
            return int(found.group(1)) if found else None
    return None


def phase_shared_state(fleet: Fleet, env: dict, session_id: int) -> list[Row]:
    print("\n## 2. Shared state")
    return (
        _shared_page_cache(fleet, env, session_id)
        + _shared_rate_limit(fleet)
        + _shared_session(fleet)
    )


def _shared_page_cache(fleet: Fleet, env: dict, session_id: int) -> list[Row]:
    """B caches the activity page (in Redis); a signup through A; B shows the new count."""
    store = redis.Redis.from_url(env["REDIS_URL"])
    prefix = env["DJANGO_CACHE_PREFIX"]
    # Any variant of the page (标准版/关怀版, https or not, gzip or not: public_cache._cache_key).
    page_keys = (
        f"{prefix}:1:public-pages:*:"
        + (hashlib.sha256(ACTIVITY_PAGE.encode()).hexdigest()[:32])
    )
    a = Browser(fleet.ports["A"], via_nginx=False)
    b = Browser(fleet.ports["B"], via_nginx=False)
    token = a.csrf_token(signup_path(session_id))
    steps, delays = [], []
    for n in range(1, 4):
        before = places_on(b, session_id)
        cached = bool(store.keys(page_keys)) and places_on(b, session_id) == before
        version = store.get(f"{prefix}:1:public-pages:version")
        answer = a.post(signup_path(session_id), signup_form(token, phone(2, n)))
        sent = time.monotonic()
        after = places_on(b, session_id)
        delays.append((time.monotonic() - sent) * 1000)
        bumped = store.get(f"{prefix}:1:public-pages:version") != version
        steps.append((before, outcome(answer), after, bool(cached), bumped))
    print(
        "B's page before → signup through A → B's page at once "
        "(page stored in Redis by B, cache version bumped by A):"
    )
    for before, result, after, cached, bumped in steps:
        print(f"  {before} places left → {result} → {after} (stored {cached}, bumped {bumped})")
    value = ", ".join(f"{s[0]}→{s[2]}" for s in steps)
    good = all(s[1] == "signed up" and s[2] == s[0] - 1 and s[3] and s[4] for s in steps)
    return [
        (
            "2",
            "places left shown by B around 3 signups through A (B's page was cached)",
            f"{value} (B answered {max(delays):.0f} ms after A at most)",
            good,
        )
    ]


def _shared_rate_limit(fleet: Fleet) -> list[Row]:
    """Lookups from one client address (127.0.0.2 to nginx) over both instances."""
    browser = Browser(fleet.nginx_port, source="127.0.0.2")
    token = browser.csrf_token("/my/lookup/")
    seen = []
    for _ in range(LOOKUP_LIMIT + 3):
        answer = browser.post(
            "/my/lookup/",
            {"csrfmiddlewaretoken": token, "phone": "13800000000", "reference": "K7MXQ4PA"},
        )
        seen.append((fleet.instance(answer.upstream), answer.status))
    print(
        f"lookups from 127.0.0.2 through nginx (limit {LOOKUP_LIMIT}/h): "
        + " ".join(f"{name}:{status}" for name, status in seen)
    )
    first_429 = next((i for i, (_, status) in enumerate(seen, 1) if status == 429), None)
    both = {name for name, status in seen if status == 429} >= {"A", "B"}
    return [
        (
            "2",
            f"lookup limit {LOOKUP_LIMIT}/h counted over A and B: first 429 at attempt",
            f"{first_429} (429 from both: {both})",
            first_429 == LOOKUP_LIMIT + 1 and both,
        )
    ]


def _shared_session(fleet: Fleet) -> list[Row]:
    """我的 signed in on A (number + SMS code); the session cookie opens 我的 on B."""
    a = Browser(fleet.ports["A"], via_nginx=False, client_ip="203.0.113.10")
    token = a.csrf_token("/my/")
    signed_in = a.post(
        "/my/", {"csrfmiddlewaretoken": token, "phone": MY_PHONE, "sms_code": BENCH_CODE}
    )
    b = Browser(fleet.ports["B"], via_nginx=False, client_ip="203.0.113.10")
    b.cookies = dict(a.cookies)
    on_b = b.get("/my/")
    stranger = Browser(fleet.ports["B"], via_nginx=False).get("/my/")
    opened = on_b.status == 200 and "/my/sign-out/" in on_b.body
    print(
        f"我的 sign-in on A: {signed_in.status} → {signed_in.location}; "
        f"GET /my/ on B with that cookie: {on_b.status}, signed in: {opened}; "
        f"without it: signed in: {'/my/sign-out/' in stranger.body}"
    )
    return [
        (
            "2",
            "我的 signed in on A is signed in on B (sessions in PostgreSQL)",
            "yes" if opened else "no",
            opened and signed_in.status == 302 and "/my/sign-out/" not in stranger.body,
        )
    ]


def phase_kill(fleet: Fleet, env: dict, session_id: int, seconds: float) -> list[Row]:
    print("\n## 3. Instance A killed mid-load (kill -9 of its master and workers)")
    phones = [phone(3, n) for n in range(1, PHONES_PER_PHASE[3] + 1)]
    with Load(fleet, session_id, phones, posters=6, readers=2) as load:
        time.sleep(seconds * 0.4)
        killed_at = time.monotonic()
        fleet.kill("A")
        time.sleep(seconds * 0.6)
    url = env["DATABASE_URL"]
    figures = account(load.posts(), signup_rows(url, session_id))
    figures["retried"] = retry_failed(fleet, env, session_id, load.posts())
    fleet.unanswered |= figures["failed, written"]
    gets = load.gets()
    after = [r for r in load.results if r.at > killed_at + 0.5]
    _print_account(fleet, load, figures)
    print(f"after the kill: {len(after)} answers, per instance {dict(per_instance(fleet, after))}")
    bad_gets = sum(1 for r in gets if not 200 <= r.answer.status < 400)
    fleet.start_instance("A")
    print(f"A started again, ready in {fleet.wait_ready('A'):.1f} s")
    from_b = sum(1 for r in after if fleet.instance(r.answer.upstream).endswith("B"))
    return [
        *_account_rows("3", figures),
        ("3", "GETs failed / GETs", f"{bad_gets} / {len(gets)}", bad_gets == 0),
        (
            "3",
            "answers after the kill from B / all after the kill",
            f"{from_b} / {len(after)}",
            from_b == len(after),
        ),
    ]


def _print_account(fleet: Fleet, load: Load, figures: dict) -> None:
    posts, gets = load.posts(), load.gets()
    print(
        f"posts {figures['posts']} (A / B first: {_split(fleet, posts)}), "
        f"GETs {len(gets)}; answers to posts: "
        f"{dict(collections.Counter(r.answer.body for r in posts))}, to GETs: "
        f"{dict(collections.Counter(r.answer.status for r in gets))}"
    )
    retried = collections.Counter(
        fleet.instance(r.answer.upstream)
        for r in load.results
        if "→" in fleet.instance(r.answer.upstream)
    )
    print(f"tried on a second instance by nginx: {dict(retried)}")
    print(
        "accounting: "
        + ", ".join(
            f"{k} {v}" for k, v in figures.items() if not isinstance(v, set | collections.Counter)
        )
    )


def _account_rows(phase: str, figures: dict) -> list[Row]:
    failed = sum(figures["failed"].values())
    unwritten = figures["failed, nothing written (safe to retry)"]
    retried = figures.get("retried", {})
    again, refused = retried.get("signed up", 0), retried.get("refused: already signed up", 0)
    return [
        (
            phase,
            "signup posts: 302 / failed (of which 502, 504, no answer)",
            f"{figures['2xx/302']} / {failed} ({figures['failed'].get('502', 0)}, "
            f"{figures['failed'].get('504', 0)}, {figures['failed'].get('-1', 0)})",
            True,
        ),
        (
            phase,
            "rows / 302 without its row / rows without a 302",
            f"{figures['rows']} / {figures['2xx without its row']} / "
            f"{figures['rows without a 2xx']}",
            figures["2xx without its row"] == 0,
        ),
        (
            phase,
            "failed posts: nothing written / written all the same (died after the COMMIT)",
            f"{unwritten} / {failed - unwritten}",
            figures["rows without a 2xx"] == failed - unwritten,
        ),
        (
            phase,
            "failed posts sent again (new code): signed up / refused as already signed up",
            f"{again} / {refused}" if failed else "–",
            again == min(unwritten, RETRIES) and refused == failed - unwritten,
        ),
    ]


def phase_rolling_restart(
    fleet: Fleet, env: dict, session_id: int, *, drain: bool = True
) -> list[Row]:
    """The recipe of deploy/systemd/campaign-web@.service, one instance after the other:
    drain it from nginx (deploy/nginx-upstream.sh down), SIGTERM, start, wait for /readyz,
    put it back (up). `drain=False` is the control: the recipe before, without the drain."""
    print(
        "\n## 4. Rolling restart (A, then B: "
        + ("drain, SIGTERM, start, /readyz, back)" if drain else "SIGTERM, start, /readyz)")
    )
    phones = [phone(4, n) for n in range(1, PHONES_PER_PHASE[4] + 1)]
    steps = []
    with Load(fleet, session_id, phones, posters=4, readers=2) as load:
        time.sleep(2)
        for name in ("A", "B"):
            if drain:
                fleet.upstream("down", name)
                time.sleep(DRAIN_SECONDS)
            stopped = fleet.stop(name)
            fleet.start_instance(name)
            ready = fleet.wait_ready(name)
            if drain:
                fleet.upstream("up", name)
            steps.append(f"{name}: stopped in {stopped:.1f} s, ready in {ready:.1f} s")
            time.sleep(2)
    figures = account(load.posts(), signup_rows(env["DATABASE_URL"], session_id))
    figures["retried"] = retry_failed(fleet, env, session_id, load.posts())
    fleet.unanswered |= figures["failed, written"]
    print("; ".join(steps))
    _print_account(fleet, load, figures)
    print(
        f"kept-alive connections closed by nginx's reloads, request sent again: {load.reopened()}"
    )
    gets = load.gets()
    bad_gets = sum(1 for r in gets if not 200 <= r.answer.status < 400)
    failed = sum(figures["failed"].values())
    return [
        *_account_rows("4", figures),
        ("4", "GETs failed / GETs", f"{bad_gets} / {len(gets)}", bad_gets == 0),
        (
            "4",
            "requests failed / requests (GET + POST)",
            f"{bad_gets + failed} / {len(load.results)}",
            bad_gets + failed == 0,
        ),
    ]


def phase_tasks(fleet: Fleet, env: dict, url: str, sessions: dict, tmp: Path) -> list[Row]:
    """The RQ worker sent each confirmed signup its confirmation SMS (all instances queued),
    once `recover_tasks` (the deployed timer, every minute) has queued what an instance
    killed after its COMMIT left in the outbox."""
    print("\n## Tasks: confirmation SMS sent by the RQ worker")
    jobs = Queue("default", connection=redis.Redis.from_url(env["REDIS_URL"]))
    wait_for_queue(jobs)
    confirmed = {
        p
        for s in sessions.values()
        for p, row in signup_rows(url, s).items()
        if row[1] == "confirmed"
    }
    before = confirmed & set(texted_confirmations(tmp))
    left, age = outbox_rows(url)
    grace = int(shell(env, GRACE_SHELL).splitlines()[-1])
    if left and age <= grace:
        time.sleep(grace - age + 1)  # the sweep leaves younger rows to their own process
    sweep = subprocess.run(
        [sys.executable, "manage.py", "recover_tasks"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = re.search(r"Outbox tasks queued: (\d+)", sweep)
    queued = int(found.group(1)) if found else -1
    wait_for_queue(jobs)
    texted = texted_confirmations(tmp)
    after = confirmed & set(texted)
    missing = confirmed - after
    twice = sorted(number for number, sent in texted.items() if sent > 1)
    print(
        f"outbox rows left once the queue was empty: {left} (the youngest {age:.0f} s old), "
        f"queued by recover_tasks: {queued}; queue left: {jobs.count}; confirmed signups "
        f"{len(confirmed)}, with their SMS before the sweep {len(before)}, after it "
        f"{len(after)}; texted by the sweep: {sorted(after - before)} (of which a post "
        f"killed after its COMMIT: {len((after - before) & fleet.unanswered)}); without: "
        f"{sorted(missing)}; texted twice: {twice}"
    )
    return [
        (
            "tasks",
            "outbox rows left after the load / queued by recover_tasks",
            f"{left} / {queued}",
            queued == left,
        ),
        (
            "tasks",
            "confirmed signups / with their confirmation SMS (RQ worker): before the sweep, "
            "after it",
            f"{len(confirmed)} / {len(before)}, {len(after)}",
            not missing,
        ),
        ("tasks", "confirmation SMS sent twice", str(len(twice)), not twice),
    ]


GRACE_SHELL = "from django.conf import settings; print(settings.TASK_OUTBOX_GRACE_SECONDS)"


def wait_for_queue(jobs: Queue, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and (jobs.count or jobs.started_job_registry.count):
        time.sleep(0.5)


def texted_confirmations(tmp: Path) -> collections.Counter:
    """Confirmation SMS sent, per phone."""
    sms = tmp / "sms.jsonl"
    lines = [json.loads(line) for line in sms.read_text().splitlines()] if sms.exists() else []
    return collections.Counter(m["phone"] for m in lines if m["kind"] == "signup_confirmed")


def outbox_rows(url: str) -> tuple[int, float]:
    """Rows in the task outbox (config/tasks.py) and the age of the youngest, in seconds."""
    with psycopg.connect(url) as conn:
        count, age = conn.execute(
            "SELECT count(*), extract(epoch FROM now() - max(created_at))"
            " FROM operations_pendingtask"
        ).fetchone()
    return count, float(age or 0)


# --- Run ---------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/fleet_bench")
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/11",
        help="a Redis database of its own: its rq: keys are deleted",
    )
    parser.add_argument("--seconds", type=float, default=12, help="length of phase 3")
    parser.add_argument("--phases", default="1,2,3,4", help="which phases to run, e.g. 4")
    parser.add_argument(
        "--no-drain",
        action="store_true",
        help="the control: restart without draining the instance from nginx",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the temporary directory (nginx's and the processes' logs)",
    )
    args = parser.parse_args()
    for tool in (NGINX, "/usr/bin/openssl"):
        if not Path(tool).exists():
            sys.exit(f"{tool} is needed (Debian packages nginx, openssl)")
    # `timeout` or a stop sends SIGTERM: leave through the finally below, like Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    tmp = Path(tempfile.mkdtemp(prefix="fleet-"))
    env = fleet_env(args, tmp)
    clear_redis(env)
    fleet = Fleet(env, tmp)
    started = time.monotonic()
    try:
        rows = run(fleet, env, args, tmp)
    finally:
        fleet.close()
        clear_redis(env)
        if args.keep:
            print(f"\nlogs kept in {tmp}")
        else:
            subprocess.run(["rm", "-rf", str(tmp)], check=False)
    report(rows, time.monotonic() - started)


def run(fleet: Fleet, env: dict, args, tmp: Path) -> list[Row]:
    prepare_database(env)
    sessions = create_sessions(env)
    certificate(tmp)
    for name in ("A", "B"):
        fleet.start_instance(name)
    for name in ("A", "B"):
        fleet.wait_ready(name)
    fleet.start_worker()
    https_port = free_port()
    conf = nginx_config(
        tmp, http_port=free_port(), https_port=https_port, a=fleet.ports["A"], b=fleet.ports["B"]
    )
    fleet.start_nginx(conf, https_port)
    phases = {
        "1": lambda: phase_overbooking(fleet, args.database_url, sessions[1]),
        "2": lambda: phase_shared_state(fleet, env, sessions[2]),
        "3": lambda: phase_kill(fleet, env, sessions[3], args.seconds),
        "4": lambda: phase_rolling_restart(fleet, env, sessions[4], drain=not args.no_drain),
    }
    rows = [row for number in args.phases.split(",") for row in phases[number.strip()]()]
    return rows + phase_tasks(fleet, env, args.database_url, sessions, tmp)


def clear_redis(env: dict) -> None:
    """The cache keys of this bench's runs and the RQ queue's keys (the Redis database is
    the bench's own)."""
    store = redis.Redis.from_url(env["REDIS_URL"])
    for pattern in ("fleet-*", "rq:*"):
        for key in store.scan_iter(pattern, count=1000):
            store.delete(key)


def report(rows: list[Row], elapsed: float) -> None:
    print(
        f"\n{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end, "
        f"{elapsed:.0f} s in all\n"
    )
    print("| phase | figure | value | as expected |")
    print("|---|---|---|---|")
    for phase, figure, value, good in rows:
        print(f"| {phase} | {figure} | {value} | {'yes' if good else '**no**'} |")
    print(f"\nReproduce: python bench/fleet.py {' '.join(sys.argv[1:])}")
    if not all(good for *_, good in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
