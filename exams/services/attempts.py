"""The attempt engine (答题): start, save each answer, submit — all decided on the server.

* at most one open attempt per user and exam, enforced by a partial unique constraint, so two
  simultaneous starts yield one attempt;
* every answer is saved with the client's sequence number in one conditional upsert, so an
  older save that arrives late never overwrites a newer one;
* past ``deadline + grace`` nothing is saved any more and the attempt is submitted with the
  answers saved so far and ``finished_at = deadline`` (by a Celery task scheduled at start, and
  by a check on every request that touches the attempt);
* submitting twice returns the same result.
"""

from __future__ import annotations

import json
import logging
import random
import threading
from collections import OrderedDict
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from exams import selectors
from exams.models import (
    Attempt,
    AttemptAnswer,
    AttemptState,
    Exam,
    ExamPurpose,
    FocusEvent,
    Paper,
    Question,
)
from people.audit import audit_log

from ..signals import attempt_starting
from .grading import grade, percent_of

logger = logging.getLogger(__name__)

CERTIFIED_PURPOSES = (ExamPurpose.ASSESSMENT, ExamPurpose.ANNUAL)


class AttemptClosed(ValidationError):
    """The attempt no longer accepts answers (submitted, or past the deadline and grace): 409."""


def _grace(exam: Exam) -> timedelta:
    return timedelta(seconds=exam.grace_seconds)


# --- drawing a paper ---------------------------------------------------------------------------


def _rule_candidates(rule, exclude: set[int]) -> list[int]:
    qs = Question.objects.filter(is_active=True, type=rule.type)
    if rule.tag_id:
        qs = qs.filter(tags=rule.tag_id)
    if rule.difficulty:
        qs = qs.filter(difficulty=rule.difficulty)
    return [pk for pk in qs.values_list("pk", flat=True).order_by("pk") if pk not in exclude]


def paper_draw(paper: Paper, rng: random.Random | None = None) -> dict:
    """Draw the questions of a paper and shuffle them and their options (no key inside)."""
    rng = rng or random.SystemRandom()
    picked: list[tuple[int, Decimal]] = []
    if paper.mode == Paper.Mode.FIXED:
        for item in paper.items.all():
            picked.append((item.question_id, item.points or paper.fixed_points))
    else:
        chosen: set[int] = set()
        for rule in paper.rules.all():
            candidates = _rule_candidates(rule, chosen)
            if len(candidates) < rule.count:
                raise ValidationError(
                    f"题库中符合“{rule}”的试题只有{len(candidates)}道，无法组卷。"
                )
            for pk in rng.sample(candidates, rule.count):
                chosen.add(pk)
                picked.append((pk, rule.points))
    if not picked:
        raise ValidationError("试卷中没有试题。")
    questions = Question.objects.only("pk", "type", "stem", "options").in_bulk(
        [p for p, _ in picked]
    )
    if paper.shuffle_questions:
        rng.shuffle(picked)
    entries = []
    for pk, points in picked:
        q = questions[pk]
        options = list(q.options)
        if paper.shuffle_options and q.type in ("single", "multiple"):
            rng.shuffle(options)
        shown = [{"key": "ABCDEFGH"[i], "text": text} for i, (_, text) in enumerate(options)]
        mapping = {"ABCDEFGH"[i]: orig for i, (orig, _) in enumerate(options)}
        entries.append(
            {
                "id": q.pk,
                "type": q.type,
                "stem": q.stem,
                "points": str(points),
                "options": shown,
                "map": mapping,
            }
        )
    return {"questions": entries}


# --- start -------------------------------------------------------------------------------------


def _schedule_expiry(attempt: Attempt) -> None:
    # With the embedded SQLite broker, one eta message per start contends with the start rush
    # for the broker file; there the beat sweep (attempts_expire_overdue, every minute) and the
    # check on every request submit overdue attempts instead.
    default = not str(getattr(settings, "CELERY_BROKER_URL", "")).startswith("sqla+")
    if not getattr(settings, "EXAMS_SCHEDULE_AUTOSUBMIT", default):
        return
    from exams.tasks import attempt_expire

    eta = attempt.deadline + _grace(attempt.exam) + timedelta(seconds=1)
    try:
        attempt_expire.apply_async((attempt.pk,), eta=eta)
    except Exception:  # the per-request check still submits it
        logger.exception("could not schedule the automatic submission of attempt %s", attempt.pk)


