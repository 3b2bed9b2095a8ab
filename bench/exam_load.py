"""Exam-day load test (issue 5): N simulated takers against the web server on 127.0.0.1.

    .venv/bin/python bench/exam_load.py                       # SQLite, 2,000 takers
    .venv/bin/python bench/exam_load.py --db postgres         # PostgreSQL + Redis broker
    .venv/bin/python bench/exam_load.py --server gunicorn     # gunicorn instead of Granian

What it does, on a fresh database of its own (var/bench-exam.sqlite3 or PostgreSQL database
``mingbai_bench``; the broker is var/bench-broker.sqlite3 or Redis db 15):

1. migrates, creates N accounts with tokens, a 100-question bank and a practice exam whose paper
   draws 50 questions (30 single, 10 multiple, 10 true/false) per attempt;
2. starts the platform's web server set-up, ``bin/serve`` (Granian), or with ``--server gunicorn``
   gunicorn with config/gunicorn.conf.py (``--workers``, ``--threads`` and ``--worker-class``
   override either), with the platform's settings plus a bare view /bench/bare/;
3. measures the bare view's throughput (64 concurrent keep-alive clients, a few seconds);
4. N takers, each on its own keep-alive connection, start within ``--start-window`` seconds,
   save ``--answers`` answers with ``--think-min``..``--think-max`` seconds of think time
   (about one in ten saves changes an earlier answer, with a higher seq), then wait until every
   taker has finished and all submit at once (the deadline rush);
5. reconciles every acknowledged save against the database (an acknowledged save must be there
   with that seq or a newer one) and checks every attempt is graded.

Prints p50/p95/max for start, save and submit, the bare view's req/s, errors, lost saves and
the time to grade all attempts. Bounded: ``--max-seconds`` aborts a run that takes too long.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import random
import shutil
import signal
import subprocess
import sys
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
    p.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/mingbai_bench")
    p.add_argument("--redis-url", default="redis://127.0.0.1:6379/15")
    p.add_argument("--takers", type=int, default=2000)
    p.add_argument("--answers", type=int, default=50)
    p.add_argument("--think-min", type=float, default=1.0)
    p.add_argument("--think-max", type=float, default=5.0)
    p.add_argument("--start-window", type=float, default=10.0)
    p.add_argument("--server", choices=("granian", "gunicorn"), default="granian")
    p.add_argument("--worker-class", default="gthread", help="gunicorn worker class")
    # Default: the server set-up's own (bin/serve: 2 per core; gunicorn.conf.py: 4 per core).
    p.add_argument("--workers", type=int, help="worker processes")
    p.add_argument("--threads", type=int, default=1, help="request threads per worker")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--bare-seconds", type=float, default=5.0)
    p.add_argument("--max-seconds", type=float, default=900.0, help="abort the run after this long")
    p.add_argument("--seed", type=int, default=5)
    p.add_argument("--json", help="also write the summary to this file")
    return p.parse_args(argv)


# ------------------------------------------------------------------------------ environment


def bench_env(args) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(BENCH), str(ROOT), env.get("PYTHONPATH", "")])
    env["DJANGO_SETTINGS_MODULE"] = "exam_load_settings"
    if args.db == "sqlite":
        # Persistent connections (conn_max_age), as for PostgreSQL: no PRAGMAs on every request.
        env["DATABASE_URL"] = f"sqlite:///{VAR / 'bench-exam.sqlite3'}?conn_max_age=600"
        env["CELERY_BROKER_URL"] = f"sqla+sqlite:///{VAR / 'bench-broker.sqlite3'}"
        env["CELERY_RESULT_BACKEND"] = f"db+sqlite:///{VAR / 'bench-results.sqlite3'}"
    else:
        env["DATABASE_URL"] = args.pg_url
        env["CELERY_BROKER_URL"] = args.redis_url
        env["CELERY_RESULT_BACKEND"] = args.redis_url
    return env


def fresh_database(args, env):
    if args.db == "sqlite":
        for name in ("bench-exam.sqlite3", "bench-broker.sqlite3", "bench-results.sqlite3"):
            for suffix in ("", "-wal", "-shm"):
                path = VAR / (name + suffix)
                if path.exists():
                    path.unlink()
    else:
        import psycopg

        base, dbname = args.pg_url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{dbname}"')
        import redis

        redis.Redis.from_url(args.redis_url).flushdb()
    subprocess.run(
        [PY, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )


def django_setup(env):
    for key in (
        "PYTHONPATH",
        "DJANGO_SETTINGS_MODULE",
        "DATABASE_URL",
        "CELERY_BROKER_URL",
        "CELERY_RESULT_BACKEND",
    ):
        os.environ[key] = env[key]
    sys.path[:0] = [str(BENCH), str(ROOT)]
    import django

    django.setup()


def seed(args) -> tuple[int, list[str]]:
    """Accounts with tokens, a bank of 100 questions, a practice exam drawing 50."""
    from datetime import timedelta

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from exams.formats import QuestionData
    from exams.models import Exam, Paper, PaperRule, QuestionTag
    from exams.services import question_save
    from people.accounts.api_auth import token_issue
    from people.accounts.models import User

    rng = random.Random(args.seed)
    for i in range(60):
        opts = [(k, f"单选{i}选项{k}") for k in "ABCD"]
        question_save(
            data=QuestionData("single", f"压测单选题{i}", opts, [rng.choice("ABCD")], tags=["压测"])
        )
    for i in range(20):
        opts = [(k, f"多选{i}选项{k}") for k in "ABCDE"]
        question_save(
            data=QuestionData(
                "multiple", f"压测多选题{i}", opts, sorted(rng.sample("ABCDE", 2)), tags=["压测"]
            )
        )
    for i in range(20):
        tf = [("A", "正确"), ("B", "错误")]
        question_save(
            data=QuestionData("truefalse", f"压测判断题{i}", tf, [rng.choice("AB")], tags=["压测"])
        )
    paper = Paper.objects.create(title="压测试卷", mode=Paper.Mode.RANDOM)
    tag = QuestionTag.objects.get(name="压测")
    for i, (qtype, n) in enumerate((("single", 30), ("multiple", 10), ("truefalse", 10))):
        PaperRule.objects.create(paper=paper, type=qtype, tag=tag, count=n, points=2, sort_order=i)
    now = timezone.now()
    exam = Exam.objects.create(
        title="压测考试",
        purpose="practice",
        paper=paper,
        opens_at=now - timedelta(minutes=5),
        closes_at=now + timedelta(hours=3),
        time_limit_minutes=120,
        attempts_allowed=1,
    )
    password = make_password("bench-password-not-used")
    users = [
        User(phone=f"170{i:08d}", display_name=f"考生{i}", password=password)
        for i in range(args.takers)
    ]
    User.objects.bulk_create(users, batch_size=500)
    users = list(User.objects.filter(phone__startswith="170").order_by("phone"))
    return exam.pk, [token_issue(u) for u in users]


# ------------------------------------------------------------------------------ server


def server_command(args, env) -> list[str]:
    if args.server == "granian":
        env.update(GRANIAN=str(Path(PY).parent / "granian"), WEB_HOST=HOST, WEB_PORT=str(args.port))
        if args.workers:
            env["WEB_WORKERS"] = str(args.workers)
        cmd = [str(ROOT / "bin" / "serve"), "--log-level", "warning"]
        return cmd + ["--blocking-threads", str(args.threads)]
    workers = ["--workers", str(args.workers)] if args.workers else []
    return [
        str(Path(PY).parent / "gunicorn"),
        "-c",
        str(ROOT / "config" / "gunicorn.conf.py"),
        "config.wsgi",
        "--bind",
        f"{HOST}:{args.port}",
        *workers,
        "--worker-class",
        args.worker_class,
        "--threads",
        str(args.threads),
        "--log-level",
        "warning",
    ]


def start_server(args, env) -> subprocess.Popen:
    env = dict(env)
    cmd = server_command(args, env)
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _ = asyncio.run(one_shot("GET", "/bench/bare/", args.port))
            if status == 200:
                return proc
        except OSError:
            time.sleep(0.3)
    stop_server(proc)
    raise SystemExit(f"{args.server} did not start")


def stop_server(proc):
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


# ------------------------------------------------------------------------------ HTTP client


class Connection:
    """One keep-alive HTTP/1.1 connection (reconnects when the server closed it)."""

    def __init__(self, port):
        self.port = port
        self.reader = self.writer = None

    async def _open(self):
        self.reader, self.writer = await asyncio.open_connection(HOST, self.port, limit=2**20)

    def close(self):
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None

    async def request(self, method, path, token=None, body=None):
        data = json.dumps(body).encode() if body is not None else b""
        head = [f"{method} {path} HTTP/1.1", f"Host: {HOST}", f"Content-Length: {len(data)}"]
        if body is not None:
            head.append("Content-Type: application/json")
        if token:
            head.append(f"Authorization: Bearer {token}")
        raw = ("\r\n".join(head) + "\r\n\r\n").encode() + data
        for attempt in range(2):  # a keep-alive connection the server closed: reconnect once
            fresh = self.writer is None
            if fresh:
                await self._open()
            try:
                self.writer.write(raw)
                await self.writer.drain()
                header = await self.reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, ConnectionError):
                self.close()
                if fresh or attempt:
                    raise
                continue
            lines = header.decode("latin-1").split("\r\n")
            status = int(lines[0].split()[1])
            headers = {
                k.lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:] if ln)
            }
            payload = await self.reader.readexactly(int(headers.get("content-length", 0)))
            if headers.get("connection", "").lower() == "close":
                self.close()
            return status, payload
        raise ConnectionError("unreachable")


async def one_shot(method, path, port=8765):
    conn = Connection(port)
    try:
        return await conn.request(method, path)
    finally:
        conn.close()


def pct(values, p):
    if not values:
        return None
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


# ------------------------------------------------------------------------------ phases


async def bare_throughput(args) -> float:
    stop = time.monotonic() + args.bare_seconds
    count = 0

    async def loop():
        nonlocal count
        conn = Connection(args.port)
        while time.monotonic() < stop:
            status, _ = await conn.request("GET", "/bench/bare/")
            count += status == 200
        conn.close()

    t0 = time.monotonic()
    await asyncio.gather(*(loop() for _ in range(64)))
    return count / (time.monotonic() - t0)


async def exam_day(args, exam_id, tokens):
    rng = random.Random(args.seed)
    lat = {"start": [], "save": [], "submit": []}
    errors: dict[str, int] = {}
    acked: list[str] = []  # "attempt question seq A,B" for every acknowledged save
    results = []
    finished = asyncio.Event()
    done_count = 0
    t_zero = time.monotonic()
    start_times = []
    save_at: list[float] = []  # when each save was sent (seconds since the run began)

    def error(kind):
        errors[kind] = errors.get(kind, 0) + 1

    async def call(conn, kind, method, path, token, body=None, ok=(200,)):
        for _ in range(5):
            t = time.monotonic()
            try:
                status, payload = await conn.request(method, path, token, body)
            except (OSError, asyncio.IncompleteReadError) as exc:
                error(f"{kind}: {type(exc).__name__}")
                conn.close()
                await asyncio.sleep(1)
                continue
            lat[kind].append(time.monotonic() - t)
            if kind == "save":
                save_at.append(t - t_zero)
            if status in ok:
                return json.loads(payload)
            error(f"{kind}: HTTP {status}")
            await asyncio.sleep(1)
        return None

    async def taker(i, token):
        nonlocal done_count
        my = random.Random(rng.random())
        await asyncio.sleep(my.uniform(0, args.start_window))
        conn = Connection(args.port)
        start_times.append(time.monotonic() - t_zero)
        data = await call(conn, "start", "POST", f"/api/v1/exams/{exam_id}/attempts/", token)
        if data is None:
            done_count += 1
            return
        attempt_id = data["id"]
        questions = data["questions"]
        seqs: dict[int, int] = {}
        plan = [questions[k % len(questions)] for k in range(args.answers)]
        for n, q in enumerate(plan):
            if n and my.random() < 0.1:  # change an earlier answer
                q = my.choice(plan[:n])
            await asyncio.sleep(my.uniform(args.think_min, args.think_max))
            keys = [o["key"] for o in q["options"]]
            answer = sorted(my.sample(keys, 2)) if q["type"] == "multiple" else [my.choice(keys)]
            seqs[q["id"]] = seqs.get(q["id"], 0) + 1
            body = {"answer": answer, "seq": seqs[q["id"]]}
            saved = await call(
                conn,
                "save",
                "PUT",
                f"/api/v1/attempts/{attempt_id}/answers/{q['id']}/",
                token,
                body,
            )
            if saved and saved.get("saved"):
                # A string, not a tuple: 100,000 of them stay out of the client's GC traversal.
                acked.append(f"{attempt_id} {q['id']} {saved['seq']} {','.join(answer)}")
        done_count += 1
        if done_count >= len(tokens):
            finished.set()
        conn.close()
        await finished.wait()
        conn = Connection(args.port)
        result = await call(conn, "submit", "POST", f"/api/v1/attempts/{attempt_id}/submit/", token)
        conn.close()
        results.append((attempt_id, result))

    tasks = [asyncio.create_task(taker(i, t)) for i, t in enumerate(tokens)]
    await asyncio.sleep(0)
    grading_started = None

    async def watch():
        nonlocal grading_started
        await finished.wait()
        grading_started = time.monotonic()

    watcher = asyncio.create_task(watch())
    aborted = False
    try:
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=args.max_seconds)
    except TimeoutError:
        aborted = True
    watcher.cancel()
    grading_seconds = time.monotonic() - grading_started if grading_started else None
    return {
        "lat": lat,
        "errors": errors,
        "acked": acked,
        "results": results,
        "grading_seconds": grading_seconds,
        "last_start_at": max(start_times) if start_times else None,
        "save_at": save_at,
        "run_seconds": time.monotonic() - t_zero,
        "aborted": aborted,
    }


def reconcile(acked, results, exam_id):
    from exams.models import Attempt, AttemptAnswer

    stored = {
        (a, q): (seq, ans)
        for a, q, seq, ans in AttemptAnswer.objects.filter(attempt__exam_id=exam_id).values_list(
            "attempt_id", "question_id", "seq", "answer"
        )
    }
    lost = 0
    for line in acked:
        attempt_id, qid, seq, answer = line.split(" ")
        attempt_id, qid, seq, answer = int(attempt_id), int(qid), int(seq), answer.split(",")
        have = stored.get((attempt_id, qid))
        if have is None or have[0] < seq or (have[0] == seq and have[1] != answer):
            lost += 1
    graded = Attempt.objects.filter(exam_id=exam_id, state="submitted", score__isnull=False).count()
    open_left = Attempt.objects.filter(exam_id=exam_id, state="open").count()
    return {
        "acknowledged_saves": len(acked),
        "lost": lost,
        "graded": graded,
        "open_left": open_left,
    }


def server_label(args) -> str:
    cores = os.cpu_count() or 1
    if args.server == "granian":
        workers = args.workers or 2 * cores
        return f"granian (bin/serve) {workers} workers x {args.threads} threads"
    workers = args.workers or 4 * cores
    return f"gunicorn {workers} workers x {args.threads} threads ({args.worker_class})"


def summarise(args, bare, day, rec):
    def ms(values, p):
        v = pct(values, p)
        return None if v is None else round(v * 1000, 1)

    out = {
        "db": args.db,
        "takers": args.takers,
        "answers_each": args.answers,
        "think_seconds": [args.think_min, args.think_max],
        "server": server_label(args),
        "bare_view_rps": round(bare, 1),
        "last_taker_started_at_s": round(day["last_start_at"] or 0, 2),
        "run_seconds": round(day["run_seconds"], 1),
        "aborted_at_max_seconds": day["aborted"],
        "grading_all_seconds": round(day["grading_seconds"] or 0, 2),
        "requests": {k: len(v) for k, v in day["lat"].items()},
        "errors": day["errors"],
        **rec,
    }
    for kind, values in day["lat"].items():
        out[f"{kind}_ms"] = {"p50": ms(values, 50), "p95": ms(values, 95), "max": ms(values, 100)}
    saves = day["lat"]["save"]
    # Diagnostic: saves sent during the start rush (until 5 s after the last start) and after.
    rush_end = (day["last_start_at"] or 0) + 5
    rush = [v for v, at in zip(saves, day["save_at"], strict=True) if at <= rush_end]
    steady = [v for v, at in zip(saves, day["save_at"], strict=True) if at > rush_end]
    for name, values in (("save_during_start_rush_ms", rush), ("save_after_start_rush_ms", steady)):
        out[name] = {"n": len(values), "p50": ms(values, 50), "p95": ms(values, 95)}
    out["save_rps_mean"] = round(len(saves) / day["run_seconds"], 1) if saves else 0
    return out


def main(argv=None):
    args = parse_args(argv)
    if not shutil.which(str(Path(PY).parent / args.server)):
        raise SystemExit(f"{args.server} is not installed in this venv")
    env = bench_env(args)
    print(f"[exam_load] fresh {args.db} database and migrations …", flush=True)
    fresh_database(args, env)
    django_setup(env)
    exam_id, tokens = seed(args)
    from django.db import connections

    connections.close_all()
    gc.freeze()  # what setup loaded stays out of the client's garbage collections
    print(f"[exam_load] {len(tokens)} takers ready; starting {args.server} …", flush=True)
    server = start_server(args, env)
    try:
        bare = asyncio.run(bare_throughput(args))
        print(f"[exam_load] bare view: {bare:.0f} req/s; exam day begins …", flush=True)
        day = asyncio.run(exam_day(args, exam_id, tokens))
    finally:
        stop_server(server)
    rec = reconcile(day["acked"], day["results"], exam_id)
    summary = summarise(args, bare, day, rec)
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(summary, ensure_ascii=False, indent=2))
    return 0 if not summary["errors"] and not rec["lost"] and rec["graded"] == args.takers else 1


if __name__ == "__main__":
    sys.exit(main())
