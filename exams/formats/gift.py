"""Moodle GIFT text format import and export.

Supported: ``::title::`` (ignored), ``[html]``/``[plain]``… text prefixes, ``{=right ~wrong}``
(single choice), ``{~%50%a ~%50%b ~%-100%c}`` (multiple choice), ``{T}``/``{F}``/``{TRUE}``/
``{FALSE}``, ``{=a =b}`` (short answer → fill), ``####general feedback``, ``#feedback``
(dropped), ``$CATEGORY: path`` (→ tag), ``//`` comment lines with ``[tag:…]`` and the escapes
``\\~ \\= \\# \\{ \\} \\: \\n \\\\``. Questions are separated by blank lines.
"""

from __future__ import annotations

import re

from exams.formats import (
    TRUE_FALSE_OPTIONS,
    ExportResult,
    ImportErrorRow,
    QuestionData,
    decode_text,
    meta_tags,
    split_meta_tags,
)
from exams.formats.moodle_xml import _category_tag, _fraction, html_to_text

# Escaped characters become private-use placeholders while parsing.
_ESCAPES = {"\\": "\ue000", "~": "\ue001", "=": "\ue002", "#": "\ue003", "{": "\ue004", "}": "\ue005", ":": "\ue006", "n": "\ue007"}  # fmt: skip
_RESTORE = {v: ("\n" if k == "n" else k) for k, v in _ESCAPES.items()}


def _protect(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m[1], m[0]), text)


def _restore(text: str) -> str:
    return "".join(_RESTORE.get(ch, ch) for ch in text).strip()


def _blocks(text: str):
    """Yield (first line number, lines, comment lines) per blank-line-separated block."""
    lines, comments, start = [], [], 0
    for number, line in enumerate(text.split("\n") + [""], 1):
        stripped = line.strip()
        if not stripped:
            if lines:
                yield start, lines, comments
            if lines or comments:
                lines, comments = [], []
            continue
        if stripped.startswith("//"):
            comments.append(stripped)
            continue
        if not lines:
            start = number
        lines.append(_protect(stripped))


def read_gift(data: bytes) -> tuple[list[QuestionData], list[ImportErrorRow]]:
    """Parse GIFT text (UTF-8 or GB18030)."""
    questions, errors = [], []
    category = None
    for line, lines, comments in _blocks(decode_text(data)):
        if lines[0].startswith("$CATEGORY:"):
            category = _category_tag(_restore(lines[0][len("$CATEGORY:") :]))
            lines = lines[1:]
            line += 1
            if not lines:
                continue
        tags = re.findall(r"\[tag:((?:\\\]|[^\]<>`\x00-\x1f])+)\]", "\n".join(comments))
        tags = [t.replace("\\]", "]") for t in tags]
        question, msgs = _read_question("\n".join(lines), line, tags)
        if question and category and category not in question.tags:
            question.tags.append(category)
        errors += [ImportErrorRow(line, m) for m in msgs]
        if question and not msgs:
            questions.append(question)
    return questions, errors


def _read_question(
    text: str, line: int, raw_tags: list[str]
) -> tuple[QuestionData | None, list[str]]:
    if text.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            return None, ["标题缺少结尾的“::”"]
        text = text[end + 2 :].lstrip()
    markup = re.match(r"\[(html|moodle|plain|markdown)\]", text)
    if markup:
        text = text[markup.end() :]
    start = text.find("{")
    if start < 0:
        return None, ["缺少答案块“{…}”（不支持说明类题目）"]
    end = text.find("}", start)
    if end < 0:
        return None, ["答案块缺少结尾的“}”"]
    if "{" in text[end:]:
        return None, ["一道题只能有一个答案块"]
    before, inner, after = text[:start].strip(), text[start + 1 : end], text[end + 1 :].strip()
    stem = _restore(f"{before}_____{after}" if after else before)
    if markup and markup[1] == "html":
        stem = html_to_text(stem)
    inner, _, general = inner.rpartition("####") if "####" in inner else (inner, "", "")
    tags, difficulty, citations, errs = split_meta_tags([_restore(t) for t in raw_tags])
    q = QuestionData(
        type="",
        stem=stem,
        explanation=_restore(general),
        difficulty=difficulty or 2,
        tags=tags,
        citations=citations,
        source_line=line,
    )
    errs += _read_answers(q, inner.strip())
    return q, errs


