"""Grading (判分) on the server: pure functions over the drawn paper and the answer key."""

from __future__ import annotations

from decimal import Decimal

from exams.formats import normalize_text


def to_original_keys(entry: dict, given: list[str]) -> list[str]:
    """Map the option keys the taker saw (shuffled, relabelled A, B, …) to the bank's keys."""
    mapping = entry.get("map") or {}
    return [mapping.get(k, k) for k in given]


def answer_is_correct(qtype: str, key: list[str], given: list[str]) -> bool:
    if not given:
        return False
    if qtype == "fill":
        accepted = {normalize_text(a).lower() for a in key}
        return len(given) == 1 and normalize_text(given[0]).lower() in accepted
    return sorted(set(given)) == sorted(set(key)) and len(given) == len(set(given))


def grade(paper: dict, keys: dict[int, tuple[str, list[str]]], answers: dict[int, list[str]]):
    """Score a drawn paper: returns (score, max_score, {question_id: (correct, points)})."""
    score = Decimal(0)
    max_score = Decimal(0)
    per_question: dict[int, tuple[bool, Decimal]] = {}
    for entry in paper.get("questions", []):
        qid = entry["id"]
        points = Decimal(str(entry["points"]))
        max_score += points
        qtype, key = keys.get(qid, (entry["type"], []))
        given = answers.get(qid)
        if given is None:
            continue
        correct = answer_is_correct(qtype, key, to_original_keys(entry, given))
        earned = points if correct else Decimal(0)
        score += earned
        per_question[qid] = (correct, earned)
    return score, max_score, per_question


def percent_of(score: Decimal, max_score: Decimal) -> Decimal:
    if not max_score:
        return Decimal(0)
    return (score * 100 / max_score).quantize(Decimal("0.1"))
