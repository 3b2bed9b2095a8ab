"""Demo exams: ≥ 60 questions citing real articles; three exams; idempotent."""

import pytest

from exams.demo_bank import QUESTIONS
from exams.formats import QuestionData, validate_question

pytestmark = pytest.mark.django_db


def test_demo_bank_is_valid_and_cites_every_question():
    assert len(QUESTIONS) >= 60
    fingerprints = set()
    for row in QUESTIONS:
        q = QuestionData(*row[:5], difficulty=row[5], tags=list(row[6]), citations=list(row[7]))
        assert not validate_question(q), q.stem
        assert q.citations and all(c.startswith(("宪法第", "民法典第")) for c in q.citations)
        fingerprints.add(q.fingerprint())
    assert len(fingerprints) == len(QUESTIONS)


def test_demo_load_links_articles_and_is_idempotent(make_user):
    from exams import demo
    from exams.models import Exam, Paper, PaperRule, Question
    from exams.services import attempt_start
    from exams.services.bank import paper_check
    from learning.laws import demo as demo_laws

    demo_laws.load()
    demo.load()
    assert Question.objects.count() == len(QUESTIONS)
    for q in Question.objects.prefetch_related("articles__law"):
        assert len(q.articles.all()) == len(q.citations), q.stem
    exams = {e.purpose: e for e in Exam.objects.all()}
    assert set(exams) == {"practice", "assessment", "annual"}
    for paper in Paper.objects.all():
        assert paper_check(paper) == []
    counts = (
        Question.objects.count(),
        Exam.objects.count(),
        Paper.objects.count(),
        PaperRule.objects.count(),
    )
    demo.load()
    assert counts == (
        Question.objects.count(),
        Exam.objects.count(),
        Paper.objects.count(),
        PaperRule.objects.count(),
    )
    # Anyone signed in can practise; the annual paper draws 50 questions worth 100 points.
    learner = make_user(phone="13900000123")
    attempt = attempt_start(exam=exams["practice"], user=learner)
    assert len(attempt.paper["questions"]) == 10
    assert sum(float(q["points"]) for q in attempt.paper["questions"]) == 100
    annual_rules = exams["annual"].paper.rules.all()
    assert (
        sum(r.count for r in annual_rules) == 50
        and sum(r.count * r.points for r in annual_rules) == 100
    )
