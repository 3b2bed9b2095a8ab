"""python manage.py quota_report [--unit CODE] [--year YYYY] --format json|csv"""

import csv
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from people.quota.selectors import quota_rows
from people.roster.models import Unit

COLUMNS = (
    "code",
    "name",
    "kind",
    "parent_code",
    "trained",
    "backbone",
    "backbone_target",
    "groups_total",
    "groups_covered",
    "shortfall",
    "met",
)


class Command(BaseCommand):
    help = "法律明白人名额统计：按单位逐级列出已培养人数、骨干人数、目标与缺口（JSON 或 CSV）。"

    def add_arguments(self, parser):
        parser.add_argument("--unit", help="单位编码（默认：全区）")
        parser.add_argument("--year", type=int, help="年度（默认：今年）")
        parser.add_argument("--format", choices=("json", "csv"), default="json")

    def handle(self, *args, unit=None, year=None, format="json", **options):
        root = None
        if unit:
            root = Unit.objects.filter(code=unit).first()
            if root is None or root.kind not in ("district", "town", "village", "group"):
                raise CommandError(f"找不到单位编码：{unit}")
        year = year or timezone.localdate().year
        rows = quota_rows(year=year, root=root)
        if format == "json":
            # Streamed: one object per line inside a JSON list.
            write = self.stdout._out.write
            write("[")
            for index, row in enumerate(rows):
                write(("\n" if index == 0 else ",\n") + json.dumps(row, ensure_ascii=False))
            write("\n]\n")
            return
        writer = csv.DictWriter(self.stdout, fieldnames=COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "met": "true" if row["met"] else "false"})
