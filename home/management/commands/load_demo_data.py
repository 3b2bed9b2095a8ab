"""python manage.py load_demo_data [--password PW]: build the demo district; idempotent."""

import importlib
import secrets

from django.core.management.base import BaseCommand
from django.db import transaction

from home.demo import load_site
from people.accounts.demo import DEMO_ACCOUNTS, load_accounts

# Each app may add demo content with a `demo.load(stdout=..., password=...)` function;
# they run in layer order, lowest first.
APP_DEMO_MODULES = (
    "people.roster.demo",
    "learning.laws.demo",
    "learning.study.demo",
    "exams.demo",
    "campaigns.demo",
)


class Command(BaseCommand):
    help = "创建演示数据（站点、演示账号、演示辖区与内容）。可重复运行，第二次运行不改变任何数据。"

    def add_arguments(self, parser):
        parser.add_argument("--password", help="演示账号的密码；省略时随机生成并打印")

    def handle(self, *args, password=None, **options):
        generated = password is None
        if generated:
            password = secrets.token_urlsafe(9)
        with transaction.atomic():
            load_site()
            load_accounts(password)
        for dotted in APP_DEMO_MODULES:
            try:
                module = importlib.import_module(dotted)
            except ModuleNotFoundError as exc:
                if exc.name != dotted:
                    raise
                continue
            module.load(stdout=self.stdout, password=password)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。演示账号（手机号 / 角色）："))
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.phone}  {account.description}")
        if generated:
            self.stdout.write(f"密码（随机生成）：{password}")
        else:
            self.stdout.write("密码：--password 指定的值")
