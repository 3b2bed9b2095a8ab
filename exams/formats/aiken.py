"""Aiken text format: single-choice questions only.

::

    题干（可以多行）
    A. 选项      (also ``A)``, ``A．``, ``A、``)
    B. 选项
    ANSWER: B

Export skips every other type and reports it in :attr:`ExportResult.skipped`.
"""

from __future__ import annotations

import re

from exams.formats import (
    OPTION_KEYS,
    ExportResult,
    ImportErrorRow,
    QuestionData,
    SkippedQuestion,
    decode_text,
)

_OPTION = re.compile(r"^([A-Z])\s*[.)．）、]\s*(.*)$")
_ANSWER = re.compile(r"^ANSWER\s*[:：]\s*(.*)$", re.I)
_SINGLE_ONLY = "Aiken格式只支持单选题"


def read_aiken(data: bytes) -> tuple[list[QuestionData], list[ImportErrorRow]]:
    """Parse Aiken text (UTF-8 or GB18030); a question ends at its ANSWER line."""
    questions: list[QuestionData] = []
    errors: list[ImportErrorRow] = []
    stem: list[str] = []
    options: list[tuple[str, str]] = []
    start, broken = 0, False  # broken: skip the rest of a bad question up to its ANSWER

    for number, raw in enumerate(decode_text(data).split("\n"), 1):
        line = raw.strip()
        answer, option = _ANSWER.match(line), _OPTION.match(line)
        if not line or (broken and not answer):
            continue
        if answer:
            letters = re.sub(r"[\s,，、;；]+", "", answer[1]).upper()
            if broken:
                pass
            elif not stem:
                errors.append(ImportErrorRow(number, "ANSWER行之前缺少题干"))
            elif not options:
                errors.append(ImportErrorRow(start, "缺少选项（应为“A. 选项”格式）"))
            elif len(letters) != 1:
                msg = f"答案“{answer[1]}”无效：{_SINGLE_ONLY}，答案应为一个字母"
                errors.append(ImportErrorRow(number, msg))
            else:
                q = QuestionData("single", "\n".join(stem), options, [letters], source_line=start)
                questions.append(q)
            stem, options, broken = [], [], False
        elif option and stem:
            expected = OPTION_KEYS[len(options)] if len(options) < len(OPTION_KEYS) else None
            if option[1] != expected:
                want = f"应为“{expected}”" if expected else "最多6个选项"
                errors.append(ImportErrorRow(number, f"选项“{option[1]}”顺序错误，{want}"))
                broken = True
            else:
                options.append((option[1], option[2].strip()))
        elif options:
            errors.append(ImportErrorRow(start, "选项后缺少“ANSWER: 字母”行"))
            stem, options, start = [line], [], number
        else:
            if not stem:
                start = number
            stem.append(line)
    if (stem or options) and not broken:
        errors.append(ImportErrorRow(start, "缺少“ANSWER: 字母”行"))
    return questions, errors


def write_aiken(questions: list[QuestionData]) -> ExportResult:
    """Aiken text (UTF-8); non-single-choice questions are skipped and listed."""
    chunks, skipped = [], []
    for index, q in enumerate(questions, 1):
        if q.type != "single":
            skipped.append(SkippedQuestion(index, q, f"{_SINGLE_ONLY}，已跳过"))
            continue
        lines = [_one_line(q.stem)]
        lines += [f"{key}. {_one_line(text)}" for key, text in q.options]
        lines.append(f"ANSWER: {q.answer[0]}")
        chunks.append("\n".join(lines))
    data = ("\n\n".join(chunks) + "\n").encode("utf-8") if chunks else b""
    return ExportResult(data, skipped)


def _one_line(text: str) -> str:
    return re.sub(r"\s*\n\s*", " ", text.strip())