def attempt_start(*, exam: Exam, user, now=None, rng: random.Random | None = None) -> Attempt:
    """The user's open attempt of ``exam``, or a new one (drawn paper, server deadline)."""
    now = now or timezone.now()
    existing = Attempt.objects.filter(exam=exam, user=user, state=AttemptState.OPEN).first()
    if existing is not None:
        existing.exam = exam
        if not attempt_expire_if_due(existing, now=now):
            return existing
    if not exam.is_published:
        raise ValidationError("考试未发布。")
    if now < exam.opens_at:
        raise ValidationError(
            f"考试尚未开始，开始时间：{timezone.localtime(exam.opens_at):%Y-%m-%d %H:%M}。"
        )
    if now >= exam.closes_at:
        raise ValidationError("考试已结束。")
    person = selectors.person_for(user)
    error = selectors.eligibility_error(exam, user, person) or selectors.prerequisite_error(
        exam, person, now
    )
    if error:
        raise ValidationError(error)
    used = selectors.attempts_used(exam, user)
    if used >= exam.attempts_allowed:
        raise ValidationError(f"您的考试次数已用完（共{exam.attempts_allowed}次）。")
    attempt_starting.send(sender=Exam, exam=exam, user=user, person=person, now=now)
    paper = paper_draw(exam.paper, rng)
    deadline = min(now + timedelta(minutes=exam.time_limit_minutes), exam.closes_at)
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                exam=exam,
                user=user,
                person=person,
                number=used + 1,
                paper=paper,
                started_at=now,
                deadline=deadline,
            )
            transaction.on_commit(lambda: _schedule_expiry(attempt))
    except IntegrityError:
        # A simultaneous start won the race: the database constraint allows one open attempt.
        attempt = Attempt.objects.filter(exam=exam, user=user, state=AttemptState.OPEN).first()
        if attempt is None:
            raise
    attempt.exam = exam
    return attempt


# --- saving an answer --------------------------------------------------------------------------


def _clean_answer(entry: dict, answer) -> list[str]:
    if not isinstance(answer, list) or not all(isinstance(a, str) for a in answer):
        raise ValidationError("答案格式不正确。")
    if entry["type"] == "fill":
        if len(answer) > 1 or any(len(a) > 200 for a in answer):
            raise ValidationError("答案过长。")
        return [a.strip() for a in answer]
    keys = {o["key"] for o in entry["options"]}
    cleaned = sorted({a.strip().upper() for a in answer})
    if any(a not in keys for a in cleaned):
        raise ValidationError("答案不在选项中。")
    if entry["type"] in ("single", "truefalse") and len(cleaned) > 1:
        raise ValidationError("本题只能选一个答案。")
    return cleaned


# The drawn paper of an attempt never changes, so each process keeps the question entries of
# recent attempts: a save then reads only the attempt's state and deadline from the database.
_PAPER_CACHE: OrderedDict[tuple, dict[int, dict]] = OrderedDict()
_PAPER_CACHE_SIZE = 5000
_PAPER_LOCK = threading.Lock()


def _paper_entries(attempt: Attempt) -> dict[int, dict]:
    key = (attempt.pk, attempt.user_id, attempt.started_at)
    with _PAPER_LOCK:
        entries = _PAPER_CACHE.get(key)
        if entries is not None:
            _PAPER_CACHE.move_to_end(key)
            return entries
    paper = Attempt.objects.filter(pk=attempt.pk).values_list("paper", flat=True).first() or {}
    entries = {q["id"]: q for q in paper.get("questions", [])}
    with _PAPER_LOCK:
        _PAPER_CACHE[key] = entries
        while len(_PAPER_CACHE) > _PAPER_CACHE_SIZE:
            _PAPER_CACHE.popitem(last=False)
    return entries


_UPSERT = """
INSERT INTO exams_attemptanswer (attempt_id, question_id, answer, seq, saved_at, correct, points)
VALUES (%s, %s, {json}, %s, %s, NULL, 0)
ON CONFLICT (attempt_id, question_id) DO UPDATE
   SET answer = excluded.answer, seq = excluded.seq, saved_at = excluded.saved_at
 WHERE exams_attemptanswer.seq < excluded.seq
"""


