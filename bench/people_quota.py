"""Benchmark: quotas and roster import at province scale (issue 3).

Builds a synthetic SQLite database in a temporary file — by default 30,000 villages,
300,000 groups and 1,000,000 people — with fast bulk inserts (sqlite3 executemany, not the
ORM), then times:

1. ``quota_report`` for the whole tree (the computation, and the full JSON output);
2. the quota dashboard's top level (district → towns), as the view computes it;
3. importing a roster file of 100,000 rows (half new people, half updates), with peak
   memory (tracemalloc peak of Python allocations, and the process's max RSS).

    .venv/bin/python bench/people_quota.py                     # full size, 3 runs each
    .venv/bin/python bench/people_quota.py --villages 3000 --people 100000 --import-rows 10000

Nothing outside the temporary directory is touched.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TODAY = date(2026, 6, 30)


def setup_django(db_path: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # as in production: no per-query log kept in memory
    from django.core.management import call_command

    call_command("migrate", "people", verbosity=0)


def id_for(i: int) -> str:
    from core.identity import make_test_id_number

    return make_test_id_number("511102", date(1950, 1, 1) + timedelta(days=i // 1000), i % 1000)


def generate(db_path: Path, *, towns: int, villages: int, groups: int, people: int) -> dict:
    """Fill the people tables with raw bulk inserts; returns counts."""
    from people.roster.crypto import protect_id

    started = time.perf_counter()
    con = sqlite3.connect(db_path)
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA foreign_keys=OFF")
    cols = "id, kind, code, name, parent_id, town_id, village_id, sort_order"
    units = [(1, "district", "510000", "合成省", None, None, None, 0)]
    next_id = 2
    town_ids = []
    for t in range(towns):
        units.append((next_id, "town", f"T{t:05d}", f"第{t + 1}镇", 1, next_id, None, t))
        town_ids.append(next_id)
        next_id += 1
    village_ids = []
    for v in range(villages):
        town = town_ids[v % towns]
        units.append((next_id, "village", f"V{v:06d}", f"第{v + 1}村", town, town, next_id, v))
        village_ids.append((next_id, town))
        next_id += 1
    group_rows = []
    for g in range(groups):
        village, town = village_ids[g % villages]
        group_rows.append(
            (next_id, "group", f"G{g:07d}", f"第{g + 1}组", village, town, village, g)
        )
        next_id += 1
    con.executemany(f"INSERT INTO people_unit ({cols}) VALUES (?,?,?,?,?,?,?,?)", units)  # noqa: S608
    con.executemany(f"INSERT INTO people_unit ({cols}) VALUES (?,?,?,?,?,?,?,?)", group_rows)  # noqa: S608
    con.commit()
    group_ids = [row[0] for row in group_rows]
    del units, group_rows

    pcols = (
        "id, name, gender, id_cipher, id_digest, id_last4, id_masked, mobile, unit_id, category, "
        "level, status, trained_on, backbone_on, removed_on, created_at, updated_at, user_id"
    )
    rcols = "person_id, level, source, occurred_on, reason, reference, created_at"
    now = "2026-01-01 00:00:00"
    batch, records = [], []
    for i in range(people):
        # 9 in 10 people sit in groups, 1 in 10 directly in a village.
        unit = group_ids[i % len(group_ids)] if i % 10 else village_ids[i % villages][0]
        n = i % 20
        level, trained_on, backbone_on = "", None, None
        if n < 4:
            level, trained_on, backbone_on = "backbone", "2024-05-01", "2024-05-01"
        elif n < 9:
            level, trained_on = "ordinary", "2025-03-01"
        removed_on = "2025-09-01" if n == 5 and i % 3 == 0 else None
        stored = protect_id(id_for(i))
        batch.append(
            (
                i + 1,
                f"人员{i}",
                "M",
                stored["id_cipher"],
                stored["id_digest"],
                stored["id_last4"],
                stored["id_masked"],
                "",
                unit,
                "public",
                level,
                "removed" if removed_on else "active",
                trained_on,
                backbone_on,
                removed_on,
                now,
                now,
                None,
            )
        )
        if level:
            records.append((i + 1, level, "decision", trained_on, "合成数据", "", now))
        if len(batch) >= 50_000:
            con.executemany(
                f"INSERT INTO people_person ({pcols}) VALUES ({','.join('?' * 18)})", batch
            )  # noqa: S608
            con.executemany(
                f"INSERT INTO people_trainingrecord ({rcols}) VALUES (?,?,?,?,?,?,?)", records
            )  # noqa: S608
            batch, records = [], []
    if batch:
        con.executemany(f"INSERT INTO people_person ({pcols}) VALUES ({','.join('?' * 18)})", batch)  # noqa: S608
        con.executemany(
            f"INSERT INTO people_trainingrecord ({rcols}) VALUES (?,?,?,?,?,?,?)", records
        )  # noqa: S608
    con.commit()
    con.execute("ANALYZE")
    con.close()
    return {"units": next_id - 1, "people": people, "seconds": time.perf_counter() - started}


def timed(fn, runs: int) -> tuple[float, object, float]:
    """Median wall-clock seconds, the last result, and median CPU seconds of this process
    (SQLite runs in-process, so CPU time includes the queries; it is what a quiet machine
    would show as wall time, whatever other processes load the machine)."""
    times, cpu, result = [], [], None
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(times), result, statistics.median(cpu)


def peak_rss_mib() -> float:
    """Peak resident memory of this process. /proc's VmHWM starts afresh at exec; getrusage's
    ru_maxrss would carry over the parent's peak on Linux, so it is only the fallback."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load() -> str:
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def roster_csv(rows: int, existing: int, units: list[str]) -> bytes:
    out = io.StringIO()
    out.write("姓名,性别,身份证号,手机号,单位编码,类别,法律明白人等级\n")
    for k in range(rows):
        # Half existing people (updated: new mobile), half new people.
        i = k * 2 if k % 2 == 0 and k * 2 < existing else existing + k
        level = "骨干" if k % 10 == 0 else ""
        out.write(f"导入{k},,{id_for(i)},139{k:08d},{units[k % len(units)]},群众,{level}\n")
    return out.getvalue().encode("utf-8")


