"""Gunicorn settings: the alternative to bin/serve (Granian), which production uses.

    .venv/bin/gunicorn -c config/gunicorn.conf.py config.wsgi

On the 2-core exam-day benchmark gunicorn's threaded workers cost ~1.2 ms of CPU per keep-alive
request beyond Django's own ~0.2 ms, so with PostgreSQL on the same box they saturate before the
answer saves do (bench/README.md); Granian serves the same app at about half that cost.

Threaded workers (gthread) keep phones' connections alive between exam saves; each has one
request thread beside its connection poller, and there are four per CPU core (on the 2-core
exam-day benchmark, 8×1 beat 4×8, 4×4 and 8×2 threads on save latency and grading time, and
sync workers, which cannot keep connections alive: bench/README.md). Environment variables
override the defaults: GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_THREADS.
"""

import gc
import os
import sys

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", 4 * (os.cpu_count() or 1)))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
worker_connections = 4000  # open connections per worker, most of them idle keep-alives
keepalive = 30
backlog = 4096


def post_fork(server, worker):
    # A thread that needs the GIL waits up to the switch interval (5 ms) for a busy thread to
    # yield it. Every request passes between a worker's poller and its request threads several
    # times, so with the default, one CPU-heavy request adds milliseconds to its neighbours'.
    sys.setswitchinterval(0.0005)


def post_worker_init(worker):
    # Django, Wagtail and the URL and template machinery are loaded now and live as long as the
    # worker: move them out of the garbage collector's way, so a full collection under load
    # traverses only what requests create (pauses of tens of milliseconds otherwise).
    gc.freeze()
