"""Question-bank interchange (题库导入导出): spreadsheet, Moodle XML, GIFT and Aiken.

Pure Python, no Django. Every reader returns all questions it could parse together with
*every* bad row/line; :func:`read_questions` turns any error into one :class:`FormatError`
so that imports stay all-or-nothing, while :func:`parse_questions` lets a caller skip bad rows.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from typing import BinaryIO

TYPES = ("single", "multiple", "truefalse", "fill")
FORMATS = ("xlsx", "csv", "moodle-xml", "gift", "aiken")
OPTION_KEYS = "ABCDEF"
TRUE_FALSE_OPTIONS = [("A", "正确"), ("B", "错误")]
DIFFICULTY_NAMES = {1: "易", 2: "中", 3: "难"}

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_QUESTIONS = 10_000
MAX_STEM = 2000
MAX_OPTION = 500
MAX_EXPLANATION = 5000
MAX_FILL_ANSWER = 200
MAX_TAG = 50
MAX_CITATION = 200

# Pseudo-tags that carry fields the interchange formats lack (Moodle XML, GIFT).
META_DIFFICULTY = "难度:"
META_CITATION = "法条:"


@dataclass
class QuestionData:
    """One question as read from or written to a file (format-neutral)."""

    type: str
    stem: str
    options: list[tuple[str, str]] = field(default_factory=list)
    answer: list[str] = field(default_factory=list)
    explanation: str = ""
    difficulty: int = 2
    tags: list[str] = field(default_factory=list)
    citations: list[str] = field(default_factory=list)
    source_line: int = 0

    def fingerprint(self) -> str:
        """Stable sha256 of type, stem, options and answer (NFKC, whitespace-normalised)."""
        options = [[key, normalize_text(text)] for key, text in self.options]
        if self.type == "fill":
            answer = sorted(normalize_text(a) for a in self.answer)
        else:
            answer = sorted(a.strip().upper() for a in self.answer)
        payload = [self.type, normalize_text(self.stem), options, answer]
        raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ImportErrorRow:
    """A bad row/line (``line`` 0 means the whole file); ``unit`` is 行 or 题."""

    line: int
    message: str
    unit: str = "行"

    def __str__(self) -> str:
        return f"第{self.line}{self.unit}: {self.message}" if self.line else self.message


class FormatError(Exception):
    """Raised with every problem found in a file, one :class:`ImportErrorRow` each."""

    def __init__(self, errors: list[ImportErrorRow]):
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass
class ParseResult:
    """Valid questions plus the errors of the rows that were left out."""

    questions: list[QuestionData]
    errors: list[ImportErrorRow]


@dataclass(frozen=True)
class SkippedQuestion:
    """A question an export could not represent (``index`` is 1-based)."""

    index: int
    question: QuestionData
    reason: str


@dataclass
class ExportResult:
    data: bytes
    skipped: list[SkippedQuestion] = field(default_factory=list)


def normalize_text(text: str) -> str:
    """NFKC and collapse runs of whitespace to one space."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text or "")).strip()


def decode_text(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), falling back to GB18030 (Chinese Excel/Notepad)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise FormatError([ImportErrorRow(0, "文件编码无法识别，请另存为UTF-8")]) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_meta_tags(tags: list[str]) -> tuple[list[str], int | None, list[str], list[str]]:
    """Split 难度:/法条: pseudo-tags off: (tags, difficulty, citations, error messages)."""
    plain, citations, errors = [], [], []
    difficulty = None
    for tag in tags:
        tag = tag.strip()
        norm = tag.replace("：", ":")
        if norm.startswith(META_DIFFICULTY):
            difficulty = parse_difficulty(norm[len(META_DIFFICULTY) :])
            if difficulty is None:
                errors.append(f"难度“{norm[len(META_DIFFICULTY) :]}”无效，应为易/中/难或1/2/3")
        elif norm.startswith(META_CITATION):
            citations.append(norm[len(META_CITATION) :].strip())
        elif tag:
            plain.append(tag)
    return plain, difficulty, citations, errors


def meta_tags(q: QuestionData) -> list[str]:
    """Tags plus 难度:/法条: pseudo-tags, for formats without those fields."""
    extra = [f"{META_DIFFICULTY}{DIFFICULTY_NAMES.get(q.difficulty, q.difficulty)}"]
    return list(q.tags) + extra + [f"{META_CITATION}{c}" for c in q.citations]


_DIFFICULTY_WORDS = {
    **dict.fromkeys(("1", "易", "简单", "容易", "easy"), 1),
    **dict.fromkeys(("2", "中", "中等", "一般", "medium"), 2),
    **dict.fromkeys(("3", "难", "困难", "较难", "hard"), 3),
}


