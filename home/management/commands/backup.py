"""python manage.py backup [--output DIR]: database + media into one .tar.gz (home.backup)."""

from django.core.management.base import BaseCommand

from home.backup import backup_create


class Command(BaseCommand):
    help = "备份数据库和上传的文件到一个 .tar.gz 文件（默认放在 var/backups/）。"

    def add_arguments(self, parser):
        parser.add_argument("--output", help="备份文件所在目录")

    def handle(self, *args, output=None, **options):
        result = backup_create(output_dir=output)
        self.stdout.write(
            f"已备份（{result.engine}，{result.media_files} 个媒体文件，"
            f"{result.size / 1024 / 1024:.1f} MB）：{result.path}"
        )
