"""With several gunicorn workers, /metrics counts the requests of all of them.

prometheus_client's multiprocess mode: each worker writes its counts to files in
PROMETHEUS_MULTIPROC_DIR and a scrape adds them up, whichever worker answers it.
"""

import http.client
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from tests.security.conftest import BASE_DIR, PRODUCTION_HOST, free_port, stop_gunicorn


def get(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Host": PRODUCTION_HOST})
    response = connection.getresponse()
    return response.status, response.read().decode()


def healthz_count(text: str) -> float:
    match = re.search(
        r'^http_requests_total\{method="GET",route="healthz",status="200"\} ([0-9.]+)$',
        text, re.M)
    return float(match.group(1)) if match else 0.0


def test_every_scrape_sees_the_requests_of_every_worker(production_env, tmp_path):
    port = free_port()
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    env = production_env(GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="3",
                         PROMETHEUS_MULTIPROC_DIR=str(metrics_dir),
                         DJANGO_SECURE_SSL_REDIRECT="0")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi"],
        cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                get(port, "/healthz")
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
        # Concurrent batches until more than one worker has answered: the first worker up
        # (or one idle worker) may take every request of a batch.
        sent = 1  # the one that waited for the start
        with ThreadPoolExecutor(max_workers=12) as pool:
            while len(list(metrics_dir.glob("counter_*.db"))) < 2:
                assert time.monotonic() < deadline, "only one worker ever answered"
                statuses = [r[0] for r in pool.map(lambda _: get(port, "/healthz"), range(30))]
                assert statuses == [200] * 30
                sent += 30
        counts = []
        for _ in range(6):  # scrapes land on different workers
            status, text = get(port, "/metrics")
            assert status == 200
            counts.append(healthz_count(text))
        assert min(counts) >= sent  # every scrape, whichever worker answers, sums them all
    finally:
        stop_gunicorn(process)
