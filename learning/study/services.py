"""Writes of the study part (学习服务): heartbeats, self-checks, the yearly roll-up.

Course and lesson content is written in the Wagtail admin; the law library's writes are in
``learning.laws.services``.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from learning.study.blocks import OPTION_LETTERS, normalise_answer
from learning.study.credit import HeartbeatRejected, HeartbeatResult, heartbeat_record
from learning.study.models import MS_PER_POINT, LessonPage, LessonProgress, StudyDay, StudyYearTotal
from learning.study.selectors import POINTS_EXPR

__all__ = [
    "HeartbeatRejected",
    "HeartbeatResult",
    "heartbeat_record",
    "self_check_submit",
    "study_rollup",
]


def self_check_submit(
    *, person, lesson: LessonPage, answers: dict, now: dt.datetime | None = None
) -> dict:
    """Check a lesson's self-check (自测) on the server and record a pass.

    ``answers`` maps the question number (0-based, as str or int) to the chosen letters
    ("A", "AC" or ["A", "C"]). Every question must be answered. Returns ``{"passed",
    "lesson_completed", "results": [{"correct", "answer", "explanation"}]}``; the correct
    answers are only revealed here, after answering. Not counted in any exam.
    """
    if person is None:
        raise ValidationError("您的账号尚未登记到人员名单，不能记录自测结果。")
    block = lesson.self_check
    if block is None:
        raise ValidationError("本课时没有自测题。")
    questions = list(block.value["questions"])
    if not isinstance(answers, dict):
        raise ValidationError("答案格式不正确。")
    chosen = []
    missing = []
    for number, question in enumerate(questions):
        given = answers.get(str(number), answers.get(number))
        letters = normalise_answer(given or "")
        allowed = OPTION_LETTERS[: len(question["options"])]
        if not letters:
            missing.append(number + 1)
        elif any(letter not in allowed for letter in letters):
            raise ValidationError(f"第 {number + 1} 题的选项不存在。")
        chosen.append(letters)
    if missing:
        raise ValidationError(f"请先回答第 {'、'.join(str(n) for n in missing)} 题。")
    results = []
    for letters, question in zip(chosen, questions, strict=True):
        correct = letters == normalise_answer(question["answer"])
        results.append(
            {
                "correct": correct,
                "answer": normalise_answer(question["answer"]),
                "explanation": question.get("explanation") or "",
            }
        )
    passed = all(r["correct"] for r in results)
    now = now or timezone.now()
    with transaction.atomic():
        progress, _ = LessonProgress.objects.select_for_update().get_or_create(
            person_id=person.pk,
            lesson_id=lesson.pk,
            defaults={"started_at": now, "last_seen_at": now},
        )
        progress.self_check_attempts += 1
        progress.self_check_passed = progress.self_check_passed or passed
        if (
            progress.completed_at is None
            and progress.self_check_passed
            and progress.studied_ms >= lesson.min_ms
        ):
            progress.completed_at = now
        progress.save(update_fields=["self_check_attempts", "self_check_passed", "completed_at"])
    return {
        "passed": passed,
        "lesson_completed": progress.completed_at is not None,
        "studied_minutes": progress.studied_ms // 60_000,
        "min_minutes": lesson.min_minutes,
        "results": results,
    }


def study_rollup(*, year: int, now: dt.datetime | None = None) -> dict:
    """Rebuild the per-person totals of a year (年度学时汇总) from the raw rows.

    Idempotent: running it twice gives the same totals and touches no row the second time.
    Returns counts {"created", "updated", "deleted", "unchanged"}.
    """
    now = now or timezone.now()
    figures: dict[int, dict] = {}
    days = (
        StudyDay.objects.filter(day__year=year)
        .values("person_id")
        .annotate(
            points=Sum(POINTS_EXPR),
            credited=Sum("credited_ms"),
            studied=Sum("studied_ms"),
            days=Count("pk", filter=Q(credited_ms__gte=MS_PER_POINT)),
        )
    )
    for row in days:
        figures[row["person_id"]] = {
            "points": int(row["points"] or 0),
            "credited_ms": int(row["credited"] or 0),
            "studied_ms": int(row["studied"] or 0),
            "days": int(row["days"] or 0),
            "lessons_completed": 0,
        }
    completed = (
        LessonProgress.objects.filter(completed_at__year=year)
        .values("person_id")
        .annotate(n=Count("pk"))
    )
    for row in completed:
        figures.setdefault(
            row["person_id"],
            {"points": 0, "credited_ms": 0, "studied_ms": 0, "days": 0, "lessons_completed": 0},
        )["lessons_completed"] = row["n"]
    fields = ["points", "credited_ms", "studied_ms", "days", "lessons_completed"]
    counts = {"created": 0, "updated": 0, "deleted": 0, "unchanged": 0}
    with transaction.atomic():
        existing = {t.person_id: t for t in StudyYearTotal.objects.filter(year=year)}
        to_create, to_update = [], []
        for person_id, values in figures.items():
            total = existing.pop(person_id, None)
            if total is None:
                to_create.append(
                    StudyYearTotal(person_id=person_id, year=year, rolled_up_at=now, **values)
                )
            elif any(getattr(total, f) != values[f] for f in fields):
                for f in fields:
                    setattr(total, f, values[f])
                total.rolled_up_at = now
                to_update.append(total)
            else:
                counts["unchanged"] += 1
        StudyYearTotal.objects.bulk_create(to_create, batch_size=500)
        StudyYearTotal.objects.bulk_update(to_update, fields + ["rolled_up_at"], batch_size=500)
        if existing:
            StudyYearTotal.objects.filter(pk__in=[t.pk for t in existing.values()]).delete()
        counts.update(created=len(to_create), updated=len(to_update), deleted=len(existing))
    return counts
