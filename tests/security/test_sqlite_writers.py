"""SQLite under many concurrent writers: no "database is locked" (short version of
bench/fault_sqlite_writers.py, which runs 64 writers for 60 s; figures in bench/README.md).

The script always uses its own fresh SQLite file, so this runs in the PostgreSQL pass too."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("mode", ["processes", "threads"])
def test_64_writers_never_see_database_is_locked(mode):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    out = subprocess.run(
        [
            sys.executable,
            "bench/fault_sqlite_writers.py",
            "--writers",
            "64",
            "--seconds",
            "8",
            "--mode",
            mode,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    summary = json.loads(out.stdout.strip().splitlines()[-1])
    assert summary["database_is_locked"] == 0, summary
    assert summary["errors"] == 0, summary
    assert summary["transactions"] > 0
    assert summary["rows_in_db"] == summary["transactions"]  # every committed write is there
