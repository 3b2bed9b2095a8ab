"""campaigns.demo: twelve themes, events, workflow, duty reports; a second run changes nothing."""

import pytest
from django.apps import apps
from django.utils import timezone
from wagtail.models import Page, Workflow

from campaigns import demo
from campaigns.duty.models import DutyList, DutyReport
from campaigns.models import CampaignPage, EventPage

pytestmark = pytest.mark.django_db


def _fingerprint():
    labels = [m for m in apps.get_app_config("campaigns").get_models()] + [Page, Workflow]
    return {m._meta.label: sorted(m.objects.values_list("pk", flat=True)) for m in labels}


def test_demo_loads_the_year_and_is_idempotent(site_tree, units, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    from people.accounts.demo import load_accounts
    from people.roster.models import Unit

    Unit.objects.create(kind="town", code="T-D-02", name="白鹭镇", parent=units["district"])

    load_accounts("Demo-pass-2026")
    from exams.formats import QuestionData
    from exams.services import question_save

    for i in range(6):
        question_save(
            data=QuestionData(
                "truefalse", f"宪法题{i}", [("A", "正确"), ("B", "错误")], ["A"], tags=["宪法"]
            )
        )
    demo.load()
    year = timezone.localdate().year
    themes = dict(CampaignPage.objects.filter(year=year).values_list("month", "theme"))
    assert len(themes) == 12
    assert themes[12] == "宪法宣传周" and themes[5] == "民法典宣传月"
    assert {"乡村振兴", "未成年人保护", "反电信网络诈骗", "法律援助", "人民调解"} <= set(
        themes.values()
    )
    events = EventPage.objects.live()
    assert events.count() >= 6
    assert events.exclude(place=None).values("place").distinct().count() >= 2
    assert DutyList.objects.filter(year=year).count() == 2
    assert DutyReport.objects.filter(year=year, status="reviewed").count() == 1
    assert Workflow.objects.filter(name="普法宣传审核").exists()
    december = CampaignPage.objects.get(year=year, month=12)
    assert december.quiz is not None and december.quiz.exam.purpose == "quiz"

    first = _fingerprint()
    demo.load()
    assert _fingerprint() == first
