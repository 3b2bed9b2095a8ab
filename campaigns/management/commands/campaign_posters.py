"""python manage.py campaign_posters [--page ID ...]: redraw QR posters of live pages."""

from django.core.management.base import BaseCommand, CommandError

from campaigns.models import CampaignPage, EventPage
from campaigns.posters import PosterFontMissing
from campaigns.services import poster_generate


class Command(BaseCommand):
    help = "重新生成宣传页面和活动页面的二维码海报（默认全部已发布页面）；可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("--page", type=int, action="append", help="页面 ID，可重复")

    def handle(self, *args, page=None, **options):
        ids = page or [
            *CampaignPage.objects.live().values_list("pk", flat=True),
            *EventPage.objects.live().values_list("pk", flat=True),
        ]
        done = 0
        for page_id in ids:
            try:
                path = poster_generate(page_id=page_id)
            except PosterFontMissing as exc:
                raise CommandError(str(exc)) from exc
            if path is None:
                self.stderr.write(f"页面 {page_id} 不是已发布的宣传或活动页面，已跳过。")
            else:
                done += 1
        self.stdout.write(self.style.SUCCESS(f"已生成海报 {done} 张。"))
