"""python manage.py import_roster FILE [--dry-run]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from people.roster.importing import roster_import_file


class Command(BaseCommand):
    help = (
        "导入人员名单（.xlsx 或 .csv）。先检查全部行：有任何错误行时逐行列出“第N行: 原因”并不写入；"
        "否则按身份证号新增或更新人员。--dry-run 只检查并报告数量。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")

    def handle(self, *args, file, dry_run=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件不存在：{file}")
        result = roster_import_file(data=path.read_bytes(), filename=path.name, dry_run=dry_run)
        if result.errors:
            for error in result.errors:
                self.stderr.write(error)
            raise CommandError(f"共 {len(result.errors)} 处错误，未写入任何数据。")
        prefix = "预检通过（未写入）" if dry_run else "导入完成"
        self.stdout.write(
            f"{prefix}：新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}"
        )
        self.stdout.write(
            f"created={result.created} updated={result.updated} unchanged={result.unchanged}"
        )
