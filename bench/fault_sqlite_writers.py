"""Fault run: N concurrent writers on SQLite through the ORM with our SQLITE_OPTIONS.

Each writer (a separate process by default, like gunicorn workers and Celery workers; or a
thread) loops for --seconds: in one transaction it inserts a row (a session) and increments a
single shared counter row (the worst case: every writer wants the same row). Reports writes,
per-transaction latency and every error; "database is locked" must never appear.

    .venv/bin/python bench/fault_sqlite_writers.py --writers 64 --seconds 60
    .venv/bin/python bench/fault_sqlite_writers.py --writers 64 --seconds 60 --mode threads

Uses a fresh SQLite file in a temporary directory (never var/mingbai.sqlite3).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup(db_path: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["LOG_LEVEL"] = "WARNING"
    import django

    django.setup()


def _writer(seconds: float, ready, go, ident: int) -> dict:
    import uuid
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.db import connection, transaction
    from django.db.models import F
    from django.utils import timezone

    latencies, errors = [], []
    expire = timezone.now() + timedelta(days=1)
    ready()
    go.wait()
    deadline = time.time() + seconds
    while time.time() < deadline:
        began = time.perf_counter()
        try:
            with transaction.atomic():
                Session.objects.create(
                    session_key=uuid.uuid4().hex, session_data=f"w{ident}", expire_date=expire
                )
                # Every writer also updates the one shared row: the worst case for locking.
                Session.objects.filter(session_key="counter").update(
                    session_data=F("session_data"), expire_date=expire
                )
        except Exception as exc:  # count every error, keep going
            errors.append(f"{type(exc).__name__}: {exc}")
            continue
        latencies.append(time.perf_counter() - began)
    connection.close()
    return {"writes": len(latencies), "latencies": latencies, "errors": errors}


def _process_main(seconds, ready_queue, go, ident, queue):
    queue.put(_writer(seconds, lambda: ready_queue.put(ident), go, ident))


def run(writers: int, seconds: float, mode: str) -> dict:
    tmp = tempfile.mkdtemp(prefix="mingbai-sqlite-fault-")
    db_path = os.path.join(tmp, "fault.sqlite3")
    _setup(db_path)
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    call_command("migrate", "sessions", verbosity=0)
    Session.objects.create(
        session_key="counter", session_data="0", expire_date=timezone.now() + timedelta(days=1)
    )
    options = connection.settings_dict.get("OPTIONS", {})
    connection.close()
    results = []
    if mode == "processes":
        # fork after django.setup() with no open connection: each child opens its own.
        ctx = mp.get_context("fork")
        queue, ready_queue, go = ctx.Queue(), ctx.Queue(), ctx.Event()
        procs = [
            ctx.Process(target=_process_main, args=(seconds, ready_queue, go, i, queue))
            for i in range(writers)
        ]
        for p in procs:
            p.start()
        for _ in procs:
            ready_queue.get()
        go.set()
        results = [queue.get() for _ in procs]
        for p in procs:
            p.join()
    else:
        lock = threading.Lock()
        go = threading.Event()

        def target(i):
            r = _writer(seconds, lambda: None, go, i)
            with lock:
                results.append(r)

        threads = [threading.Thread(target=target, args=(i,)) for i in range(writers)]
        for t in threads:
            t.start()
        go.set()
        for t in threads:
            t.join()
    latencies = sorted(x for r in results for x in r["latencies"])
    errors = [e for r in results for e in r["errors"]]
    rows = Session.objects.count() - 1
    summary = {
        "mode": mode,
        "writers": writers,
        "seconds": seconds,
        "transactions": len(latencies),
        "rows_in_db": rows,
        "tx_per_s": round(len(latencies) / seconds, 1),
        "latency_ms_median": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "latency_ms_p99": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1)
        if latencies
        else None,
        "latency_ms_max": round(latencies[-1] * 1000, 1) if latencies else None,
        "errors": len(errors),
        "database_is_locked": sum("database is locked" in e for e in errors),
        "first_errors": errors[:5],
        "sqlite_options": {k: v for k, v in options.items() if k != "init_command"},
    }
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--mode", choices=["processes", "threads"], default="processes")
    args = parser.parse_args()
    summary = run(args.writers, args.seconds, args.mode)
    print(json.dumps(summary, ensure_ascii=False))
    ok = summary["errors"] == 0 and summary["rows_in_db"] == summary["transactions"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
