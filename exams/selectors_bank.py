"""Reads of the question bank: filtering and export."""

from __future__ import annotations

from exams.formats import ExportResult, export_questions
from exams.models import Question


def bank_questions(*, tag: str | None = None, qtype: str | None = None, needs_review=None):
    qs = Question.objects.prefetch_related("tags").order_by("pk")
    if tag:
        qs = qs.filter(tags__name=tag)
    if qtype:
        qs = qs.filter(type=qtype)
    if needs_review is not None:
        qs = qs.filter(needs_review=needs_review)
    return qs


def bank_export(*, fmt: str, tag: str | None = None, queryset=None) -> tuple[ExportResult, int]:
    questions = list(queryset if queryset is not None else bank_questions(tag=tag))
    return export_questions([q.to_data() for q in questions], fmt), len(questions)