def import_only(args) -> None:
    """Child process: import a synthetic roster into ``--db`` and print time and memory."""
    setup_django(Path(args.db))
    from people.roster.importing import roster_import_file

    units = [f"G{g:07d}" for g in range(0, args.groups, max(1, args.groups // 5000))]
    data = roster_csv(args.import_rows, args.people, units)
    if args.tracemalloc:
        tracemalloc.start()
    t0, c0 = time.perf_counter(), time.process_time()
    result = roster_import_file(data=data, filename="bench.csv", dry_run=False, today=TODAY)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = tracemalloc.get_traced_memory()[1] / 2**20 if args.tracemalloc else 0
    rss = peak_rss_mib()
    print(
        json.dumps(
            {
                "seconds": elapsed,
                "cpu": cpu,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "errors": len(result.errors),
                "max_rss_mib": rss,
                "tracemalloc_peak_mib": peak,
            }
        )
    )


def run_import(args, db_path: Path, tmp: Path, *, trace: bool) -> dict:
    copy = tmp / "import.sqlite3"
    shutil.copyfile(db_path, copy)
    cmd = [
        sys.executable,
        __file__,
        "--import-only",
        "--db",
        str(copy),
        "--import-rows",
        str(args.import_rows),
        "--people",
        str(args.people),
        "--groups",
        str(args.groups),
    ]
    if trace:
        cmd.append("--tracemalloc")
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    copy.unlink()
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--towns", type=int, default=1500)
    parser.add_argument("--villages", type=int, default=30_000)
    parser.add_argument("--groups", type=int, default=300_000)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", help="reuse a database made by an earlier --keep run")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    parser.add_argument("--skip-quota", action="store_true", help="only the import timing")
    parser.add_argument("--import-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--tracemalloc", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.import_only:
        import_only(args)
        return

    tmp = Path(tempfile.mkdtemp(prefix="mingbai-bench-"))
    db_path = Path(args.db) if args.db else tmp / "bench.sqlite3"
    try:
        setup_django(db_path)
        if not args.db:
            made = generate(
                db_path,
                towns=args.towns,
                villages=args.villages,
                groups=args.groups,
                people=args.people,
            )
            print(
                f"generated {made['units']} units, {made['people']} people "
                f"in {made['seconds']:.0f} s"
            )

        from django.core.management import call_command

        from people.accounts.models import User
        from people.quota.dashboard import dashboard_level
        from people.quota.selectors import quota_tree

        def report_compute():
            return quota_tree(year=2026, today=TODAY)

        def report_json():
            out = io.StringIO()
            call_command("quota_report", "--year", "2026", "--format", "json", stdout=out)
            return len(out.getvalue())

        admin = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
            phone="13800009999", password=None
        )

        def top_level():
            return dashboard_level(user=admin, unit=None, year=2026, today=TODAY)

        if not args.skip_quota:
            t_compute, tree, c_compute = timed(report_compute, args.runs)
            print(
                f"quota_report whole tree, figures for every unit: {t_compute:.3f} s wall, "
                f"{c_compute:.3f} s CPU ({tree.root.villages_total} villages, "
                f"{tree.root.groups_total} groups; {load()})"
            )
            t_top, level, c_top = timed(top_level, args.runs)
            print(
                f"dashboard top level (district -> {len(level.rows)} towns): {t_top:.3f} s wall, "
                f"{c_top:.3f} s CPU ({load()})"
            )
            t_json, size, c_json = timed(report_json, args.runs)
            print(
                f"quota_report whole tree, command writing all {size / 2**20:.0f} MiB of JSON: "
                f"{t_json:.3f} s wall, {c_json:.3f} s CPU ({load()})"
            )

        if args.import_rows:
            runs = [run_import(args, db_path, tmp, trace=False) for _ in range(args.runs)]
            first = runs[0]
            each = ", ".join(f"{r['seconds']:.1f}" for r in runs)
            print(
                f"import {args.import_rows} rows: {statistics.median(r['seconds'] for r in runs):.1f} s "
                f"wall (runs: {each}), {statistics.median(r['cpu'] for r in runs):.1f} s CPU, created "
                f"{first['created']}, updated {first['updated']}, unchanged {first['unchanged']}, "
                f"errors {first['errors']}; peak RSS of the importing process "
                f"{max(r['max_rss_mib'] for r in runs):.0f} MiB ({load()})"
            )
            traced = run_import(args, db_path, tmp, trace=True)
            print(
                f"import, tracemalloc peak of Python allocations: {traced['tracemalloc_peak_mib']:.0f} MiB"
            )
    finally:
        if args.keep:
            print(f"database kept: {db_path}")
        elif not args.db:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
