"""End-to-end tests: Debian's Chromium, driven by Playwright, against the site under gunicorn.

The site runs in its own process on a free loopback port with its own SQLite database, migrated
and loaded with the demo campaign, exactly as a visitor would meet it. The browser is never
downloaded: it is /usr/bin/chromium. Without it the tests are skipped on a developer's machine,
and fail in CI (CI=true), where .ci/run installs it.
"""

import itertools
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parent / "node_modules/axe-core/axe.min.js"
SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", ROOT / "artifacts/screenshots"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Text messages the site sends land here (the `file` SMS backend): the journeys read the
# verification codes from it, as a person reads them from their phone.
SMS_OUTBOX = Path(tempfile.gettempdir()) / f"e2e-sms-{uuid.uuid4()}.jsonl"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def pytest_collection_modifyitems(config, items):
    missing = [
        what
        for what, present in (
            ("Chromium at " + CHROMIUM, Path(CHROMIUM).exists()),
            ("axe-core (npm install in tests/e2e)", AXE.exists()),
            ("gunicorn", shutil.which("gunicorn", path=str(Path(sys.executable).parent))),
        )
        if not present
    ]
    if not missing or os.environ.get("CI") == "true":
        return  # in CI a missing browser must fail the run, not skip it
    skip = pytest.mark.skip(reason="end-to-end tools missing: " + ", ".join(missing))
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(skip)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def site_env(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("site")
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{workdir / 'e2e.sqlite3'}",
        **_cache_env(),
        # Every browser request comes from 127.0.0.1: raise the per-address limits for the
        # journeys (the feature stays on; the limits themselves are tested in tests/campaigns).
        "CAMPAIGN_RATELIMIT_SIGNUP_IP": "1000/h",
        "CAMPAIGN_RATELIMIT_LOOKUP_IP": "1000/h",
        "CAMPAIGN_RATELIMIT_FEEDBACK_IP": "1000/h",
        "CAMPAIGN_RATELIMIT_SMS_IP": "1000/h",
        # As in production: numbers are proven by SMS code.
        "CAMPAIGN_SMS_VERIFY": "1",
        "CAMPAIGN_SMS_BACKEND": "file",
        "CAMPAIGN_SMS_FILE_PATH": str(SMS_OUTBOX),
        # A journey that signs up and then opens 我的 asks the same number twice in a minute.
        "CAMPAIGN_SMS_RESEND_SECONDS": "2",
    }


def _cache_env() -> dict:
    """Redis as in production when one answers on loopback (CI has one): the page cache is
    then shared by the gunicorn workers and refreshed the moment places change. Without it,
    each worker would keep pages for seconds, so the page cache is switched off."""
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return {"REDIS_URL": "", "CAMPAIGN_PAGE_CACHE_LOCAL_SECONDS": "0"}
    return {"REDIS_URL": "redis://127.0.0.1:6379/5", "DJANGO_CACHE_PREFIX": f"e2e-{uuid.uuid4()}"}


@pytest.fixture(scope="session")
def django_shell(site_env, live_url):
    """Run Python in `manage.py shell` against the e2e database (set-up only, never SQL)."""

    def run(code: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=site_env,
            check=True, capture_output=True, text=True,
        )
        return done.stdout.strip()

    return run


_numbers = itertools.count(1)


@pytest.fixture
def new_phone(page):
    """A mobile number no other test uses (the server's database lives for the session)."""
    prefix = {"phone": "155", "desktop": "156"}[page.viewport_name]
    return lambda: f"{prefix}{next(_numbers):08d}"


@pytest.fixture(scope="session")
def live_url(site_env):
    """Migrate a fresh database, load the demo, serve it with gunicorn; yield its base URL."""

    def manage(*args):
        subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=site_env, check=True,
            capture_output=True,
        )

    manage("migrate", "--no-input")
    manage("load_demo")
    port = _free_port()
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "-c", "config/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        # No nginx in front here: Chromium's idle preconnections would hold sync workers.
        env={**site_env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2",
             "GUNICORN_WORKER_CLASS": "gthread", "GUNICORN_THREADS": "4",
             "GUNICORN_ACCESS_LOG": ""},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/healthz", timeout=2)  # noqa: S310 (loopback only)
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError("gunicorn did not start") from None
            time.sleep(0.3)
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _open_page(browser, live_url, viewport_name):
    """A fresh browser context (no shared cookies) and its page; returns (context, page, errors)."""
    context = browser.new_context(
        viewport=VIEWPORTS[viewport_name], base_url=live_url, locale="zh-CN"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.viewport_name = viewport_name
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # A server error, a broken asset (CSS, script, image) or a script error fails the test; a
    # page's own 4xx status is for the test to check (a 404 page is meant to answer 404).
    page.on(
        "response",
        lambda r: errors.append(f"{r.status} {r.url}")
        if r.status >= 500 or (r.status >= 400 and r.request.resource_type != "document")
        else None,
    )
    page.on(
        "console",
        lambda msg: errors.append(msg.text)
        if msg.type == "error" and not msg.text.startswith("Failed to load resource")
        else None,
    )
    return context, page, errors


@pytest.fixture(params=list(VIEWPORTS))
def page(request, browser, live_url):
    """A fresh browser context per test (no shared cookies), on a phone and on a desktop."""
    context, page, errors = _open_page(browser, live_url, request.param)
    yield page
    context.close()
    assert not errors, f"browser errors: {errors}"


@pytest.fixture
def another_visitor(page, browser, live_url):
    """Open pages for other people (their own contexts) on the same kind of device as `page`."""
    opened = []

    def open_page():
        opened.append(_open_page(browser, live_url, page.viewport_name))
        return opened[-1][1]

    yield open_page
    errors = []
    for context, _page, page_errors in opened:
        context.close()
        errors += page_errors
    assert not errors, f"browser errors: {errors}"


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot for people to look at (CI prints where)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{page.viewport_name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(page, *, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core in the page; return the violations at the given impact levels."""
    # Evaluated through the DevTools protocol, which the site's CSP rightly does not allow to
    # a <script> tag.
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document)")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]
