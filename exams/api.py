"""JSON API of the exams app (mounted under /api/v1/ by config/api.py).

A person only ever reaches their own attempts (anybody else's is 404). Fields a client sends
beyond those documented (score, passed, …) are ignored: the server grades."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import BaseModel

from exams import selectors, services
from exams.models import Attempt, Exam

router = Router(tags=["考试"])

# Responses are plain pydantic models (validated in pydantic-core) rather than ninja Schemas,
# whose per-object Django getter costs milliseconds on a 50-question paper at the start rush.


class ErrorOut(Schema):
    detail: str


class ExamOut(Schema):
    id: int
    title: str
    purpose: str
    opens: datetime
    closes: datetime
    time_limit_minutes: int
    attempts_left: int
    open_attempt: int | None = None


class OptionOut(BaseModel):
    key: str
    text: str


class QuestionOut(BaseModel):
    id: int
    type: str
    stem: str
    points: str
    options: list[OptionOut]


class AttemptOut(BaseModel):
    id: int
    exam: int
    state: str
    deadline: datetime
    questions: list[QuestionOut]
    answers: dict[str, dict] = {}
    result: dict | None = None


class AnswerIn(Schema):
    answer: list[str]
    seq: int


class SavedOut(BaseModel):
    saved: bool
    seq: int


class ResultOut(BaseModel):
    score: float
    max_score: float
    percent: float
    passed: bool
    band: str


def _message(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def _attempt_out(attempt: Attempt) -> dict:
    data = {
        "id": attempt.pk,
        "exam": attempt.exam_id,
        "state": attempt.state,
        "deadline": attempt.deadline,
        "questions": selectors.paper_public(attempt),
        "answers": {}
        if getattr(attempt, "created_now", False)
        else {str(k): v for k, v in selectors.saved_answers(attempt).items()},
        "result": None if attempt.is_open else attempt.result(),
    }
    return data


def _own_attempt(request, attempt_id: int) -> Attempt:
    try:
        attempt = selectors.attempt_for_user(request.user, attempt_id)
    except Attempt.DoesNotExist:
        from django.http import Http404

        raise Http404("答卷不存在") from None
    return attempt


@router.get("/exams/", response=list[ExamOut])
def exams_list(request):
    """Exams open to me (now or upcoming), with the attempts I have left."""
    return [
        {
            "id": row.exam.pk,
            "title": row.exam.title,
            "purpose": row.exam.purpose,
            "opens": row.exam.opens_at,
            "closes": row.exam.closes_at,
            "time_limit_minutes": row.exam.time_limit_minutes,
            "attempts_left": row.attempts_left,
            "open_attempt": row.open_attempt.pk if row.open_attempt else None,
        }
        for row in selectors.exams_for_user(request.user)
    ]


@router.post("/exams/{exam_id}/attempts/", response={200: AttemptOut, 400: ErrorOut, 404: ErrorOut})
def attempt_start(request, exam_id: int):
    """My open attempt of the exam, or a new one (the paper without the key)."""
    exam = get_object_or_404(Exam.objects.select_related("paper"), pk=exam_id, is_published=True)
    try:
        attempt = services.attempt_start(exam=exam, user=request.user)
    except ValidationError as exc:
        return Status(400, {"detail": _message(exc)})
    return Status(200, _attempt_out(attempt))


@router.get("/attempts/{attempt_id}/", response={200: AttemptOut, 404: ErrorOut})
def attempt_detail(request, attempt_id: int):
    """State, deadline, the questions and my saved answers (to resume on any device)."""
    attempt = _own_attempt(request, attempt_id)
    services.attempt_expire_if_due(attempt)
    return Status(200, _attempt_out(attempt))


@router.put(
    "/attempts/{attempt_id}/answers/{question_id}/",
    response={200: SavedOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def answer_save(request, attempt_id: int, question_id: int, payload: AnswerIn):
    """Save one answer; an older ``seq`` never overwrites a newer one. 409 once closed."""
    try:
        return Status(
            200,
            services.answer_save(
                attempt=Attempt(pk=attempt_id),
                question_id=question_id,
                answer=payload.answer,
                seq=payload.seq,
                user=request.user,
            ),
        )
    except Attempt.DoesNotExist:
        return Status(404, {"detail": "答卷不存在"})
    except services.AttemptClosed as exc:
        return Status(409, {"detail": _message(exc)})
    except ValidationError as exc:
        return Status(400, {"detail": _message(exc)})


@router.post("/attempts/{attempt_id}/submit/", response={200: ResultOut, 404: ErrorOut})
def attempt_submit(request, attempt_id: int):
    """Submit and grade; submitting again returns the same result."""
    try:
        result = services.attempt_submit(attempt=Attempt(pk=attempt_id), user=request.user)
    except Attempt.DoesNotExist:
        return Status(404, {"detail": "答卷不存在"})
    return Status(200, result)


class FocusIn(Schema):
    kind: str = "blur"


@router.post("/attempts/{attempt_id}/focus/", response={204: None, 404: ErrorOut})
def focus_event(request, attempt_id: int, payload: FocusIn):
    """Log that the exam page lost focus (for review; never fails the attempt)."""
    attempt = _own_attempt(request, attempt_id)
    services.focus_event_record(attempt=attempt, kind=payload.kind)
    return Status(204, None)
