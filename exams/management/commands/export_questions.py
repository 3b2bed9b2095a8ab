"""python manage.py export_questions FILE [--format ...] [--tag TAG]: export the bank."""

import os

from django.core.management.base import BaseCommand, CommandError

from exams.formats import FORMATS
from exams.selectors_bank import bank_export

EXT = {"xlsx": "xlsx", "csv": "csv", "moodle-xml": "xml", "gift": "gift", "aiken": "aiken"}


class Command(BaseCommand):
    help = "导出题库（xlsx、csv、Moodle XML、GIFT、Aiken）；格式无法表示的试题会列出并跳过。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="输出文件路径")
        parser.add_argument("--format", choices=FORMATS, help="文件格式；省略时根据扩展名判断")
        parser.add_argument("--tag", help="只导出带此标签的试题")

    def handle(self, *args, file, format=None, tag=None, **options):
        fmt = format or {v: k for k, v in EXT.items()}.get(
            os.path.splitext(file)[1].lstrip(".").lower()
        )
        if fmt is None:
            raise CommandError("无法从扩展名判断格式，请用 --format 指定")
        result, count = bank_export(fmt=fmt, tag=tag)
        with open(file, "wb") as fh:
            fh.write(result.data)
        for s in result.skipped:
            self.stderr.write(f"第{s.index}题未导出：{s.reason}")
        self.stdout.write(self.style.SUCCESS(f"已导出{count - len(result.skipped)}道试题到 {file}"))
