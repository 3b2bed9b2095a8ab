"""Drawing a paper (抽题): an attempt's questions and options, shuffled, without the key.

At the start rush every taker draws from the same paper, so each process keeps the paper's
draw pool (the candidate question ids of each rule, or the fixed items) for ``POOL_TTL``
seconds. The drawn questions are then read in one query that also confirms they still exist
and are active; if not, the pool is rebuilt and the paper drawn again. Any change to the bank
or to a paper made in this process clears the pools at once (signals in exams.receivers);
other processes see new questions and changed rules within ``POOL_TTL``.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError

from exams.models import Paper, Question

POOL_TTL = 60.0
OPTION_KEYS = "ABCDEFGH"


def rule_candidates(rule, exclude: set[int] = frozenset()) -> list[int]:
    """Ids of the active questions a rule may draw (``rule``: type, tag_id, difficulty)."""
    qs = Question.objects.filter(is_active=True, type=rule.type)
    if rule.tag_id:
        qs = qs.filter(tags=rule.tag_id)
    if rule.difficulty:
        qs = qs.filter(difficulty=rule.difficulty)
    return [pk for pk in qs.values_list("pk", flat=True).order_by("pk") if pk not in exclude]


@dataclass(frozen=True)
class _Pool:
    loaded: float
    rules: tuple[tuple[object, tuple[int, ...]], ...]  # (rule, candidate ids) in rule order
    fixed: tuple[tuple[int, Decimal], ...]  # (question id, points) of a fixed paper


_POOLS: dict[int, _Pool] = {}
_POOLS_LOCK = threading.Lock()


def pools_clear(**kwargs) -> None:
    """Forget every draw pool (a signal receiver: the bank or a paper changed)."""
    with _POOLS_LOCK:
        _POOLS.clear()


def _pool(paper: Paper, *, fresh: bool = False) -> _Pool:
    clock = time.monotonic()
    with _POOLS_LOCK:
        pool = _POOLS.get(paper.pk)
    if pool is not None and not fresh and clock - pool.loaded < POOL_TTL:
        return pool
    if paper.mode == Paper.Mode.FIXED:
        fixed = tuple(
            (item.question_id, item.points or paper.fixed_points) for item in paper.items.all()
        )
        pool = _Pool(clock, (), fixed)
    else:
        rules = tuple((rule, tuple(rule_candidates(rule))) for rule in paper.rules.all())
        pool = _Pool(clock, rules, ())
    with _POOLS_LOCK:
        _POOLS[paper.pk] = pool
    return pool


def _pick(paper: Paper, pool: _Pool, rng: random.Random) -> list[tuple[int, Decimal]]:
    if paper.mode == Paper.Mode.FIXED:
        return list(pool.fixed)
    picked: list[tuple[int, Decimal]] = []
    chosen: set[int] = set()
    for rule, candidates in pool.rules:
        available = [pk for pk in candidates if pk not in chosen]
        if len(available) < rule.count:
            raise ValidationError(f"题库中符合“{rule}”的试题只有{len(available)}道，无法组卷。")
        for pk in rng.sample(available, rule.count):
            chosen.add(pk)
            picked.append((pk, rule.points))
    return picked


def _shown(paper: Paper, picked, questions: dict, rng: random.Random) -> dict:
    if paper.shuffle_questions:
        rng.shuffle(picked)
    entries = []
    for pk, points in picked:
        qtype, stem, options = questions[pk]
        options = list(options)
        if paper.shuffle_options and qtype in ("single", "multiple"):
            rng.shuffle(options)
        entries.append(
            {
                "id": pk,
                "type": qtype,
                "stem": stem,
                "points": str(points),
                "options": [
                    {"key": OPTION_KEYS[i], "text": text} for i, (_, text) in enumerate(options)
                ],
                "map": {OPTION_KEYS[i]: orig for i, (orig, _) in enumerate(options)},
            }
        )
    return {"questions": entries}


def paper_draw(paper: Paper, rng: random.Random | None = None) -> dict:
    """Draw the questions of a paper and shuffle them and their options (no key inside)."""
    # Seeded from os.urandom; the order only has to differ between takers, not be secret.
    rng = rng or random.Random()
    for fresh in (False, True):
        picked = _pick(paper, _pool(paper, fresh=fresh), rng)
        if not picked:
            raise ValidationError("试卷中没有试题。")
        ids = [pk for pk, _ in picked]
        rows = Question.objects.filter(pk__in=ids)
        if paper.mode == Paper.Mode.RANDOM:
            rows = rows.filter(is_active=True)
        questions = {
            pk: (qtype, stem, options)
            for pk, qtype, stem, options in rows.values_list("pk", "type", "stem", "options")
        }
        if len(questions) == len(set(ids)):
            return _shown(paper, picked, questions, rng)
    raise ValidationError("试卷中的试题已被删除或停用，请联系管理员。")
