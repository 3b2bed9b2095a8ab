"""Regrade (重新判分): after a question's key changes, list whose result would change (dry
run), then apply it to every submitted attempt with an audit record and a Wagtail log entry."""

from __future__ import annotations

from django.db import transaction

from exams.models import Attempt, AttemptAnswer, AttemptState, Question, Regrade
from exams.services.grading import grade, percent_of


def _regraded(attempt: Attempt, keys: dict) -> tuple:
    answers = {a.question_id: a.answer for a in attempt.answers.all()}
    score, max_score, per_question = grade(attempt.paper, keys, answers)
    percent = percent_of(score, max_score)
    passed = percent >= attempt.exam.pass_mark
    band = attempt.exam.band_for(percent) if passed else "不合格"
    return score, percent, passed, band, per_question


def regrade_preview(*, question: Question, new_answer: list[str]) -> list[dict]:
    """Submitted attempts whose score or pass status would change with ``new_answer``."""
    changes = []
    attempts = (
        Attempt.objects.filter(state=AttemptState.SUBMITTED, answers__question=question)
        .select_related("exam", "user", "person")
        .prefetch_related("answers")
        .distinct()
    )
    for attempt in attempts:
        qids = [e["id"] for e in attempt.paper["questions"]]
        keys = {
            q["pk"]: (q["type"], new_answer if q["pk"] == question.pk else q["answer"])
            for q in Question.objects.filter(pk__in=qids).values("pk", "type", "answer")
        }
        score, percent, passed, band, _ = _regraded(attempt, keys)
        if score != attempt.score or passed != attempt.passed:
            changes.append(
                {
                    "attempt": attempt.pk,
                    "exam": attempt.exam.title,
                    "name": attempt.person.name if attempt.person_id else str(attempt.user),
                    "old_score": str(attempt.score),
                    "new_score": str(score),
                    "old_passed": bool(attempt.passed),
                    "new_passed": passed,
                    "new_band": band,
                    "new_percent": str(percent),
                }
            )
    return changes


def regrade_apply(*, question: Question, new_answer: list[str], user=None) -> Regrade:
    """Change the key and regrade every affected attempt; audit record + Wagtail log entry.

    A regrade never removes a training record already created (that is an admin decision)."""
    from wagtail.log_actions import log

    from exams.services.bank import question_save

    with transaction.atomic():
        changes = regrade_preview(question=question, new_answer=new_answer)
        old_answer = list(question.answer)
        data = question.to_data()
        data.answer = list(new_answer)
        question_save(data=data, articles=list(question.articles.all()), question=question)
        for change in changes:
            attempt = Attempt.objects.select_related("exam").get(pk=change["attempt"])
            qids = [e["id"] for e in attempt.paper["questions"]]
            keys = {
                q["pk"]: (q["type"], q["answer"])
                for q in Question.objects.filter(pk__in=qids).values("pk", "type", "answer")
            }
            score, percent, passed, band, per_question = _regraded(attempt, keys)
            attempt.score, attempt.percent, attempt.passed, attempt.band = (
                score,
                percent,
                passed,
                band,
            )
            attempt.save(update_fields=["score", "percent", "passed", "band"])
            for qid, (correct, points) in per_question.items():
                AttemptAnswer.objects.filter(attempt=attempt, question_id=qid).update(
                    correct=correct, points=points
                )
            if passed:
                from exams.services.submitting import _certify

                _certify(attempt)
        record = Regrade.objects.create(
            question=question,
            old_answer=old_answer,
            new_answer=list(new_answer),
            changes=changes,
            applied_by=user,
        )
        log(
            instance=question,
            action="exams.regrade",
            user=user,
            data={
                "old_answer": old_answer,
                "new_answer": list(new_answer),
                "changed": len(changes),
            },
        )
    return record
