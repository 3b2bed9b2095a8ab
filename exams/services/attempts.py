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
import time
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from core.lru import BoundedLRU
from exams import selectors
from exams.models import (
    Attempt,
    AttemptAnswer,
    AttemptState,
    Exam,
    FocusEvent,
)
from exams.services.drawing import paper_draw
from exams.services.submitting import attempt_expire_if_due, grace
from exams.signals import attempt_starting

logger = logging.getLogger(__name__)


class AttemptClosed(ValidationError):
    """The attempt no longer accepts answers (submitted, or past the deadline and grace): 409."""


# --- start -------------------------------------------------------------------------------------


def _schedule_expiry(attempt: Attempt) -> None:
    # With the embedded SQLite broker, one eta message per start contends with the start rush
    # for the broker file; there the beat sweep (attempts_expire_overdue, every minute) and the
    # check on every request submit overdue attempts instead.
    default = not str(getattr(settings, "CELERY_BROKER_URL", "")).startswith("sqla+")
    if not getattr(settings, "EXAMS_SCHEDULE_AUTOSUBMIT", default):
        return
    from exams.tasks import attempt_expire

    eta = attempt.deadline + grace(attempt.exam) + timedelta(seconds=1)
    try:
        attempt_expire.apply_async((attempt.pk,), eta=eta)
    except Exception:  # the per-request check still submits it
        logger.exception("could not schedule the automatic submission of attempt %s", attempt.pk)


def _one_statement_write():
    """Where a single write statement runs. It is atomic on its own, so on PostgreSQL it runs in
    autocommit (no BEGIN/COMMIT round trips); on SQLite in a transaction, because that is where
    the backend's fair queue orders writers (core.db.sqlite); inside a caller's
    transaction in a savepoint, which a failed statement rolls back alone."""
    own = connection.vendor == "sqlite" or connection.in_atomic_block
    return transaction.atomic() if own else nullcontext()


def attempt_start(*, exam: Exam, user, now=None, rng: random.Random | None = None) -> Attempt:
    """The user's open attempt of ``exam``, or a new one (drawn paper, server deadline)."""
    now = now or timezone.now()
    # One read tells both whether an attempt is open (resume it) and how many were used.
    mine = list(Attempt.objects.filter(exam=exam, user=user).values_list("pk", "state"))
    open_pk = next((pk for pk, state in mine if state == AttemptState.OPEN), None)
    if open_pk is not None:
        existing = Attempt.objects.get(pk=open_pk)
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
    used = len(mine)
    if used >= exam.attempts_allowed:
        raise ValidationError(f"您的考试次数已用完（共{exam.attempts_allowed}次）。")
    attempt_starting.send(sender=Exam, exam=exam, user=user, person=person, now=now)
    paper = paper_draw(exam.paper, rng)
    deadline = min(now + timedelta(minutes=exam.time_limit_minutes), exam.closes_at)
    try:
        with _one_statement_write():
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
    else:
        attempt.created_now = True  # nothing saved yet: no need to read the answers
    attempt.exam = exam
    return attempt


# --- saving an answer --------------------------------------------------------------------------


def _answer_spec(entry: dict) -> str:
    """What checking an answer needs of a paper entry, as one string: "single:ABCD"."""
    return f"{entry['type']}:{''.join(o['key'] for o in entry.get('options', []))}"


def _clean_answer(spec: str, answer) -> list[str]:
    if not isinstance(answer, list) or not all(isinstance(a, str) for a in answer):
        raise ValidationError("答案格式不正确。")
    qtype, _, keys = spec.partition(":")
    if qtype == "fill":
        if len(answer) > 1 or any(len(a) > 200 for a in answer):
            raise ValidationError("答案过长。")
        return [a.strip() for a in answer]
    cleaned = sorted({a.strip().upper() for a in answer})
    if any(len(a) != 1 or a not in keys for a in cleaned):
        raise ValidationError("答案不在选项中。")
    if qtype in ("single", "truefalse") and len(cleaned) > 1:
        raise ValidationError("本题只能选一个答案。")
    return cleaned


# The drawn paper of an attempt never changes, so each process keeps what a save needs of recent
# attempts (each question's type and option keys, owner, start time, the exam's grace): a save
# is then one conditional upsert. Kept as strings, so thousands of cached papers add almost
# nothing for the garbage collector to traverse. The start time in the upsert guards against a
# reused primary key; the grace is re-read after _PAPER_GRACE_TTL seconds, so an edited grace
# takes effect within a minute.
@dataclass(frozen=True)
class _SaveContext:
    specs: dict[int, str]  # question id -> _answer_spec
    user_id: int
    started_at: datetime
    grace: timedelta
    loaded: float


_PAPER_CACHE: BoundedLRU[int, _SaveContext] = BoundedLRU(5000)
_PAPER_GRACE_TTL = 60.0


