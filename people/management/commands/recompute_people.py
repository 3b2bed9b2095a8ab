"""python manage.py recompute_people: rebuild derived person fields from records and history."""

from django.core.management.base import BaseCommand

from people.roster.services import people_recompute_all


class Command(BaseCommand):
    help = "根据培训认定记录与状态记录，重新计算每个人的等级、状态和认定日期（名额统计所用）。"

    def handle(self, *args, **options):
        changed = people_recompute_all()
        self.stdout.write(f"已重新计算，{changed} 人的数据有变化。")
