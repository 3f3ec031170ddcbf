"""With the RQ queue, a job whose worker was killed (the whole unit: worker and work horse,
SIGKILL) is found by RQ's cleanup as abandoned and put back in the queue by recover_tasks'
`recover_rq_jobs`. A private redis-server and a real `rq worker` process."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rq import Queue
from rq.job import JobStatus
from rq.registry import StartedJobRegistry

from config.operations.recovery import recover_rq_jobs

pytestmark = pytest.mark.skipif(
    shutil.which("redis-server") is None, reason="redis-server not installed"
)

RQ = Path(sys.executable).parent / "rq"


def test_a_job_abandoned_by_a_killed_worker_is_requeued(private_redis):
    url, connection = private_redis
    queue = Queue("default", connection=connection)
    job = queue.enqueue("time.sleep", 60, job_timeout=120)
    worker = subprocess.Popen(
        [str(RQ), "worker", "--url", url, "--burst", "default"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while job.get_status(refresh=True) != JobStatus.STARTED:
            assert time.monotonic() < deadline, "the worker did not start the job"
            time.sleep(0.1)
        os.killpg(worker.pid, signal.SIGKILL)  # worker and work horse, as systemd or OOM
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)

    assert job.get_status(refresh=True) == JobStatus.STARTED  # nobody will finish it
    assert recover_rq_jobs(queue) == 0  # not expired yet: RQ gives it its timeout
    later = time.time() + 3600  # after the job's timeout, when RQ counts it abandoned
    assert recover_rq_jobs(queue, timestamp=later) == 1
    assert job.get_status(refresh=True) == JobStatus.QUEUED
    assert job.id in queue.get_job_ids()
    assert job.id not in StartedJobRegistry(queue=queue).get_job_ids()
