"""Fixtures of the exams tests: a small unit tree, persons, a question bank and an exam."""

from datetime import timedelta
from itertools import count

import pytest
from django.utils import timezone

from exams.formats import QuestionData
from exams.models import Exam, Paper, PaperRule, QuestionTag
from exams.services import question_save

_seq = count(1)


@pytest.fixture
def units(db):
    from people.roster.models import Unit

    district = Unit.objects.create(kind="district", code="D", name="梧桐桥区")
    town = Unit.objects.create(kind="town", code="T1", name="一号镇", parent=district)
    village = Unit.objects.create(kind="village", code="V1", name="一号村", parent=town)
    other_town = Unit.objects.create(kind="town", code="T2", name="二号镇", parent=district)
    other_village = Unit.objects.create(kind="village", code="V2", name="二号村", parent=other_town)
    dept = Unit.objects.create(kind="department", code="DEP1", name="区司法局", parent=district)
    return {
        "district": district,
        "town": town,
        "village": village,
        "other_town": other_town,
        "other_village": other_village,
        "dept": dept,
    }


@pytest.fixture
def make_person(db, make_user):
    from core.identity import make_test_id_number
    from people.roster.crypto import protect_id
    from people.roster.models import Person

    def make(unit, *, name="张三", category="cadre", phone=None, user=True):
        n = next(_seq)
        account = make_user(phone=phone or f"139{n:08d}", display_name=name) if user else None
        return Person.objects.create(
            user=account,
            name=name,
            unit=unit,
            category=category,
            **protect_id(make_test_id_number(seq=n)),
        )

    return make


def make_bank(n_single=20, n_multiple=6, n_tf=8, tag="民法典"):
    questions = []
    for i in range(n_single):
        questions.append(
            question_save(
                data=QuestionData(
                    "single",
                    f"单选题{i}：下列哪项正确？",
                    [("A", f"正确{i}"), ("B", f"错误{i}"), ("C", f"无关{i}"), ("D", f"其他{i}")],
                    ["A"],
                    explanation=f"解析单选{i}",
                    tags=[tag],
                )
            )
        )
    for i in range(n_multiple):
        questions.append(
            question_save(
                data=QuestionData(
                    "multiple",
                    f"多选题{i}：下列哪些正确？",
                    [("A", f"对{i}"), ("B", f"也对{i}"), ("C", f"错{i}"), ("D", f"也错{i}")],
                    ["A", "B"],
                    explanation=f"解析多选{i}",
                    tags=[tag],
                )
            )
        )
    for i in range(n_tf):
        questions.append(
            question_save(
                data=QuestionData(
                    "truefalse",
                    f"判断题{i}：这句话是对的。",
                    [("A", "正确"), ("B", "错误")],
                    ["A"],
                    explanation=f"解析判断{i}",
                    tags=[tag],
                )
            )
        )
    return questions


@pytest.fixture
def bank(db):
    return make_bank()


def make_paper(singles=5, multiples=2, tfs=3, points=10, tag="民法典"):
    paper = Paper.objects.create(title="测试试卷", mode=Paper.Mode.RANDOM)
    t = QuestionTag.objects.get(name=tag)
    for i, (qtype, n) in enumerate(
        (("single", singles), ("multiple", multiples), ("truefalse", tfs))
    ):
        if n:
            PaperRule.objects.create(
                paper=paper, type=qtype, tag=t, count=n, points=points, sort_order=i
            )
    return paper


@pytest.fixture
def paper(bank):
    return make_paper()


@pytest.fixture
def make_exam(paper):
    def make(**kw):
        now = timezone.now()
        fields = dict(
            title="法律明白人考核",
            purpose="assessment",
            paper=paper,
            opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(days=1),
            time_limit_minutes=30,
            attempts_allowed=3,
        )
        units = kw.pop("units", None)
        fields.update(kw)
        exam = Exam.objects.create(**fields)
        if units:
            exam.units.set(units)
        return exam

    return make


@pytest.fixture
def exam(make_exam):
    return make_exam()


def key_answers(attempt, correct=True):
    """{question_id: [displayed keys]} answering every question (right or wrong)."""
    from exams.models import Question

    out = {}
    for entry in attempt.paper["questions"]:
        q = Question.objects.get(pk=entry["id"])
        reverse = {orig: shown for shown, orig in entry["map"].items()}
        key = sorted(reverse[k] for k in q.answer)
        if not correct:
            wrong = [o["key"] for o in entry["options"] if o["key"] not in key]
            key = wrong[:1]
        out[entry["id"]] = key
    return out


@pytest.fixture
def laws(db):
    """A tiny law library: 民法典 articles 1–1260 sampled, 宪法 articles 1–143 sampled."""
    from learning.laws.models import Article, Law
    from learning.laws.selectors import law_names_changed

    civil = Law.objects.create(title="中华人民共和国民法典", short_title="民法典", slug="minfadian")
    constitution = Law.objects.create(title="中华人民共和国宪法", short_title="宪法", slug="xianfa")
    for law, numbers in ((civil, (17, 1041, 1047, 1077, 1127)), (constitution, (1, 2, 33, 34))):
        for n in numbers:
            Article.objects.create(
                law=law,
                number=n,
                label=f"第{n}条",
                text=f"{law.short_title}第{n}条的条文",
                text_hash=str(n),
            )
    law_names_changed()
    yield {"civil": civil, "constitution": constitution}
    law_names_changed()
