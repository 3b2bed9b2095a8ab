"""The question bank (题库): saving questions, all-or-nothing imports, paper rule checks,
and flagging questions whose cited article changed in a new version of the law."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from exams.formats import (
    FormatError,
    ImportErrorRow,
    QuestionData,
    parse_questions,
    validate_question,
)
from exams.models import Paper, Question, QuestionTag


def citation_resolve(text: str):
    """The current article a citation such as 民法典第1077条 names, or a Chinese error string."""
    from learning.laws.lawtext.citations import parse_citation_query
    from learning.laws.selectors import article_resolve

    citation = parse_citation_query(text.replace(" ", ""))
    if citation is None:
        return None, f"法条“{text}”格式不正确，应写作“民法典第1077条”"
    article = article_resolve(citation.law_name, citation.article_number, citation.suffix)
    if article is None:
        return None, f"法条“{text}”在法律库中不存在"
    return article, None


def _tags(names: list[str]) -> list[QuestionTag]:
    tags = []
    for name in dict.fromkeys(n.strip() for n in names if n.strip()):
        tag, _ = QuestionTag.objects.get_or_create(name=name)
        tags.append(tag)
    return tags


def question_save(
    *, data: QuestionData, articles=None, question: Question | None = None
) -> Question:
    """Create (or update) a question from format-neutral data; validates first."""
    errors = validate_question(data)
    if errors:
        raise ValidationError("；".join(errors))
    if articles is None:
        articles = []
        for text in data.citations:
            article, error = citation_resolve(text)
            if error:
                raise ValidationError(error)
            articles.append(article)
    q = question or Question()
    q.type, q.stem, q.explanation = data.type, data.stem.strip(), data.explanation.strip()
    q.options = [[k, t.strip()] for k, t in data.options]
    q.answer = list(data.answer)
    q.difficulty = data.difficulty
    q.citations = list(data.citations)
    q.fingerprint = data.fingerprint()
    if Question.objects.filter(fingerprint=q.fingerprint).exclude(pk=q.pk).exists():
        raise ValidationError("题库中已有相同的试题。")
    with transaction.atomic():
        q.save()
        q.tags.set(_tags(data.tags))
        q.articles.set(articles)
    return q


@dataclass
class QuestionImportResult:
    created: int = 0
    existing: int = 0
    errors: list[ImportErrorRow] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def questions_import(*, source, fmt: str | None = None, filename: str = "", dry_run: bool = False):
    """Import a question file all-or-nothing: every bad row is reported (row number and
    reason, including citations missing from the law library) and nothing is written if any
    row is bad; questions already in the bank (same fingerprint) are not duplicated."""
    result = QuestionImportResult(dry_run=dry_run)
    parsed = parse_questions(source, fmt, filename)
    errors = list(parsed.errors)
    resolved: list[tuple[QuestionData, list]] = []
    for q in parsed.questions:
        articles, row_errors = [], []
        for text in q.citations:
            article, error = citation_resolve(text)
            if error:
                row_errors.append(ImportErrorRow(q.source_line, error))
            else:
                articles.append(article)
        errors += row_errors
        if not row_errors:
            resolved.append((q, articles))
    if not parsed.questions and not errors:
        errors.append(ImportErrorRow(0, "文件中没有题目"))
    result.errors = sorted(errors, key=lambda e: e.line)
    if result.errors:
        return result
    known = set(
        Question.objects.filter(fingerprint__in=[q.fingerprint() for q, _ in resolved]).values_list(
            "fingerprint", flat=True
        )
    )
    with transaction.atomic():
        for q, articles in resolved:
            if q.fingerprint() in known:
                result.existing += 1
                continue
            if not dry_run:
                question_save(data=q, articles=articles)
            result.created += 1
    return result


def paper_validate_rules(rules: list[dict], *, fixed_questions: list | None = None) -> list[str]:
    """Check drawing rules against the bank now (not on exam day); Chinese errors.

    ``rules``: dicts with type, tag (QuestionTag or None), difficulty (int or None), count.
    Rules are checked in order, each excluding what the earlier ones could have used up."""
    from exams.services.drawing import rule_candidates

    errors: list[str] = []
    used: set[int] = set()
    for i, rule in enumerate(rules, 1):

        class R:  # the shape rule_candidates reads
            type = rule["type"]
            tag_id = rule["tag"].pk if rule.get("tag") else None
            difficulty = rule.get("difficulty")

        candidates = rule_candidates(R, used)
        count = rule["count"] or 0
        if len(candidates) < count:
            label = [f"{count}道{dict(Question.Type.choices)[rule['type']]}"]
            if rule.get("tag"):
                label.append(f"标签“{rule['tag']}”")
            if rule.get("difficulty"):
                label.append(
                    f"难度{dict(Question._meta.get_field('difficulty').choices)[rule['difficulty']]}"
                )
            errors.append(
                f"第{i}条规则（{'，'.join(label)}）：题库中符合条件的启用试题只有{len(candidates)}道。"
            )
        used.update(candidates[:count])
    return errors


def paper_check(paper: Paper) -> list[str]:
    if paper.mode == Paper.Mode.FIXED:
        return [] if paper.items.exists() else ["固定试卷中没有试题。"]
    rules = [
        {"type": r.type, "tag": r.tag, "difficulty": r.difficulty, "count": r.count}
        for r in paper.rules.all()
    ]
    if not rules:
        return ["随机试卷至少需要一条抽题规则。"]
    return paper_validate_rules(rules)


def questions_flag_for_review(*, old_article, new_article) -> int:
    """A cited article's text changed in a new version of its law: flag the questions and
    link them to the new version (they still need an editor to confirm)."""
    questions = list(Question.objects.filter(articles=old_article))
    for q in questions:
        q.needs_review = True
        q.review_note = f"{new_article}条文已修改，请复核本题"[:300]
        q.save(update_fields=["needs_review", "review_note", "updated_at"])
        q.articles.add(new_article)
    return len(questions)


__all__ = [
    "FormatError",
    "QuestionImportResult",
    "citation_resolve",
    "paper_check",
    "paper_validate_rules",
    "question_save",
    "questions_flag_for_review",
    "questions_import",
]
