"""Study heartbeat load test (issue 6): N learners, one heartbeat every 30 s each.

    .venv/bin/python bench/study_heartbeat.py                   # SQLite, 1,000 learners, 120 s
    .venv/bin/python bench/study_heartbeat.py --db postgres     # PostgreSQL

On a fresh database of its own (var/bench-study.sqlite3 or PostgreSQL ``mingbai_bench_study``):

1. migrates, creates a course with a lesson and N learners (accounts on the roster) with
   bearer tokens;
2. starts gunicorn (gthread) on 127.0.0.1 with the platform's settings plus a bare view;
3. measures the bare view's throughput and the heartbeat's own closed-loop throughput
   (32 concurrent keep-alive clients, a few seconds each);
4. open loop: every learner sends ``POST /api/v1/study/heartbeat/`` every ``--interval``
   seconds for ``--duration`` seconds, the learners' phases spread evenly over the interval
   (1,000 learners / 30 s = 33 requests a second), from a pool of keep-alive clients;
5. checks the credit: no learner is credited more than the time between their first and
   last heartbeat.

Prints p50/p95/p99/max latency, errors, and the bare view's req/s. Bounded in time and count.
"""

from __future__ import annotations

import argparse
import heapq
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
VAR = ROOT / "var"
PY = sys.executable
HOST = "127.0.0.1"


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    p.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/mingbai_bench_study")
    p.add_argument("--learners", type=int, default=1000)
    p.add_argument("--interval", type=float, default=30.0)
    p.add_argument("--duration", type=float, default=120.0)
    p.add_argument("--clients", type=int, default=64, help="keep-alive client threads")
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    p.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    p.add_argument("--port", type=int, default=8766)
    p.add_argument("--bare-seconds", type=float, default=5.0)
    p.add_argument("--json", help="also write the summary to this file")
    p.add_argument("--internal-setup", help=argparse.SUPPRESS)
    return p.parse_args(argv)


def bench_env(args) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(BENCH), str(ROOT), env.get("PYTHONPATH", "")])
    env["DJANGO_SETTINGS_MODULE"] = "study_heartbeat_settings"
    if args.db == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{VAR / 'bench-study.sqlite3'}?conn_max_age=600"
    else:
        env["DATABASE_URL"] = args.pg_url
    env["MEDIA_ROOT"] = str(VAR / "bench-study-media")
    env["CELERY_TASK_ALWAYS_EAGER"] = "true"
    env["MINGBAI_REQUIRE_2FA"] = "true"
    return env


def fresh_database(args, env) -> None:
    if args.db == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{VAR / 'bench-study.sqlite3'}{suffix}").unlink(missing_ok=True)
    else:
        base, name = args.pg_url.rsplit("/", 1)
        admin = f"{base}/postgres"
        for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
            subprocess.run(["psql", admin, "-q", "-c", sql], check=True, env=env)
    subprocess.run([PY, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)


def internal_setup(n: int, out: str) -> None:
    """Runs inside the bench environment: course, lesson, N learners with tokens."""
    import datetime as dt

    import django

    django.setup()
    from core.identity import make_test_id_number
    from home.demo import load_site
    from learning.study.models import CourseIndexPage, CoursePage, LessonPage
    from people.accounts.api_auth import token_issue
    from people.accounts.models import User
    from people.roster.models import Unit
    from people.roster.services import person_create

    home = load_site()
    index = CourseIndexPage(title="课程", slug="courses")
    home.add_child(instance=index)
    course = CoursePage(title="压测课程", slug="bench")
    index.add_child(instance=course)
    lesson = LessonPage(title="压测课时", slug="lesson", min_minutes=1, body=[])
    course.add_child(instance=lesson)
    for page in (index, course, lesson):
        page.save_revision().publish()
    district = Unit.objects.create(kind="district", code="B", name="区")
    village = Unit(kind="village", code="BV", name="村", parent=district)
    village.save()
    users = User.objects.bulk_create(
        [User(phone=f"139{i:08d}", password="!bench") for i in range(n)]
    )
    tokens = []
    for i, user in enumerate(users):
        person_create(
            name=f"学员{i}",
            id_number=make_test_id_number("511102", dt.date(1970 + i % 40, 1 + i % 12, 1), i),
            unit=village,
            category="cadre",
            user=user,
        )
        tokens.append(token_issue(user))
    Path(out).write_text(json.dumps({"lesson": lesson.pk, "tokens": tokens}))


def start_gunicorn(args, env):
    cmd = [
        str(Path(PY).parent / "gunicorn"),
        "config.wsgi",
        "--bind",
        f"{HOST}:{args.port}",
        "--workers",
        str(args.workers),
        "--threads",
        str(args.threads),
        "--worker-class",
        "gthread",
        "--keep-alive",
        "30",
        "--log-level",
        "warning",
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            c = http.client.HTTPConnection(HOST, args.port, timeout=2)
            c.request("GET", "/bench/bare/")
            if c.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.3)
    stop(proc)
    raise SystemExit("gunicorn did not start")


def stop(proc) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)


