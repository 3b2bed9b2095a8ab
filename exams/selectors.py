"""Reads of the exams app: who may sit what, the taker's view of an attempt, results."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from exams.models import Attempt, AttemptAnswer, AttemptState, Exam, Question


def person_for(user):
    if not getattr(user, "is_authenticated", False):
        return None
    from people.roster.selectors import person_for_user

    return person_for_user(user)


_ANCESTORS_SQL = """
WITH RECURSIVE up(id, parent_id) AS (
    SELECT id, parent_id FROM people_unit WHERE id = %s
    UNION  -- not ALL: a cycle in the tree ends here instead of looping
    SELECT u.id, u.parent_id FROM people_unit u JOIN up ON u.id = up.parent_id
)
SELECT id FROM up
"""


def unit_ancestor_ids(unit) -> set[int]:
    """The unit and every unit above it (one recursive query)."""
    if unit is None or unit.pk is None:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(_ANCESTORS_SQL, [unit.pk])
        return {row[0] for row in cursor.fetchall()}


def exam_unit_ids(exam) -> set[int]:
    return set(exam.units.values_list("pk", flat=True))


def eligibility_error(exam: Exam, user, person=None) -> str | None:
    """Why ``user`` may not sit ``exam`` (Chinese), or None. Scope: units (with descendants)
    and person categories; an exam without either is open to every signed-in user."""
    unit_ids = exam_unit_ids(exam)
    if not unit_ids and not exam.categories:
        return None
    if person is None:
        person = person_for(user)
    if person is None or getattr(person, "status", "active") != "active":
        return "您不在本次考试的参考人员名单中。"
    if exam.categories and person.category not in exam.categories:
        return "您所属的人员类别不在本次考试的参考范围内。"
    if unit_ids and not unit_ids & unit_ancestor_ids(person.unit):
        return "您所在单位不在本次考试的参考范围内。"
    return None


def prerequisite_error(exam: Exam, person, now=None) -> str | None:
    if not exam.require_study_credit:
        return None
    if person is None:
        return "本考试须先完成年度学法学时，请先登记人员信息。"
    from learning.study.selectors import has_met_requirement

    year = timezone.localtime(now or timezone.now()).year
    if not has_met_requirement(person, year):
        return f"您尚未完成{year}年度学法学时，完成后才能参加本考试。"
    return None


@dataclass
class ExamForUser:
    exam: Exam
    attempts_used: int
    open_attempt: Attempt | None
    best: Attempt | None
    blocked: str | None  # why the user cannot start now (Chinese), or None

    @property
    def attempts_left(self) -> int:
        return max(self.exam.attempts_allowed - self.attempts_used, 0)


def exams_for_user(user, *, now=None) -> list[ExamForUser]:
    """Published exams the user may sit (open now, or upcoming), with their standing."""
    now = now or timezone.now()
    exams = list(
        Exam.objects.filter(is_published=True, closes_at__gt=now)
        .select_related("paper")
        .prefetch_related("units")
        .order_by("opens_at", "pk")
    )
    person = person_for(user)
    ancestors = unit_ancestor_ids(person.unit) if person is not None else set()
    attempts: dict[int, list[Attempt]] = {}
    for a in (
        Attempt.objects.filter(user=user, exam__in=exams).defer("paper").order_by("started_at")
    ):
        attempts.setdefault(a.exam_id, []).append(a)
    rows = []
    for exam in exams:
        unit_ids = {u.pk for u in exam.units.all()}
        if unit_ids or exam.categories:
            if person is None or person.status != "active":
                continue
            if exam.categories and person.category not in exam.categories:
                continue
            if unit_ids and not unit_ids & ancestors:
                continue
        mine = attempts.get(exam.pk, [])
        open_attempt = next((a for a in mine if a.state == AttemptState.OPEN), None)
        done = [a for a in mine if a.state == AttemptState.SUBMITTED]
        best = max(done, key=lambda a: (a.score or 0, a.pk), default=None)
        blocked = None
        if exam.opens_at > now:
            blocked = "考试尚未开始"
        elif open_attempt is None and len(mine) >= exam.attempts_allowed:
            blocked = "考试次数已用完"
        rows.append(ExamForUser(exam, len(mine), open_attempt, best, blocked))
    return rows


def attempt_for_user(user, attempt_id) -> Attempt:
    """The user's own attempt; anybody else's is "not found" (never 403, never a leak)."""
    try:
        return Attempt.objects.select_related("exam").get(pk=attempt_id, user=user)
    except (Attempt.DoesNotExist, ValueError, TypeError) as exc:
        raise Attempt.DoesNotExist("答卷不存在") from exc


def paper_public(attempt: Attempt) -> list[dict]:
    """The questions as the taker sees them: never the key, never the option mapping."""
    return [
        {
            "id": q["id"],
            "type": q["type"],
            "stem": q["stem"],
            "points": q["points"],
            "options": [{"key": o["key"], "text": o["text"]} for o in q["options"]],
        }
        for q in attempt.paper.get("questions", [])
    ]


def saved_answers(attempt: Attempt) -> dict[int, dict]:
    return {
        a["question_id"]: {"answer": a["answer"], "seq": a["seq"]}
        for a in AttemptAnswer.objects.filter(attempt=attempt).values(
            "question_id", "answer", "seq"
        )
    }


def attempt_review(attempt: Attempt) -> list[dict]:
    """After submission: each question with the taker's answer, and — if the exam shows
    answers — the key (in the taker's option letters) and the explanation."""
    if attempt.state != AttemptState.SUBMITTED:
        raise ValidationError("交卷前不能查看答案。")
    show = attempt.exam.show_answers
    entries = attempt.paper.get("questions", [])
    questions = Question.objects.in_bulk([q["id"] for q in entries])
    answers = {a.question_id: a for a in AttemptAnswer.objects.filter(attempt=attempt)}
    rows = []
    for entry in entries:
        q = questions.get(entry["id"])
        saved = answers.get(entry["id"])
        reverse = {orig: shown for shown, orig in (entry.get("map") or {}).items()}
        row = {
            "id": entry["id"],
            "type": entry["type"],
            "stem": entry["stem"],
            "points": entry["points"],
            "options": [{"key": o["key"], "text": o["text"]} for o in entry["options"]],
            "answer": saved.answer if saved else [],
            "correct": bool(saved and saved.correct),
            "earned": float(saved.points) if saved else 0.0,
        }
        if show and q is not None:
            key = (
                list(q.answer) if q.type == "fill" else sorted(reverse.get(k, k) for k in q.answer)
            )
            row.update(key=key, explanation=q.explanation)
        rows.append(row)
    return rows


def counted_attempts(exam: Exam):
    """One submitted attempt per user: the best, or the last, per the exam's scoring policy."""
    submitted = Attempt.objects.filter(exam=exam, state=AttemptState.SUBMITTED).defer("paper")
    chosen: dict[int, Attempt] = {}
    for a in submitted.order_by("finished_at", "pk"):
        current = chosen.get(a.user_id)
        if current is None or exam.scoring == Exam.Scoring.LAST:
            chosen[a.user_id] = a
        elif (a.score or 0) > (current.score or 0):
            chosen[a.user_id] = a
    return chosen


def exam_results(exam: Exam) -> list[Attempt]:
    """The counted result of every taker (best or last attempt), highest score first."""
    rows = list(counted_attempts(exam).values())
    rows.sort(key=lambda a: (-(a.score or 0), a.finished_at))
    return rows


def exam_stats(exam: Exam) -> dict:
    agg = Attempt.objects.filter(exam=exam).aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(state=AttemptState.OPEN)),
        submitted=Count("pk", filter=Q(state=AttemptState.SUBMITTED)),
    )
    return agg
