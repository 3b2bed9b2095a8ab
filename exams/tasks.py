"""Celery tasks of the exams app: take ids, safe to run twice."""

from celery import shared_task


@shared_task(ignore_result=True)
def attempt_expire(attempt_id: int) -> None:
    """Submit an attempt left open past its deadline plus grace (scheduled at start)."""
    from exams.models import Attempt
    from exams.services import attempt_expire_if_due

    attempt = Attempt.objects.select_related("exam").filter(pk=attempt_id).first()
    if attempt is not None:
        attempt_expire_if_due(attempt)


@shared_task(ignore_result=True)
def attempts_expire_overdue() -> int:
    """Safety net (beat): submit every open attempt past its deadline plus grace."""
    from datetime import timedelta

    from django.utils import timezone

    from exams.models import Attempt, AttemptState
    from exams.services import attempt_expire_if_due

    now = timezone.now()
    n = 0
    overdue = Attempt.objects.filter(
        state=AttemptState.OPEN, deadline__lt=now - timedelta(seconds=30)
    )
    for attempt in overdue.select_related("exam")[:5000]:
        n += attempt_expire_if_due(attempt, now=now)
    return n


@shared_task(ignore_result=True)
def certificate_render(attempt_id: int) -> None:
    """Create and render the certificate of a passed attempt (exactly one per attempt)."""
    from exams.models import Attempt
    from exams.services import certificate_issue

    attempt = Attempt.objects.filter(pk=attempt_id).first()
    if attempt is not None:
        certificate_issue(attempt=attempt)


@shared_task(bind=True)
def exam_report_export(self, exam_id: int, user_id: int) -> str:
    """Build the .xlsx report of an exam in the background (progress in the task state)."""
    from django.contrib.auth import get_user_model
    from django.core.cache import cache

    from exams.admin.reports import report_xlsx_save
    from exams.models import Exam

    key = f"exams:report:{self.request.id}"
    exam = Exam.objects.get(pk=exam_id)
    user = get_user_model().objects.get(pk=user_id)

    def progress(done, total):
        cache.set(key, {"state": "PROGRESS", "done": done, "total": total, "user": user_id}, 3600)

    progress(0, 0)
    path = report_xlsx_save(exam=exam, user=user, progress=progress)
    cache.set(key, {"state": "SUCCESS", "path": path, "user": user_id}, 3600)
    return path
