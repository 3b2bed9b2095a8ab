"""Submitting an attempt (交卷): grade on the server, close it, certify, audit.

At the deadline every taker submits at once. The work that needs no lock (reading the key and
the answers, grading, preparing the statements and the audit entry) is done first; the
transaction then only executes prepared statements, so on SQLite, where writers queue for
one lock, each submission holds it for well under a millisecond:

1. close the attempt (``UPDATE … WHERE state = 'open'``): the first write, which also takes
   the attempt's row lock on PostgreSQL, so a save arriving now waits and finds it closed;
2. compare the answers' fingerprint (count, sum of seq — seq only grows) with the graded one;
   if a save landed in between, grade again here;
3. record each answer's outcome, the training record for a passed 法律明白人 assessment, and
   the audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from core.audit import audit_entry, audit_save
from exams.models import Attempt, AttemptAnswer, AttemptState, Exam, ExamPurpose, Question
from exams.services.grading import grade, percent_of

CERTIFIED_PURPOSES = (ExamPurpose.ASSESSMENT, ExamPurpose.ANNUAL)

RESULT_FIELDS = (
    "state",
    "finished_at",
    "auto_submitted",
    "score",
    "max_score",
    "percent",
    "passed",
    "band",
)


def grace(exam: Exam) -> timedelta:
    return timedelta(seconds=exam.grace_seconds)


# --- grading (reads only) ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Grading:
    score: Decimal
    max_score: Decimal
    per_question: dict[int, tuple[bool, Decimal]]
    fingerprint: tuple[int, int]


_FINGERPRINT_SQL = (
    "SELECT COUNT(*), COALESCE(SUM(seq), 0) FROM exams_attemptanswer WHERE attempt_id = %s"
)


def _answers_fingerprint(attempt_pk: int) -> tuple[int, int]:
    """(number of saved answers, sum of their seq): any save since changes it."""
    with connection.cursor() as cursor:
        cursor.execute(_FINGERPRINT_SQL, [attempt_pk])
        count, total = cursor.fetchone()
    return int(count), int(total)


def _grade_saved(attempt: Attempt) -> _Grading:
    """Grade the answers saved now (reads the key and the answers)."""
    entries = attempt.paper.get("questions", [])
    keys = {
        pk: (qtype, answer)
        for pk, qtype, answer in Question.objects.filter(
            pk__in=[e["id"] for e in entries]
        ).values_list("pk", "type", "answer")
    }
    rows = list(
        AttemptAnswer.objects.filter(attempt_id=attempt.pk).values_list(
            "question_id", "answer", "seq"
        )
    )
    score, max_score, per_question = grade(attempt.paper, keys, {q: a for q, a, _ in rows})
    return _Grading(score, max_score, per_question, (len(rows), sum(seq for *_, seq in rows)))


def _score_fields(attempt: Attempt, graded: _Grading) -> dict:
    percent = percent_of(graded.score, graded.max_score)
    passed = percent >= attempt.exam.pass_mark
    return {
        "score": graded.score,
        "max_score": graded.max_score,
        "percent": percent,
        "passed": passed,
        "band": attempt.exam.band_for(percent) if passed else "不合格",
    }


# --- prepared statements -----------------------------------------------------------------------


def _attempt_update(attempt_pk: int, fields: dict, *, only_open: bool) -> tuple[str, list]:
    """``UPDATE exams_attempt`` of ``fields`` (values prepared by each field, as the ORM does)."""
    meta = Attempt._meta
    columns, params = [], []
    for name, value in fields.items():
        field = meta.get_field(name)
        columns.append(f"{connection.ops.quote_name(field.column)} = %s")
        params.append(field.get_db_prep_save(value, connection))
    sql = f"UPDATE exams_attempt SET {', '.join(columns)} WHERE id = %s"  # noqa: S608
    params.append(attempt_pk)
    if only_open:
        sql += " AND state = %s"
        params.append(AttemptState.OPEN.value)
    return sql, params


def _outcomes_update(attempt_pk: int, graded: _Grading) -> tuple[str, list]:
    """Each saved answer's outcome (right or wrong, points) in one UPDATE."""
    by_points: dict[Decimal, list[int]] = {}
    for qid, (correct, points) in graded.per_question.items():
        if correct:
            by_points.setdefault(points, []).append(qid)
    right = [qid for qids in by_points.values() for qid in qids]
    if not right:
        return "UPDATE exams_attemptanswer SET correct = %s, points = 0 WHERE attempt_id = %s", [
            False,
            attempt_pk,
        ]
    points_field = AttemptAnswer._meta.get_field("points")
    cases, params = [], [*right]
    for points, qids in by_points.items():
        cases.append(f"WHEN question_id IN ({', '.join(['%s'] * len(qids))}) THEN %s")
        params += [*qids, points_field.get_db_prep_save(points, connection)]
    params.append(attempt_pk)
    marks = ", ".join(["%s"] * len(right))
    # Only placeholders are formatted in; the ids and points are parameters.
    template = (
        "UPDATE exams_attemptanswer SET correct = (question_id IN ({marks})), "
        "points = CASE {cases} ELSE 0 END WHERE attempt_id = %s"
    )
    sql = template.format(marks=marks, cases=" ".join(cases))
    return sql, params


