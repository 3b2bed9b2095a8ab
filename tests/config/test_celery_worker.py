"""A task sent through a real Celery worker on the configured broker (not eager mode).

With no CELERY_BROKER_URL this is the embedded SQLite broker; .ci/run repeats the suite with
Redis.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from config.celery import app, ping

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.worker


QUEUE = f"worker-test-{os.getpid()}"  # a queue of its own: no other queued task gets in the way


@pytest.fixture
def real_worker(tmp_path):
    env = dict(os.environ, CELERY_TASK_ALWAYS_EAGER="false")
    # The worker's log goes to a file: an unread pipe would fill up and stall the worker.
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            f"--hostname=test-{os.getpid()}@%h",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-Q",
            QUEUE,
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    proc.log_path = tmp_path / "worker.log"
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def test_task_round_trip_through_real_worker(real_worker):
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        started = time.monotonic()
        result = ping.apply_async(("你好",), queue=QUEUE)
        try:
            value = result.get(timeout=90)
        except Exception:
            print((Path(real_worker.log_path)).read_text()[-5000:])
            raise
    finally:
        app.conf.task_always_eager = eager
    assert value["echo"] == "你好"
    assert value["pid"] == real_worker.pid  # ran in the worker process, not here
    assert time.monotonic() - started < 120
