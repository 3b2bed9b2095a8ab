"""Benchmark: campaign and event pages uncached vs from the anonymous page cache (issue 7).

Builds the campaigns demo (twelve themes, events) in a temporary SQLite database, then times
anonymous GETs through Django's full middleware stack (test client, no network):

1. a campaign page and an event page rendered uncached (a new page-cache generation per
   request), with the SQL query count;
2. the same pages served from the page cache;
3. the home page (this month's theme and next events, one query when its cache is cold);
4. drawing one QR poster.

    .venv/bin/python bench/campaign_pages.py              # 200 requests per case, 5 runs
    .venv/bin/python bench/campaign_pages.py --requests 50 --runs 3

Nothing outside the temporary directory is touched (media goes there too).
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per case and run")
    parser.add_argument("--runs", type=int, default=5, help="runs per case (median reported)")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="mingbai-bench-campaigns-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(tmp / "media")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from campaigns import demo, page_cache
    from campaigns.models import CampaignPage, EventPage
    from campaigns.posters import PosterContent, render_poster
    from home.demo import load_site

    load_site()
    demo.load_pages(timezone.localdate().year)
    campaign = CampaignPage.objects.live().get(month=timezone.localdate().month)
    event = EventPage.objects.live().order_by("start").first()
    client = Client()
    client.get("/")  # warm the navigation and Wagtail's site root paths

    def timed(path: str, purge: bool) -> float:
        start = time.perf_counter()
        for _ in range(args.requests):
            if purge:
                page_cache.purge()
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        return (time.perf_counter() - start) / args.requests * 1000

    def queries(path: str) -> int:
        page_cache.purge()
        with CaptureQueriesContext(connection) as ctx:
            client.get(path)
        return len(ctx)

    print(f"{args.requests} requests × {args.runs} runs per case; median ms per request")
    for label, path in (("campaign", campaign.url), ("event", event.url), ("home", "/")):
        uncached = statistics.median(timed(path, True) for _ in range(args.runs))
        cached = statistics.median(timed(path, False) for _ in range(args.runs))
        print(
            f"{label:9s} {path:45s} uncached {uncached:6.2f} ms ({queries(path)} queries)"
            f"   cached {cached:6.2f} ms"
        )
    content = PosterContent(
        title=campaign.title, lines=("2026年12月 · 一月一主题", campaign.summary), url="https://x/"
    )
    render_poster(content)
    poster = statistics.median(
        _time(lambda: render_poster(content)) for _ in range(max(args.runs, 3))
    )
    print(f"poster    one PNG (1240×1754)                          {poster:6.0f} ms")


def _time(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


if __name__ == "__main__":
    main()
