"""python manage.py rotate_id_keys: re-encrypt stored ID numbers with the current key."""

from django.core.management.base import BaseCommand

from people.roster.id_keys import id_keys_rotate


class Command(BaseCommand):
    help = (
        "用 MINGBAI_ID_KEYS 中的第一个（当前）密钥重新加密全部身份证号并重算摘要；"
        "完成后即可从 MINGBAI_ID_KEYS 中删除旧密钥。可重复运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, batch_size=1000, **options):
        done = id_keys_rotate(batch_size=batch_size)
        self.stdout.write(f"已重新加密 {done['rotated']} 条，{done['current']} 条已是当前密钥。")