# --- certification -----------------------------------------------------------------------------


def _certify(attempt: Attempt) -> None:
    """Passing a 法律明白人 assessment trains the person (same transaction: quotas move now)."""
    if not attempt.passed:
        return
    if attempt.exam.purpose == ExamPurpose.ASSESSMENT and attempt.person_id:
        from people.roster.services import training_record_create

        training_record_create(
            person=attempt.person,
            level="ordinary",
            source="exam",
            occurred_on=timezone.localdate(attempt.finished_at),
            reason=f"通过考核：{attempt.exam.title}（{attempt.band}）"[:200],
            reference=f"attempt:{attempt.pk}",
        )
    if attempt.exam.purpose in CERTIFIED_PURPOSES:
        from exams.tasks import certificate_render

        pk = attempt.pk
        transaction.on_commit(lambda: certificate_render.delay(pk))


# --- submit ------------------------------------------------------------------------------------


def attempt_submit(*, attempt: Attempt, user=None, now=None, auto: bool = False) -> dict:
    """Grade and close the attempt; a second call returns the same result.

    Raises ``Attempt.DoesNotExist`` if ``user`` is given and the attempt is not theirs."""
    now = now or timezone.now()
    mine = {"user": user} if user is not None else {}
    current = Attempt.objects.select_related("exam").get(pk=attempt.pk, **mine)
    if current.state == AttemptState.OPEN:
        if user is not None:
            current.user = user
        if _close(current, now=now, auto=auto, user=user):
            _copy_result(current, attempt)
            return current.result()
        current = Attempt.objects.get(pk=current.pk)  # submitted meanwhile by another request
    _copy_result(current, attempt)
    return current.result()


def _close(current: Attempt, *, now, auto: bool, user) -> bool:
    """Close and grade an open attempt; False if another request closed it first."""
    graded = _grade_saved(current)
    auto_submitted = auto or now > current.deadline + grace(current.exam)
    closing = {
        "state": AttemptState.SUBMITTED,
        "finished_at": current.deadline if now > current.deadline else now,
        "auto_submitted": auto_submitted,
        **_score_fields(current, graded),
    }
    close_sql = _attempt_update(current.pk, closing, only_open=True)
    outcomes_sql = _outcomes_update(current.pk, graded)
    for field, value in closing.items():
        setattr(current, field, value)
    entry = audit_entry(
        current,
        "mingbai.exam.score",
        user=None if auto_submitted else (user or current.user),
        data={
            "exam": current.exam_id,
            "score": str(current.score),
            "max_score": str(current.max_score),
            "passed": current.passed,
            "auto": auto_submitted,
        },
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(*close_sql)
        if not cursor.rowcount:
            return False
        if _answers_fingerprint(current.pk) != graded.fingerprint:
            graded = _grade_saved(current)  # a save landed after the first grading
            scores = _score_fields(current, graded)
            for field, value in scores.items():
                setattr(current, field, value)
            cursor.execute(*_attempt_update(current.pk, scores, only_open=False))
            outcomes_sql = _outcomes_update(current.pk, graded)
            entry.data.update(score=str(current.score), passed=current.passed)
        cursor.execute(*outcomes_sql)
        _certify(current)
        audit_save(entry)
    return True


def _copy_result(source: Attempt, target: Attempt) -> None:
    if target is not source:
        for field in RESULT_FIELDS:
            setattr(target, field, getattr(source, field))


def attempt_expire_if_due(attempt: Attempt, *, now=None) -> bool:
    """Submit the attempt if it is open past its deadline plus grace; True if it is closed."""
    now = now or timezone.now()
    if attempt.state != AttemptState.OPEN:
        return True
    if now <= attempt.deadline + grace(attempt.exam):
        return False
    attempt_submit(attempt=attempt, now=now, auto=True)
    return True