def closed_loop(args, path, body=None, headers_for=None, seconds=5.0, clients=32) -> float:
    count = [0]
    lock = threading.Lock()
    stop_at = time.time() + seconds

    def run(n):
        conn = http.client.HTTPConnection(HOST, args.port, timeout=30)
        done = 0
        while time.time() < stop_at:
            headers = headers_for(n) if headers_for else {}
            conn.request("POST" if body else "GET", path, body=body, headers=headers)
            r = conn.getresponse()
            r.read()
            done += 1
        with lock:
            count[0] += done

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    start = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return count[0] / (time.time() - start)


def open_loop(args, lesson, tokens):
    """Every learner beats every interval seconds; returns latencies (s) and errors."""
    n = len(tokens)
    rounds = max(1, int(args.duration // args.interval))
    start = time.time() + 1.0
    schedule = [
        (start + (i * args.interval / n) + k * args.interval, i)
        for k in range(rounds + 1)
        for i in range(n)
    ]
    heapq.heapify(schedule)
    lock = threading.Lock()
    latencies: list[float] = []
    lateness: list[float] = []
    errors: list[str] = []
    body = json.dumps({"lesson": lesson})

    def run():
        conn = http.client.HTTPConnection(HOST, args.port, timeout=30)
        while True:
            with lock:
                if not schedule:
                    return
                at, i = heapq.heappop(schedule)
            delay = at - time.time()
            if delay > 0:
                time.sleep(delay)
            sent = time.time()
            try:
                conn.request(
                    "POST",
                    "/api/v1/study/heartbeat/",
                    body=body,
                    headers={
                        "Content-Type": "application/json",
                        "Authorization": f"Bearer {tokens[i]}",
                    },
                )
                r = conn.getresponse()
                data = r.read()
                ok = r.status == 200
            except OSError as exc:
                conn = http.client.HTTPConnection(HOST, args.port, timeout=30)
                ok, data = False, str(exc).encode()
            took = time.time() - sent
            with lock:
                latencies.append(took)
                lateness.append(max(0.0, sent - at))
                if not ok:
                    errors.append(data[:200].decode(errors="replace"))

    threads = [threading.Thread(target=run) for _ in range(args.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, lateness, errors, rounds


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] if values else 0.0


def check_credit(env, interval, rounds, skip) -> str:
    """No learner credited more than their first-to-last heartbeat span (the learners also
    used by the closed-loop phase are left out: they beat earlier too)."""
    code = (
        "import django,json;django.setup();"
        "from learning.study.models import StudyDay;from django.db.models import Max,Sum;"
        f"a=StudyDay.objects.exclude(person__name__in=['学员%d' % i for i in range({skip})])"
        ".aggregate(m=Max('credited_ms'),s=Sum('credited_ms'),b=Sum('beats'));"
        "print(json.dumps(a))"
    )
    out = (
        subprocess.run(
            [PY, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    data = json.loads(out)
    limit_ms = rounds * interval * 1000 + 2000  # first-to-last heartbeat, plus jitter
    verdict = "ok" if (data["m"] or 0) <= limit_ms else "TOO MUCH CREDIT"
    return f"{verdict}: max credited {data['m'] / 1000:.1f}s per learner (≤ {limit_ms / 1000:.0f}s)"


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.internal_setup:
        internal_setup(args.learners, args.internal_setup)
        return
    VAR.mkdir(exist_ok=True)
    env = bench_env(args)
    t0 = time.time()
    fresh_database(args, env)
    setup_file = VAR / "bench-study-setup.json"
    subprocess.run(
        [PY, __file__, "--learners", str(args.learners), "--internal-setup", str(setup_file)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    setup = json.loads(setup_file.read_text())
    print(f"setup: {args.learners} learners in {time.time() - t0:.0f}s", flush=True)
    proc = start_gunicorn(args, env)
    try:
        bare = closed_loop(args, "/bench/bare/", seconds=args.bare_seconds)
        tokens = setup["tokens"]
        body = json.dumps({"lesson": setup["lesson"]})
        beat_max = closed_loop(
            args,
            "/api/v1/study/heartbeat/",
            body=body,
            headers_for=lambda n: {
                "Content-Type": "application/json",
                "Authorization": f"Bearer {tokens[n]}",
            },
            seconds=args.bare_seconds,
        )
        latencies, lateness, errors, rounds = open_loop(args, setup["lesson"], tokens)
    finally:
        stop(proc)
    credit = check_credit(env, args.interval, rounds, skip=32)
    summary = {
        "db": args.db,
        "learners": args.learners,
        "interval_s": args.interval,
        "duration_s": args.duration,
        "requests": len(latencies),
        "rate_per_s": round(args.learners / args.interval, 1),
        "p50_ms": round(pct(latencies, 0.50) * 1000, 1),
        "p95_ms": round(pct(latencies, 0.95) * 1000, 1),
        "p99_ms": round(pct(latencies, 0.99) * 1000, 1),
        "max_ms": round(max(latencies) * 1000, 1) if latencies else 0,
        "mean_ms": round(statistics.mean(latencies) * 1000, 1) if latencies else 0,
        "late_p95_ms": round(pct(lateness, 0.95) * 1000, 1),
        "errors": len(errors),
        "bare_view_req_s": round(bare),
        "heartbeat_closed_loop_req_s": round(beat_max),
        "credit_check": credit,
        "gunicorn": f"{args.workers} workers × {args.threads} threads (gthread)",
    }
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    if errors:
        print("first errors:", errors[:3])
    if args.json:
        Path(args.json).write_text(json.dumps(summary, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
