"""Fault run: SIGKILL a Celery worker in the middle of a long task; the task still completes
exactly once after a restart (acks_late + reject_on_worker_lost + Redis visibility timeout).

Two scenarios, each with 3 queued jobs of --task-seconds:

* child:  SIGKILL the prefork pool process running the task. The worker sees the lost child
          and, with task_reject_on_worker_lost, puts the message back at once.
* worker: SIGKILL the whole worker (its process group): the message stays unacknowledged in
          Redis; a newly started worker gets it back after the visibility timeout.

    .venv/bin/python bench/fault_celery_kill.py --runs 3

Needs Redis on 127.0.0.1:6379 (uses database 13, flushed first) and a fresh SQLite file.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BROKER = "redis://127.0.0.1:6379/13"


def _env(db_path: str, visibility: int) -> dict:
    return dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL=f"sqlite:///{db_path}",
        CELERY_BROKER_URL=BROKER,
        CELERY_RESULT_BACKEND=BROKER,
        CELERY_VISIBILITY_TIMEOUT=str(visibility),
        CELERY_TASK_ALWAYS_EAGER="false",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )


def _start_worker(env: dict, name: str, log) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--include",
            "bench.fault_tasks",
            "--pool=prefork",
            "--concurrency=1",
            "--loglevel=WARNING",
            f"--hostname={name}@%h",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def _state():
    from django.contrib.sessions.models import Session

    starts = list(
        Session.objects.filter(session_key__startswith="fault-start-").values_list(
            "session_key", "session_data"
        )
    )
    done = list(
        Session.objects.filter(session_key__startswith="fault-done-").values_list(
            "session_key", flat=True
        )
    )
    return starts, done


def prepare() -> str:
    """A fresh SQLite file with the sessions table; Django set up against it."""
    import django

    tmp = tempfile.mkdtemp(prefix="mingbai-celery-fault-")
    db_path = os.path.join(tmp, "fault.sqlite3")
    env = _env(db_path, 0)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "sessions", "-v0"], cwd=ROOT, env=env, check=True
    )
    for key in ("DATABASE_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "LOG_LEVEL"):
        os.environ[key] = env[key]
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    django.setup()
    return db_path


def run_once(db_path: str, scenario: str, task_seconds: float, visibility: int, log) -> dict:
    from django.contrib.sessions.models import Session
    from django.db import connection

    from config.celery import app

    env = _env(db_path, visibility)
    subprocess.run(["redis-cli", "-n", "13", "flushdb"], check=True, capture_output=True)
    Session.objects.filter(session_key__startswith="fault-").delete()
    app.conf.task_always_eager = False
    worker = _start_worker(env, f"fault-{scenario}-1", log)
    jobs = [f"{scenario[0]}{i}" for i in range(3)]
    for job in jobs:
        app.send_task("bench.fault_long_task", args=[job, task_seconds])
    # Wait until job 0 is running, then kill in its middle.
    deadline = time.time() + 120
    while time.time() < deadline:
        starts, _ = _state()
        if starts:
            break
        time.sleep(0.2)
    else:
        _kill_group(worker)
        raise RuntimeError("the worker never started the task")
    time.sleep(task_seconds / 2)
    killed_at = time.time()
    started_pid = int(starts[0][1])
    if scenario == "child":
        os.kill(started_pid, signal.SIGKILL)
    else:
        _kill_group(worker)
        worker = _start_worker(env, f"fault-{scenario}-2", log)
    deadline = time.time() + visibility * 3 + task_seconds * 6 + 120
    while time.time() < deadline:
        starts, done = _state()
        if len(done) == len(jobs):
            break
        time.sleep(0.5)
    recovered_after = time.time() - killed_at
    # Let any stray redelivery show itself before counting.
    time.sleep(min(visibility, 10) + 2)
    starts, done = _state()
    _kill_group(worker)
    connection.close()
    return {
        "scenario": scenario,
        "jobs": len(jobs),
        "completed": len(done),
        "completed_exactly_once": sorted(done) == sorted(f"fault-done-{j}" for j in jobs),
        "starts": len(starts),
        "starts_of_killed_job": sum(k.startswith(f"fault-start-{jobs[0]}-") for k, _ in starts),
        "all_done_s_after_kill": round(recovered_after, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--task-seconds", type=float, default=8.0)
    parser.add_argument("--visibility-timeout", type=int, default=20)
    parser.add_argument("--scenario", choices=["child", "worker", "both"], default="both")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    db_path = prepare()
    scenarios = ["child", "worker"] if args.scenario == "both" else [args.scenario]
    results = []
    with open(os.path.join(tempfile.gettempdir(), "mingbai-fault-celery.log"), "a") as log:
        for _ in range(args.runs):
            for scenario in scenarios:
                r = run_once(db_path, scenario, args.task_seconds, args.visibility_timeout, log)
                print(json.dumps(r, ensure_ascii=False), flush=True)
                results.append(r)
    ok = all(r["completed_exactly_once"] for r in results)
    for scenario in scenarios:
        times = [r["all_done_s_after_kill"] for r in results if r["scenario"] == scenario]
        print(f"{scenario}: median {statistics.median(times)} s from kill to all jobs done")
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
