"""Demo data of the campaigns app (load_demo_data): the year's twelve themes, events in several
towns, the editorial workflow and two departments' duty lists and reports. Idempotent."""

import datetime
import zoneinfo

from django.utils import timezone

from campaigns.demo_content import DUTY_LISTS, EVENTS, THEMES
from campaigns.duty.models import DutyList, DutyReport
from campaigns.editorial import editorial_setup
from campaigns.models import CampaignIndexPage, CampaignPage, CampaignYearPage, EventPage

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")


def _publish(page):
    page.save_revision().publish()
    return page


def _child(parent, model, slug, **fields):
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
        _publish(page)
    return page


def load_pages(year: int):
    from wagtail.models import Site

    # The home page is the default site's root (campaigns does not import the home app).
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return None
    home = site.root_page
    index = _child(
        home,
        CampaignIndexPage,
        "campaigns",
        title="普法宣传",
        intro="一月一主题：每月一个法治主题，活动、答题、资料都在这里。",
    )
    year_page = CampaignYearPage.objects.filter(year=year).first() or _child(
        index,
        CampaignYearPage,
        str(year),
        title=f"{year}年“一月一主题”普法宣传",
        year=year,
        intro="全年十二个月度主题，当月主题高亮显示。",
    )
    lessons = _demo_lessons()
    campaigns = {}
    for month, (slug, title, theme, summary, audiences, paragraphs) in THEMES.items():
        body = [("paragraph", f"<p>{text}</p>") for text in paragraphs]
        body.append(
            (
                "callout",
                {"title": "有法律问题？", "text": "<p>拨打公共法律服务热线 <b>12348</b>。</p>"},
            )
        )
        campaigns[month] = _child(
            year_page,
            CampaignPage,
            slug,
            title=title,
            theme=theme,
            month=month,
            summary=summary,
            audiences=audiences,
            body=body,
            lessons=[("lesson", lesson) for lesson in lessons],
        )
    towns = _units("town") or [None]
    departments = _units("department")
    now = timezone.now()
    for month, day, hour, hours, slug, title, kind, town_index, summary, people, report in EVENTS:
        start = datetime.datetime(year, month, day, hour, tzinfo=TZ)
        end = start + datetime.timedelta(hours=hours)
        past = end < now
        _child(
            campaigns[month],
            EventPage,
            slug,
            title=title,
            kind=kind,
            start=start,
            end=end,
            place=towns[town_index % len(towns)],
            address="镇文化广场" if kind != "lecture" else "镇政府三楼会议室",
            organiser=departments[0] if departments else None,
            summary=summary,
            participants=people if past else None,
            report=report if past else "",
        )
    return index


def _demo_lessons():
    """Up to two live lessons from the study demo, if the learning app has them."""
    from django.apps import apps

    try:
        model = apps.get_model("learning", "LessonPage")
    except LookupError:
        return []
    return list(model.objects.live().order_by("path")[:2])


def _units(kind):
    """Units of a kind; for departments the judicial bureau (区司法局) comes first."""
    from people.roster.models import Unit

    units = list(Unit.objects.filter(kind=kind).order_by("sort_order", "code"))
    if kind == "department":
        units.sort(key=lambda unit: "司法" not in unit.name)
    return units


def _duty_departments() -> list:
    """One department per demo duty list: the one whose name has the hint, else the next."""
    pool = _units("department")
    chosen = []
    for data in DUTY_LISTS:
        match = next((u for u in pool if data["department_hint"] in u.name), None)
        match = match or next(iter(pool), None)
        if match is None:
            break
        chosen.append(match)
        pool.remove(match)
    return chosen


def load_duty(year: int, stdout=None):
    from campaigns.duty.services import (
        criteria_ensure,
        duty_list_save,
        duty_report_save,
        duty_review_save,
    )
    from people.accounts.models import User

    criteria = criteria_ensure()
    departments = _duty_departments()
    admin = User.objects.filter(phone="13800000001").first()
    for department, data in zip(departments, DUTY_LISTS, strict=False):
        if not DutyList.objects.filter(department=department, year=year).exists():
            duty_list_save(
                department=department,
                year=year,
                user=admin,
                other_laws=data["other_laws"],
                audiences=data["audiences"],
                duties=data["duties"],
                activities=data["activities"],
            )
        if not DutyReport.objects.filter(department=department, year=year).exists():
            report = duty_report_save(
                department=department, year=year, user=admin, submit=True, **data["report"]
            )
            if data["review"]:
                comment, scores = data["review"]
                duty_review_save(
                    report=report,
                    reviewer=admin,
                    comment=comment,
                    scores={c.pk: s for c, s in zip(criteria, scores, strict=False)},
                )
    if stdout is not None and not departments:
        stdout.write("  普法宣传：还没有区级部门，跳过“谁执法谁普法”演示数据。")


QUIZ_TITLE = "{year}年宪法宣传周答题"


def load_quiz(year: int, stdout=None):
    """The Constitution-week quiz (宪法宣传周答题) on the exams bank's 宪法 questions."""
    from campaigns.quiz.models import CampaignQuiz
    from campaigns.quiz.services import quiz_create
    from exams.models import Question

    december = CampaignPage.objects.filter(year=year, month=12).first()
    title = QUIZ_TITLE.format(year=year)
    quiz = CampaignQuiz.objects.filter(title=title).first()
    if quiz is None:
        available = Question.objects.filter(is_active=True, tags__name="宪法").distinct().count()
        if available < 5:
            if stdout is not None:
                stdout.write("  普法宣传：题库中没有足够的宪法题目，跳过宪法宣传周答题。")
            return None
        quiz = quiz_create(
            title=title,
            tag_names=["宪法"],
            count=min(10, available),
            opens_at=datetime.datetime(year, 11, 1, tzinfo=TZ),
            closes_at=datetime.datetime(year, 12, 31, 23, 59, tzinfo=TZ),
            daily_limit=3,
            time_limit_minutes=15,
            intro="12月4日国家宪法日：学宪法、讲宪法，答题检验学习成果。",
        )
    if december is not None and december.quiz_id is None:
        december.quiz = quiz
        _publish(december)
    return quiz


def load(stdout=None, password=None):
    year = timezone.localdate().year
    index = load_pages(year)
    if index is not None:
        editorial_setup(section=index)
        load_quiz(year, stdout=stdout)
    load_duty(year, stdout=stdout)
    if stdout is not None:
        stdout.write(
            f"  普法宣传：{year}年12个月度主题、{len(EVENTS)}场活动、审核流程、部门履职报告。"
        )
