"""python manage.py restore ARCHIVE [--noinput]: replace database + media from a backup."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from home.backup import backup_manifest, backup_restore


class Command(BaseCommand):
    help = "从 backup 命令生成的备份文件恢复数据库和上传的文件（会覆盖当前数据）。"

    def add_arguments(self, parser):
        parser.add_argument("archive", help="备份文件 mingbai-backup-*.tar.gz")
        parser.add_argument("--noinput", action="store_true", help="不询问确认")

    def handle(self, *args, archive, noinput=False, **options):
        try:
            manifest = backup_manifest(archive)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        if not noinput:
            answer = input(
                f"将用 {manifest['created']} 的备份覆盖当前数据库和媒体文件，输入 yes 继续："
            )
            if answer.strip().lower() != "yes":
                raise CommandError("已取消")
        try:
            backup_restore(archive=archive)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(f"已恢复 {manifest['created']} 的备份（{manifest['engine']}）。")