def answer_save(
    *, attempt: Attempt, question_id: int, answer, seq: int, user=None, now=None
) -> dict:
    """Save one answer if ``seq`` is newer than the saved one: ``{"saved", "seq"}``.

    Raises :class:`AttemptClosed` after submission or past the deadline plus grace, and
    ``Attempt.DoesNotExist`` if ``user`` is given and the attempt is not theirs."""
    now = now or timezone.now()
    if not isinstance(seq, int) or isinstance(seq, bool) or not 0 < seq < 2**31:
        raise ValidationError("序号无效。")
    expired = False
    with transaction.atomic():
        mine = {"user": user} if user is not None else {}
        locked = (
            Attempt.objects.select_for_update(of=("self",))
            .select_related("exam")
            .only("pk", "user_id", "started_at", "state", "deadline", "exam__grace_seconds")
            .get(pk=attempt.pk, **mine)
        )
        if locked.state != AttemptState.OPEN:
            raise AttemptClosed("本次答题已交卷，不能再修改答案。")
        if now > locked.deadline + _grace(locked.exam):
            expired = True
        else:
            entry = _paper_entries(locked).get(question_id)
            if entry is None:
                raise ValidationError("本试卷中没有这道题。")
            cleaned = _clean_answer(entry, answer)
            sql = _UPSERT.format(json="%s::jsonb" if connection.vendor == "postgresql" else "%s")
            saved_at = connection.ops.adapt_datetimefield_value(now)
            with connection.cursor() as cursor:
                cursor.execute(
                    sql,
                    [
                        attempt.pk,
                        question_id,
                        json.dumps(cleaned, ensure_ascii=False),
                        seq,
                        saved_at,
                    ],
                )
                written = cursor.rowcount
            if written:
                return {"saved": True, "seq": seq}
            current = AttemptAnswer.objects.filter(
                attempt_id=attempt.pk, question_id=question_id
            ).values_list("seq", flat=True)[0]
            # The same seq again (a retried request) was saved; an older one was not.
            return {"saved": current == seq, "seq": current}
    if expired:
        attempt = Attempt.objects.select_related("exam").get(pk=attempt.pk)
        attempt_expire_if_due(attempt, now=now)
    raise AttemptClosed("答题时间已到，试卷已自动提交。")


def focus_event_record(*, attempt: Attempt, kind: str = "blur", now=None) -> None:
    if attempt.state == AttemptState.OPEN:
        FocusEvent.objects.create(
            attempt=attempt, kind=kind[:20], occurred_at=now or timezone.now()
        )


# --- submitting --------------------------------------------------------------------------------


def _grade_attempt(attempt: Attempt) -> None:
    entries = attempt.paper.get("questions", [])
    keys = {
        q["pk"]: (q["type"], q["answer"])
        for q in Question.objects.filter(pk__in=[e["id"] for e in entries]).values(
            "pk", "type", "answer"
        )
    }
    saved = dict(AttemptAnswer.objects.filter(attempt=attempt).values_list("question_id", "answer"))
    score, max_score, per_question = grade(attempt.paper, keys, saved)
    # Record each answer's outcome in a few set-based UPDATEs (one per distinct point value).
    by_points: dict[Decimal, list[int]] = {}
    for qid, (correct, points) in per_question.items():
        if correct:
            by_points.setdefault(points, []).append(qid)
    answers = AttemptAnswer.objects.filter(attempt=attempt)
    right = [qid for qids in by_points.values() for qid in qids]
    answers.exclude(question_id__in=right).update(correct=False, points=0)
    for points, qids in by_points.items():
        answers.filter(question_id__in=qids).update(correct=True, points=points)
    attempt.score = score
    attempt.max_score = max_score
    attempt.percent = percent_of(score, max_score)
    attempt.passed = attempt.percent >= attempt.exam.pass_mark
    attempt.band = attempt.exam.band_for(attempt.percent) if attempt.passed else "不合格"


def _certify(attempt: Attempt) -> None:
    """Passing a 法律明白人 assessment trains the person (same transaction: quotas move now)."""
    if not attempt.passed:
        return
    if attempt.exam.purpose == ExamPurpose.ASSESSMENT and attempt.person_id:
        from people.services import training_record_create

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


def attempt_submit(*, attempt: Attempt, now=None, auto: bool = False) -> dict:
    """Grade and close the attempt; a second call returns the same result."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            Attempt.objects.select_for_update(of=("self",))
            .select_related("exam", "person")
            .get(pk=attempt.pk)
        )
        if locked.state == AttemptState.SUBMITTED:
            return locked.result()
        overdue = now > locked.deadline
        locked.finished_at = locked.deadline if overdue else now
        locked.auto_submitted = auto or now > locked.deadline + _grace(locked.exam)
        locked.state = AttemptState.SUBMITTED
        _grade_attempt(locked)
        locked.save(
            update_fields=[
                "state",
                "finished_at",
                "auto_submitted",
                "score",
                "max_score",
                "percent",
                "passed",
                "band",
            ]
        )
        _certify(locked)
        audit_log(
            locked,
            "mingbai.exam.score",
            user=None if locked.auto_submitted else locked.user,
            data={
                "exam": locked.exam_id,
                "score": str(locked.score),
                "max_score": str(locked.max_score),
                "passed": locked.passed,
                "auto": locked.auto_submitted,
            },
        )
    for field in (
        "state",
        "finished_at",
        "auto_submitted",
        "score",
        "max_score",
        "percent",
        "passed",
        "band",
    ):
        setattr(attempt, field, getattr(locked, field))
    return locked.result()


def attempt_expire_if_due(attempt: Attempt, *, now=None) -> bool:
    """Submit the attempt if it is open past its deadline plus grace; True if it is closed."""
    now = now or timezone.now()
    if attempt.state != AttemptState.OPEN:
        return True
    if now <= attempt.deadline + _grace(attempt.exam):
        return False
    attempt_submit(attempt=attempt, now=now, auto=True)
    return True
