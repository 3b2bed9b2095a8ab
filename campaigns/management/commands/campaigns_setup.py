"""python manage.py campaigns_setup: the editorial workflow and review criteria; idempotent."""

from django.core.management.base import BaseCommand, CommandError

from campaigns.duty.services import criteria_ensure
from campaigns.editorial import WORKFLOW_NAME, editorial_setup
from campaigns.models import CampaignIndexPage


class Command(BaseCommand):
    help = "建立“普法宣传审核”流程、栏目权限（编辑可起草不能发布）和评议指标；可重复运行。"

    def handle(self, *args, **options):
        section = CampaignIndexPage.objects.first()
        if section is None:
            raise CommandError("还没有“普法宣传栏目”页面：请先在管理后台首页下新建一个。")
        editorial_setup(section=section)
        criteria = criteria_ensure()
        self.stdout.write(
            self.style.SUCCESS(
                f"已就绪：审核流程“{WORKFLOW_NAME}”指派到“{section.title}”，评议指标{len(criteria)}项。"
            )
        )
