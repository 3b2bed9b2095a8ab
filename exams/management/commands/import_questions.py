"""python manage.py import_questions FILE [--format ...] [--dry-run]: all-or-nothing."""

from django.core.management.base import BaseCommand, CommandError

from exams.formats import FORMATS
from exams.services import questions_import


class Command(BaseCommand):
    help = (
        "导入题库文件（xlsx、csv、Moodle XML、GIFT、Aiken）。全部校验通过才写入；"
        "有任何错误则逐行报告并退出码非零、不写入。已有的相同试题不会重复导入。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="题库文件路径")
        parser.add_argument("--format", choices=FORMATS, help="文件格式；省略时根据文件判断")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入")

    def handle(self, *args, file, format=None, dry_run=False, **options):
        try:
            result = questions_import(source=file, fmt=format, dry_run=dry_run)
        except OSError as exc:
            raise CommandError(f"无法读取文件：{exc}") from exc
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"导入失败：共{len(result.errors)}处错误，未写入任何试题。")
        verb = "可导入" if dry_run else "已导入"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb}{result.created}道新试题；{result.existing}道题库中已存在（未重复导入）。"
                + ("（试运行，未写入）" if dry_run else "")
            )
        )