def _save_context(attempt_pk: int, user=None, *, fresh: bool = False) -> _SaveContext:
    """What a save needs of the attempt (raises ``Attempt.DoesNotExist`` if not ``user``'s)."""
    clock = time.monotonic()
    if not fresh:
        ctx = _PAPER_CACHE.get(attempt_pk)
        if (
            ctx is not None
            and clock - ctx.loaded < _PAPER_GRACE_TTL
            and (user is None or ctx.user_id == user.pk)
        ):
            return ctx
    mine = {"user": user} if user is not None else {}
    user_id, started_at, grace, paper = (
        Attempt.objects.filter(pk=attempt_pk, **mine)
        .values_list("user_id", "started_at", "exam__grace_seconds", "paper")
        .get()
    )
    ctx = _SaveContext(
        specs={q["id"]: _answer_spec(q) for q in (paper or {}).get("questions", [])},
        user_id=user_id,
        started_at=started_at,
        grace=timedelta(seconds=grace),
        loaded=clock,
    )
    _PAPER_CACHE.put(attempt_pk, ctx)
    return ctx


# One statement: write the answer only if the attempt is this user's, still open and within
# deadline + grace, and the seq is newer than the saved one. On PostgreSQL, FOR SHARE waits for
# a submit in progress (its closing UPDATE holds the row lock) and then sees it closed; on
# SQLite the write lock already serialises the save and the submit.
_UPSERT = """
INSERT INTO exams_attemptanswer (attempt_id, question_id, answer, seq, saved_at, correct, points)
SELECT a.id, %s, {json}, %s, %s, NULL, 0 FROM exams_attempt a
 WHERE a.id = %s AND a.user_id = %s AND a.started_at = %s AND a.state = 'open'
   AND a.deadline >= %s
 {lock}
ON CONFLICT (attempt_id, question_id) DO UPDATE
   SET answer = excluded.answer, seq = excluded.seq, saved_at = excluded.saved_at
 WHERE exams_attemptanswer.seq < excluded.seq
"""


def _upsert(attempt_pk: int, ctx: _SaveContext, question_id: int, cleaned, seq: int, now) -> bool:
    postgres = connection.vendor == "postgresql"
    sql = _UPSERT.format(
        json="%s::jsonb" if postgres else "%s", lock="FOR SHARE OF a" if postgres else ""
    )
    adapt = connection.ops.adapt_datetimefield_value
    params = [
        question_id,
        json.dumps(cleaned, ensure_ascii=False),
        seq,
        adapt(now),
        attempt_pk,
        ctx.user_id,
        adapt(ctx.started_at),
        adapt(now - ctx.grace),
    ]
    with _one_statement_write(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount > 0


def answer_save(
    *, attempt: Attempt, question_id: int, answer, seq: int, user=None, now=None
) -> dict:
    """Save one answer if ``seq`` is newer than the saved one: ``{"saved", "seq"}``.

    Raises :class:`AttemptClosed` after submission or past the deadline plus grace, and
    ``Attempt.DoesNotExist`` if ``user`` is given and the attempt is not theirs."""
    now = now or timezone.now()
    if not isinstance(seq, int) or isinstance(seq, bool) or not 0 < seq < 2**31:
        raise ValidationError("序号无效。")
    # First with what this process remembers of the attempt; anything unexpected (a stale
    # entry, a closed attempt, a bad answer) is decided again with a fresh read.
    for fresh in (False, True):
        ctx = _save_context(attempt.pk, user, fresh=fresh)
        try:
            spec = ctx.specs.get(question_id)
            if spec is None:
                raise ValidationError("本试卷中没有这道题。")
            cleaned = _clean_answer(spec, answer)
        except ValidationError:
            if not fresh:
                continue
            _raise_if_closed(attempt.pk, now)
            raise
        if _upsert(attempt.pk, ctx, question_id, cleaned, seq, now):
            return {"saved": True, "seq": seq}
    return _not_saved(attempt.pk, question_id, seq, now)


def _raise_if_closed(attempt_pk: int, now) -> None:
    locked = Attempt.objects.select_related("exam").get(pk=attempt_pk)
    if locked.state != AttemptState.OPEN:
        raise AttemptClosed("本次答题已交卷，不能再修改答案。")
    if now > locked.deadline + grace(locked.exam):
        attempt_expire_if_due(locked, now=now)
        raise AttemptClosed("答题时间已到，试卷已自动提交。")


def _not_saved(attempt_pk: int, question_id: int, seq: int, now) -> dict:
    """Why a save wrote nothing: closed (409), or a newer seq is already saved."""
    _raise_if_closed(attempt_pk, now)
    current = (
        AttemptAnswer.objects.filter(attempt_id=attempt_pk, question_id=question_id)
        .values_list("seq", flat=True)
        .first()
    )
    # The same seq again (a retried request) was saved; an older one was not.
    return {"saved": current == seq, "seq": current or 0}


def focus_event_record(*, attempt: Attempt, kind: str = "blur", now=None) -> None:
    if attempt.state == AttemptState.OPEN:
        FocusEvent.objects.create(
            attempt=attempt, kind=kind[:20], occurred_at=now or timezone.now()
        )