def _read_answers(q: QuestionData, inner: str) -> list[str]:
    if not inner:
        return ["不支持问答题（空答案块）"]
    if inner.startswith("#"):
        return ["不支持数值题"]
    if "~" not in inner:  # Moodle's order: multichoice, matching, true/false, short answer
        if "->" in inner:
            return ["不支持配对题"]
        truth = re.fullmatch(r"(TRUE|FALSE|T|F)\s*(#.*)?", inner, re.S | re.I)
        if truth:
            q.type, q.options = "truefalse", list(TRUE_FALSE_OPTIONS)
            q.answer = ["A" if truth[1].upper().startswith("T") else "B"]
            return []
    if inner[0] not in "=~":  # leading text is an answer, as in Moodle
        inner = ("~" if "~" in inner else "=") + inner
    answers = []
    for token in re.split(r"(?=[=~])", inner):
        if not token:
            continue
        body = token[1:]
        weight_match = re.match(r"\s*%(-?\d+(?:\.\d+)?)%", body)
        weight = float(weight_match[1]) if weight_match else (100.0 if token[0] == "=" else 0.0)
        if weight_match:
            body = body[weight_match.end() :]
        answers.append((token[0], _restore(body.split("#", 1)[0]), weight))
    if all(marker == "=" for marker, _, _ in answers):
        q.type = "fill"
        q.answer = [text for _, text, weight in answers if weight >= 99.9]
        return []
    # Moodle's rule: any "=" answer makes it single choice, otherwise multiple answers.
    single = any(marker == "=" for marker, _, _ in answers)
    q.type = "single" if single else "multiple"
    keys = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    q.options = [(keys[i], text) for i, (_, text, _) in enumerate(answers[: len(keys)])]
    q.answer = [
        key
        for (key, _), (marker, _, weight) in zip(q.options, answers, strict=False)
        if (marker == "=" if single else weight > 0)
    ]
    return []


# ---------------------------------------------------------------- writing


def escape(text: str) -> str:
    """Escape GIFT's special characters (and newlines as ``\\n``)."""
    text = text.replace("\\", "\\\\")
    for ch in "~=#{}:":
        text = text.replace(ch, "\\" + ch)
    return text.replace("\r\n", "\n").replace("\n", "\\n")


def write_gift(questions: list[QuestionData]) -> ExportResult:
    """GIFT text, UTF-8; tags, 难度 and 法条 go into a ``// [tag:…]`` comment line."""
    chunks = []
    for q in questions:
        tags = " ".join("[tag:" + t.replace("]", "\\]") + "]" for t in meta_tags(q))
        lines = [f"// {tags}", escape(q.stem) + "{"]
        if q.type == "truefalse":
            lines.append("\tTRUE" if q.answer == ["A"] else "\tFALSE")
        elif q.type == "fill":
            lines += [f"\t={escape(a)}" for a in q.answer]
        elif q.type == "single":
            lines += [f"\t{'=' if k in q.answer else '~'}{escape(t)}" for k, t in q.options]
        else:
            right, wrong = len(q.answer), len(q.options) - len(q.answer)
            for key, text in q.options:
                weight = 100 / right if key in q.answer else -100 / wrong
                lines.append(f"\t~%{_fraction(weight)}%{escape(text)}")
        if q.explanation:
            lines.append(f"\t####{escape(q.explanation)}")
        lines.append("}")
        chunks.append("\n".join(lines))
    return ExportResult(("\n\n".join(chunks) + "\n").encode("utf-8"))
