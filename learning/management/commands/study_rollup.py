"""python manage.py study_rollup [--year YYYY]: rebuild the yearly study totals (学时汇总)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from learning.study.services import study_rollup


class Command(BaseCommand):
    help = "从每日学时记录重新计算年度学时汇总（与每晚的定时任务相同）；可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="年度，默认今年")

    def handle(self, *args, year=None, **options):
        year = year or timezone.localdate().year
        counts = study_rollup(year=year)
        self.stdout.write(
            f"{year} 年学时汇总：新增 {counts['created']}，更新 {counts['updated']}，"
            f"删除 {counts['deleted']}，未变 {counts['unchanged']}。"
        )
