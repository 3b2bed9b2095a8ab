"""python manage.py check_citations: list every citation of an article that does not exist."""

from django.core.management.base import BaseCommand, CommandError

from learning.laws.checks import iter_all_broken


class Command(BaseCommand):
    help = (
        "列出所有页面内容（富文本、StreamField）和各应用登记的文本字段中引用了不存在法条的地方。"
        "加 --strict 时，发现问题则以非零状态退出（用于持续集成）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--strict", action="store_true", help="发现问题时以非零状态退出")

    def handle(self, *args, strict=False, **options):
        count = 0
        for broken in iter_all_broken():
            count += 1
            self.stdout.write(broken.describe())
        if count == 0:
            self.stdout.write(self.style.SUCCESS("没有发现引用不存在法条的地方。"))
            return
        summary = f"共 {count} 处引用了不存在的法条。"
        if strict:
            raise CommandError(summary)
        self.stdout.write(self.style.WARNING(summary))
