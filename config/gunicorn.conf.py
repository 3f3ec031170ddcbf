"""gunicorn settings: `gunicorn -c config/gunicorn.conf.py config.wsgi`.

Workers and threads come from the environment so one file serves a laptop and a server.
"""

import multiprocessing
import os

from config.warmup import warm_up

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# Sync workers: the pages are CPU-bound Python, so threads would only take turns on the GIL,
# and a thread holding a session's row lock would wait for it (docs/performance.md measured
# a third as many lock waits with sync workers). nginx in front buffers slow clients.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))  # for GUNICORN_WORKER_CLASS=gthread
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Workers are forked from a master that has loaded the site and warmed it up (config/warmup.py):
# a new or recycled worker answers at once instead of starting Django on its first requests,
# which was the p99 of every cached page (docs/performance.md, "No stalls").
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"
# Recycling bounds a leak's growth. Even a warm fork costs a worker's local copies (pages, the
# watched version, connections): at 2,000 a worker serving cached pages at full speed was
# recycled every second, which cost a tenth of the throughput and the p99 (same section).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "50000"))
max_requests_jitter = max_requests // 10
# Access logs carry paths and status only: query strings can hold personal data.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # empty: no access log
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
# The proxies whose X-Forwarded-* headers count: the same list Django and the client-address
# helper use (config/clientip.py). Empty (no proxy): gunicorn believes no forwarded header.
forwarded_allow_ips = os.environ.get("DJANGO_TRUSTED_PROXIES", "")
# Request metrics of all workers are summed through files in this directory (emptied before
# gunicorn starts: deploy/systemd/campaign-web@.service); a dead worker's live gauges go.
prometheus_multiproc_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def when_ready(server):
    if preload_app:
        warm_up()


def child_exit(server, worker):
    if prometheus_multiproc_dir:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
# gunicorn 27's runtime control socket lives at one path per user, so two servers on a machine
# would fight over it; nothing here uses it.
control_socket_disable = True