def parse_difficulty(value: str) -> int | None:
    """易/中/难 or 1/2/3 (empty means 2); None when unknown."""
    value = unicodedata.normalize("NFKC", str(value)).strip().lower()
    if value in ("", "2.0"):
        return 2
    if value in ("1.0", "3.0"):
        value = value[0]
    return _DIFFICULTY_WORDS.get(value)


def validate_question(q: QuestionData) -> list[str]:
    """Semantic checks shared by every format; returns Chinese messages."""
    errs: list[str] = []
    if q.type not in TYPES:
        return [f"未知题型“{q.type}”"]
    if not q.stem.strip():
        errs.append("题干为空")
    elif len(q.stem) > MAX_STEM:
        errs.append(f"题干过长（{len(q.stem)}字，最多{MAX_STEM}字）")
    if q.difficulty not in DIFFICULTY_NAMES:
        errs.append(f"难度“{q.difficulty}”无效，应为易/中/难或1/2/3")
    if len(q.explanation) > MAX_EXPLANATION:
        errs.append(f"解析过长（{len(q.explanation)}字，最多{MAX_EXPLANATION}字）")
    errs += [f"标签“{t[:20]}…”过长（最多{MAX_TAG}字）" for t in q.tags if len(t) > MAX_TAG]
    errs += [f"法条“{c[:20]}…”过长" for c in q.citations if len(c) > MAX_CITATION]
    if q.type == "fill":
        if q.options:
            errs.append("填空题不应有选项")
        if not [a for a in q.answer if a.strip()]:
            errs.append("缺少答案")
        errs += [f"答案“{a[:20]}…”过长" for a in q.answer if len(a) > MAX_FILL_ANSWER]
        return errs
    keys = [k for k, _ in q.options]
    if q.type == "truefalse":
        if [(k, t.strip()) for k, t in q.options] != TRUE_FALSE_OPTIONS:
            errs.append("判断题的选项必须是“正确”“错误”")
    else:
        errs += _check_options(q.options)
    if not q.answer:
        errs.append("缺少答案")
    for key in q.answer:
        if key not in keys:
            errs.append(f"答案“{key}”不在选项中")
    if len(set(q.answer)) != len(q.answer):
        errs.append("答案重复")
    if q.type in ("single", "truefalse") and len(q.answer) > 1:
        errs.append(f"单选题只能有一个答案，实际为“{''.join(q.answer)}”")
    if q.type == "multiple" and len(q.answer) == 1:
        errs.append("多选题至少需要两个正确答案")
    return errs


def _check_options(options: list[tuple[str, str]]) -> list[str]:
    errs = []
    if len(options) < 2:
        errs.append("选项少于2个")
    if len(options) > len(OPTION_KEYS):
        errs.append(f"选项超过{len(OPTION_KEYS)}个（最多A–F）")
    for i, (key, text) in enumerate(options[: len(OPTION_KEYS)]):
        if key != OPTION_KEYS[i]:
            errs.append(f"选项不连续：缺少选项{OPTION_KEYS[i]}")
            break
        if not text.strip():
            errs.append(f"选项{key}为空")
        elif len(text) > MAX_OPTION:
            errs.append(f"选项{key}过长（{len(text)}字，最多{MAX_OPTION}字）")
    return errs


def check_questions(
    questions: list[QuestionData], errors: list[ImportErrorRow], unit: str = "行"
) -> ParseResult:
    """Validate parsed questions, drop bad ones and in-file duplicates, sort all errors."""
    bad_lines = {e.line for e in errors}
    good: list[QuestionData] = []
    errors = list(errors)
    seen: dict[str, int] = {}
    for q in questions:
        msgs = validate_question(q)
        if not msgs:
            fp = q.fingerprint()
            if fp in seen:
                msgs = [f"与第{seen[fp]}{unit}的题目重复"]
            else:
                seen[fp] = q.source_line
        errors += [ImportErrorRow(q.source_line, m, unit) for m in msgs]
        if not msgs and q.source_line not in bad_lines:
            good.append(q)
    if len(questions) > MAX_QUESTIONS:
        errors.append(ImportErrorRow(0, f"题目过多（{len(questions)}题，最多{MAX_QUESTIONS}题）"))
    errors.sort(key=lambda e: e.line)
    return ParseResult(good, errors)


_EXTENSIONS = {
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".csv": "csv",
    ".xml": "moodle-xml",
    ".gift": "gift",
    ".aiken": "aiken",
}


