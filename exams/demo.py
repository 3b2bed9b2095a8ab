"""Demo data of the exams app: a bank on the Constitution and the Civil Code (demo_bank.py),
an open practice exam for every learner, a 法律明白人 assessment for the demo village cadre
(13800000004) and the annual civil servants' exam. Idempotent: a second run writes nothing."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from exams.demo_bank import QUESTIONS
from exams.formats import QuestionData
from exams.models import Exam, Paper, PaperRule, Question, QuestionTag
from exams.services.bank import citation_resolve, question_save

CADRE_PHONE = "13800000004"

PAPERS = {
    "宪法和民法典练习卷": [
        ("single", None, 5, "10"),
        ("multiple", None, 2, "10"),
        ("truefalse", None, 3, "10"),
    ],
    "法律明白人考核卷": [
        ("single", "民法典", 6, "5"),
        ("single", "宪法", 4, "5"),
        ("multiple", None, 5, "5"),
        ("truefalse", None, 5, "5"),
    ],
    "国家工作人员年度学法考试卷": [
        ("single", None, 25, "2"),
        ("multiple", None, 10, "2"),
        ("truefalse", None, 15, "2"),
    ],
}


def _year_window():
    tz = timezone.get_current_timezone()
    year = timezone.localdate().year
    return datetime(year, 1, 1, tzinfo=tz), datetime(year, 12, 31, 23, 59, tzinfo=tz)


def load_bank() -> tuple[int, int]:
    created = existing = 0
    for qtype, stem, options, answer, explanation, difficulty, tags, citations in QUESTIONS:
        data = QuestionData(
            qtype,
            stem,
            list(options),
            list(answer),
            explanation,
            difficulty,
            list(tags),
            list(citations),
        )
        if Question.objects.filter(fingerprint=data.fingerprint()).exists():
            existing += 1
            continue
        articles = []
        for text in citations:
            article, error = citation_resolve(text)
            if error:
                raise ValueError(f"演示题库：{error}")
            articles.append(article)
        question_save(data=data, articles=articles)
        created += 1
    return created, existing


def _paper(title: str) -> Paper:
    paper = Paper.objects.filter(title=title).first()
    if paper is None:
        paper = Paper.objects.create(title=title, mode=Paper.Mode.RANDOM)
        for i, (qtype, tag, count, points) in enumerate(PAPERS[title]):
            PaperRule.objects.create(
                paper=paper,
                type=qtype,
                tag=QuestionTag.objects.get(name=tag) if tag else None,
                count=count,
                points=Decimal(points),
                sort_order=i,
            )
    return paper


def _exam(title: str, **fields) -> tuple[Exam, bool]:
    exam = Exam.objects.filter(title=title).first()
    if exam is not None:
        return exam, False
    units = fields.pop("units", [])
    exam = Exam.objects.create(title=title, **fields)
    if units:
        exam.units.set(units)
    return exam, True


def load(stdout=None, password=None) -> None:
    if citation_resolve("宪法第1条")[0] is None:
        if stdout:
            stdout.write("考试：法律库中没有宪法和民法典，跳过演示题库（先导入法律）。")
        return
    from people.roster.selectors import person_for_user

    with transaction.atomic():
        created, existing = load_bank()
        opens, closes = _year_window()
        year = opens.year
        _exam(
            f"{year}年宪法和民法典练习",
            purpose=Exam.Purpose.PRACTICE,
            description="随时练习，不计成绩；交卷后可查看答案与解析。",
            paper=_paper("宪法和民法典练习卷"),
            opens_at=opens,
            closes_at=closes,
            time_limit_minutes=20,
            attempts_allowed=99,
            scoring=Exam.Scoring.BEST,
        )
        from people.accounts.models import User

        cadre = User.objects.filter(phone=CADRE_PHONE).first()
        person = person_for_user(cadre) if cadre else None
        _exam(
            f"{year}年法律明白人考核",
            purpose=Exam.Purpose.ASSESSMENT,
            description="通过考核（60分及以上）即认定为法律明白人，并发放证书。",
            paper=_paper("法律明白人考核卷"),
            units=[person.unit] if person else [],
            categories=["cadre"] if person else [],
            opens_at=opens,
            closes_at=closes,
            time_limit_minutes=60,
            attempts_allowed=3,
        )
        _exam(
            f"{year}年度国家工作人员学法考试",
            purpose=Exam.Purpose.ANNUAL,
            description="50题（单选25、多选10、判断15），每题2分，90分钟，60分合格，取最高分。",
            paper=_paper("国家工作人员年度学法考试卷"),
            categories=["civil_servant"],
            opens_at=opens,
            closes_at=closes,
            time_limit_minutes=90,
            attempts_allowed=3,
        )
    if stdout:
        stdout.write(
            f"考试：题库 {created + existing} 题（新增 {created} 题），练习、法律明白人考核、年度考试各一场。"
        )
