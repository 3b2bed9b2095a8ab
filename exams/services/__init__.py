"""Writes of the exams app (services): attempts, submitting, bank, certificates, regrades."""

from exams.services.attempts import AttemptClosed, answer_save, attempt_start, focus_event_record
from exams.services.bank import (
    QuestionImportResult,
    paper_validate_rules,
    question_save,
    questions_flag_for_review,
    questions_import,
)
from exams.services.certificates import certificate_issue
from exams.services.regrade import regrade_apply, regrade_preview
from exams.services.submitting import attempt_expire_if_due, attempt_submit

__all__ = [
    "AttemptClosed",
    "QuestionImportResult",
    "answer_save",
    "attempt_expire_if_due",
    "attempt_start",
    "attempt_submit",
    "certificate_issue",
    "focus_event_record",
    "paper_validate_rules",
    "question_save",
    "questions_flag_for_review",
    "questions_import",
    "regrade_apply",
    "regrade_preview",
]