def detect_format(filename: str, head_bytes: bytes) -> str:
    """Guess the format from the file name, then from the first bytes."""
    if head_bytes.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head_bytes.startswith(b"\xd0\xcf\x11\xe0"):
        raise FormatError([ImportErrorRow(0, "不支持旧版Excel(.xls)文件，请另存为.xlsx")])
    ext = os.path.splitext(filename or "")[1].lower()
    if ext in _EXTENSIONS:
        return _EXTENSIONS[ext]
    try:
        text = decode_text(head_bytes)
    except FormatError:
        text = head_bytes.decode("utf-8", "ignore")
    stripped = text.lstrip()
    first_line = stripped.split("\n", 1)[0]
    if stripped.startswith("<"):
        return "moodle-xml"
    if "题型" in first_line and "题干" in first_line:
        return "csv"
    if re.search(r"^\s*ANSWER\s*[:：]", text, re.M | re.I) and "{" not in text:
        return "aiken"
    if "{" in text or "$CATEGORY" in text:
        return "gift"
    raise FormatError(
        [ImportErrorRow(0, "无法识别文件格式（支持xlsx、csv、Moodle XML、GIFT、Aiken）")]
    )


def _codec(fmt: str):
    """(reader, writer) for a format; modules are imported lazily."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")
    module, name = {
        "xlsx": ("table", "xlsx"),
        "csv": ("table", "csv"),
        "moodle-xml": ("moodle_xml", "moodle_xml"),
    }.get(fmt, (fmt, fmt))
    mod = importlib.import_module(f"{__name__}.{module}")
    return getattr(mod, f"read_{name}"), getattr(mod, f"write_{name}")


def _too_large() -> FormatError:
    limit = MAX_FILE_BYTES // 1024 // 1024
    return FormatError([ImportErrorRow(0, f"文件过大（最多{limit}MB）")])


def _load(source: str | os.PathLike | bytes | BinaryIO) -> tuple[bytes, str]:
    if isinstance(source, bytes | bytearray):
        data, name = bytes(source), ""
    elif hasattr(source, "read"):
        data, name = source.read(MAX_FILE_BYTES + 1), str(getattr(source, "name", "") or "")
    else:
        if os.path.getsize(source) > MAX_FILE_BYTES:
            raise _too_large()
        with open(source, "rb") as fh:
            data, name = fh.read(), str(source)
    if len(data) > MAX_FILE_BYTES:
        raise _too_large()
    return data, name


def parse_questions(
    source: str | os.PathLike | bytes | BinaryIO, fmt: str | None = None, filename: str = ""
) -> ParseResult:
    """Read a file and return the valid questions and every error (for "skip bad rows").

    ``source`` is a path, bytes or a binary file object (e.g. a Django upload); the format
    is detected from ``filename`` (or the path) and the first bytes unless ``fmt`` is given.
    """
    try:
        data, name = _load(source)
        fmt = fmt or detect_format(filename or name, data[:8192])
        questions, errors = _codec(fmt)[0](data)
    except FormatError as exc:
        return ParseResult([], exc.errors)
    return check_questions(questions, errors)


def read_questions(
    path_or_bytes: str | os.PathLike | bytes | BinaryIO, fmt: str | None = None
) -> list[QuestionData]:
    """Read a question file; raise :class:`FormatError` listing every bad row if any."""
    result = parse_questions(path_or_bytes, fmt)
    if result.errors:
        raise FormatError(result.errors)
    if not result.questions:
        raise FormatError([ImportErrorRow(0, "文件中没有题目")])
    return result.questions


def export_questions(questions: list[QuestionData], fmt: str) -> ExportResult:
    """Export, reporting (not raising) questions the format cannot hold or that are invalid."""
    writer = _codec(fmt)[1]
    skipped, ok, index = [], [], []
    for i, q in enumerate(questions, 1):
        msgs = validate_question(q)
        if msgs:
            skipped.append(SkippedQuestion(i, q, "；".join(msgs)))
        else:
            ok.append(q)
            index.append(i)
    result = writer(ok)
    skipped += [SkippedQuestion(index[s.index - 1], s.question, s.reason) for s in result.skipped]
    result.skipped = sorted(skipped, key=lambda s: s.index)
    return result


def write_questions(
    questions: list[QuestionData], fmt: str, *, skip_unsupported: bool = False
) -> bytes:
    """Export to bytes; if a question cannot be written, raise :class:`FormatError`
    (errors numbered 第N题) unless ``skip_unsupported`` — use :func:`export_questions`
    to get the bytes *and* the list of skipped questions."""
    result = export_questions(questions, fmt)
    if result.skipped and not skip_unsupported:
        raise FormatError([ImportErrorRow(s.index, s.reason, "题") for s in result.skipped])
    return result.data
