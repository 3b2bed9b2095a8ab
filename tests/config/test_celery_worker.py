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


@pytest.fixture
def real_worker():
    env = dict(os.environ, CELERY_TASK_ALWAYS_EAGER="false")
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
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_task_round_trip_through_real_worker(real_worker):
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        started = time.monotonic()
        result = ping.delay("你好")
        value = result.get(timeout=90)
    finally:
        app.conf.task_always_eager = eager
    assert value["echo"] == "你好"
    assert value["pid"] == real_worker.pid  # ran in the worker process, not here
    assert time.monotonic() - started < 120
