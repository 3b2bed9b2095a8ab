"""Fault run: restart PostgreSQL in the middle of an exam load run (bench/exam_load.py).

Shows that no acknowledged answer is lost (exam_load reconciles every acknowledged save against
the database) and that the site recovers by itself (CONN_HEALTH_CHECKS: requests after the
restart succeed and every attempt is graded). Requests that arrive while PostgreSQL is down fail
and are counted as errors; the exam page's autosave retries them in a real browser.

Uses a private PostgreSQL cluster (initdb in a temporary directory, port 5441) so that the
restart disturbs nobody else, and Redis database 12.

    .venv/bin/python bench/fault_pg_restart.py --takers 200 --restart-after 20
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path("/usr/lib/postgresql")


def _pg_bin() -> Path:
    versions = sorted(PG_BIN.iterdir(), key=lambda p: int(p.name))
    return versions[-1] / "bin"


def _as_postgres(cmd: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["su", "postgres", "-c", " ".join(cmd)], check=True, capture_output=True, text=True
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--takers", type=int, default=200)
    parser.add_argument("--answers", type=int, default=30)
    parser.add_argument("--restart-after", type=float, default=20.0, help="seconds into exam day")
    parser.add_argument("--mode", choices=["fast", "immediate"], default="immediate")
    parser.add_argument("--port", type=int, default=5441)
    args = parser.parse_args()

    bin_dir = _pg_bin()
    data = Path(tempfile.mkdtemp(prefix="mingbai-pgfault-"))
    shutil.chown(data, "postgres", "postgres")
    log = data / "server.log"
    pgdata = data / "data"
    _as_postgres([str(bin_dir / "initdb"), "-D", str(pgdata), "-A", "trust", "-U", "postgres"])
    opts = f'"-p {args.port} -k {data} -c listen_addresses=127.0.0.1"'
    _as_postgres(
        [str(bin_dir / "pg_ctl"), "-D", str(pgdata), "-o", opts, "-l", str(log), "-w", "start"]
    )
    summary_file = data / "summary.json"
    load = subprocess.Popen(
        [
            sys.executable,
            "bench/exam_load.py",
            "--db",
            "postgres",
            "--pg-url",
            f"postgres://postgres@127.0.0.1:{args.port}/mingbai_bench",
            "--redis-url",
            "redis://127.0.0.1:6379/12",
            "--takers",
            str(args.takers),
            "--answers",
            str(args.answers),
            "--think-min",
            "0.5",
            "--think-max",
            "2",
            "--workers",
            "2",
            "--threads",
            "8",
            "--port",
            "8771",
            "--json",
            str(summary_file),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    restart = {}
    output: list[str] = []

    def restart_when_exam_day_begins():
        for line in load.stdout:
            output.append(line)
            if "exam day begins" in line and not restart:
                restart["pending"] = True
                threading.Timer(args.restart_after, do_restart).start()

    def do_restart():
        began = time.time()
        _as_postgres(
            [
                str(bin_dir / "pg_ctl"),
                "-D",
                str(pgdata),
                "-o",
                opts,
                "-m",
                args.mode,
                "-w",
                "restart",
            ]
        )
        restart["down_seconds"] = round(time.time() - began, 2)
        restart["at"] = time.strftime("%H:%M:%S")

    reader = threading.Thread(target=restart_when_exam_day_begins)
    reader.start()
    code = load.wait()
    reader.join()
    try:
        summary = json.loads(summary_file.read_text())
    except (OSError, ValueError):
        summary = {"output": "".join(output[-40:])}
    _as_postgres([str(bin_dir / "pg_ctl"), "-D", str(pgdata), "-m", "fast", "stop"])
    shutil.rmtree(data, ignore_errors=True)
    result = {
        "postgres_restart": restart,
        "exam_load_exit_code": code,
        "summary": summary,
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    lost = summary.get("lost", summary.get("lost_saves"))
    return 0 if restart.get("down_seconds") is not None and not lost else 1


if __name__ == "__main__":
    sys.exit(main())
