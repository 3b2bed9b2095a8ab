"""Moodle XML (``<quiz><question type="…">``) import and export.

Parsed with defusedxml: entity declarations (billion laughs) and external references are
rejected. Errors carry the line of the ``<question>`` element. 难度 and 法条, which Moodle
lacks, travel as ``难度:难`` / ``法条:…`` tags; a ``<category>`` becomes a tag.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET  # noqa: S405 - only TreeBuilder and the writer
from html.parser import HTMLParser

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from exams.formats import (
    OPTION_KEYS,
    TRUE_FALSE_OPTIONS,
    ExportResult,
    FormatError,
    ImportErrorRow,
    QuestionData,
    meta_tags,
    split_meta_tags,
)

UNSAFE_MESSAGE = "XML文件包含实体定义或外部引用，出于安全原因已拒绝"


class _LineTarget:
    """TreeBuilder target that remembers the line of every ``<question>``."""

    def __init__(self) -> None:
        self.builder = ET.TreeBuilder()
        self.lines: dict[ET.Element, int] = {}
        self.expat = None

    def start(self, tag, attrib):
        element = self.builder.start(tag, attrib)
        if tag == "question":
            self.lines[element] = self.expat.CurrentLineNumber
        return element

    def end(self, tag):
        return self.builder.end(tag)

    def data(self, data):
        self.builder.data(data)

    def close(self):
        return self.builder.close()


def parse_xml(data: bytes) -> tuple[ET.Element, dict[ET.Element, int]]:
    """Safely parse XML bytes; returns the root and the line of each ``<question>``."""
    target = _LineTarget()
    parser = DefusedXMLParser(target=target, forbid_dtd=False)
    target.expat = parser.parser
    try:
        parser.feed(data)
        root = parser.close()
    except DefusedXmlException as exc:
        line = parser.parser.CurrentLineNumber
        raise FormatError([ImportErrorRow(line, UNSAFE_MESSAGE)]) from exc
    except ET.ParseError as exc:
        line, column = exc.position
        raise FormatError([ImportErrorRow(line, f"XML格式错误（第{column}列）")]) from exc
    return root, target.lines


class _TextExtractor(HTMLParser):
    _BLOCKS = {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.hidden += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "img" and dict(attrs).get("alt"):
            self.parts.append(dict(attrs)["alt"])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden = max(0, self.hidden - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(markup: str) -> str:
    """Strip tags, decode entities, keep paragraph and ``<br>`` breaks as newlines."""
    extractor = _TextExtractor()
    extractor.feed(markup)
    extractor.close()
    lines = (line.strip() for line in "".join(extractor.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _text(parent: ET.Element, path: str) -> str:
    node = parent.find(path)
    if node is None:
        return ""
    raw = node.findtext("text") or ""
    if node.get("format", "html") == "html":
        return html_to_text(raw)
    return raw.strip()


def _category_tag(path: str) -> str | None:
    parts = [p.strip() for p in re.split(r"(?<!/)/(?!/)", path) if p.strip()]
    parts = [
        p.replace("//", "/")
        for p in parts
        if not p.startswith("$") and p != "top" and not p.startswith(("Default for", "默认"))
    ]
    return parts[-1] if parts else None


def read_moodle_xml(data: bytes) -> tuple[list[QuestionData], list[ImportErrorRow]]:
    """Parse a Moodle XML question export."""
    root, lines = parse_xml(data)
    if root.tag != "quiz":
        raise FormatError([ImportErrorRow(1, f"根元素应为<quiz>，实际为<{root.tag}>")])
    questions, errors = [], []
    category = None
    for element in root.findall("question"):
        line = lines.get(element, 0)
        qtype = element.get("type", "")
        if qtype == "category":
            category = _category_tag(element.findtext("category/text") or "")
            continue
        question, msgs = _read_question(element, qtype, line)
        if question and category and category not in question.tags:
            question.tags.append(category)
        errors += [ImportErrorRow(line, m) for m in msgs]
        if question and not msgs:
            questions.append(question)
    return questions, errors


def _read_question(el: ET.Element, qtype: str, line: int) -> tuple[QuestionData | None, list[str]]:
    if qtype not in ("multichoice", "truefalse", "shortanswer"):
        return None, [f"不支持的题型“{qtype}”（支持multichoice、truefalse、shortanswer）"]
    errs: list[str] = []
    answers = []
    for node in el.findall("answer"):
        try:
            fraction = float(node.get("fraction", "0"))
        except ValueError:
            errs.append(f"答案分值“{node.get('fraction')}”无效")
            fraction = 0.0
        answers.append((_answer_text(node), fraction))
    tag_texts = [t.findtext("text") or "" for t in el.findall("tags/tag")]
    tags, difficulty, citations, meta_errors = split_meta_tags(tag_texts)
    errs += meta_errors
    q = QuestionData(
        type="",
        stem=_text(el, "questiontext"),
        explanation=_text(el, "generalfeedback"),
        difficulty=difficulty or 2,
        tags=tags,
        citations=citations,
        source_line=line,
    )
    if qtype == "multichoice":
        single = (el.findtext("single") or "true").strip().lower() in ("true", "1")
        if len(answers) > len(OPTION_KEYS):
            errs.append(f"选项超过{len(OPTION_KEYS)}个（最多A–F）")
        q.type = "single" if single else "multiple"
        q.options = list(zip(OPTION_KEYS, (t for t, _ in answers), strict=False))
        right = [(f >= 99.9 if single else f > 0) for _, f in answers]
        q.answer = [k for (k, _), ok in zip(q.options, right, strict=False) if ok]
    elif qtype == "truefalse":
        q.type = "truefalse"
        q.options = list(TRUE_FALSE_OPTIONS)
        right = [t.strip().lower() for t, f in answers if f >= 99.9]
        q.answer = ["A" if r in ("true", "正确", "对") else "B" for r in right]
    else:
        q.type = "fill"
        q.answer = [t for t, f in answers if f >= 99.9 and t]
    return q, errs


def _answer_text(node: ET.Element) -> str:
    raw = node.findtext("text") or ""
    return html_to_text(raw) if node.get("format") == "html" else raw.strip()


# ---------------------------------------------------------------- writing


def _html(text: str) -> str:
    if not text:
        return ""
    return "<p>" + "<br>".join(html.escape(line, quote=False) for line in text.split("\n")) + "</p>"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrib) -> ET.Element:
    node = ET.SubElement(parent, tag, attrib)
    if text is not None:
        ET.SubElement(node, "text").text = text
    return node


def _fraction(value: float) -> str:
    return f"{value:.5f}".rstrip("0").rstrip(".")


def write_moodle_xml(questions: list[QuestionData]) -> ExportResult:
    """Moodle XML: multichoice (single/multi), truefalse and shortanswer (fill)."""
    root = ET.Element("quiz")
    for q in questions:
        moodle_type = {"single": "multichoice", "multiple": "multichoice"}.get(q.type, q.type)
        moodle_type = "shortanswer" if q.type == "fill" else moodle_type
        el = ET.SubElement(root, "question", type=moodle_type)
        name = re.sub(r"\s+", " ", q.stem).strip()
        _sub(el, "name", name[:40] + ("…" if len(name) > 40 else ""))
        _sub(el, "questiontext", _html(q.stem), format="html")
        _sub(el, "generalfeedback", _html(q.explanation), format="html")
        ET.SubElement(el, "defaultgrade").text = "1"
        ET.SubElement(el, "hidden").text = "0"
        if q.type in ("single", "multiple"):
            _write_choices(el, q)
        elif q.type == "truefalse":
            for word, key in (("true", "A"), ("false", "B")):
                fraction = "100" if q.answer == [key] else "0"
                _sub(el, "answer", word, fraction=fraction, format="moodle_auto_format")
        else:
            ET.SubElement(el, "usecase").text = "0"
            for text in q.answer:
                _sub(el, "answer", text, fraction="100", format="moodle_auto_format")
        tags = ET.SubElement(el, "tags")
        for tag in meta_tags(q):
            _sub(tags, "tag", tag)
    ET.indent(root)
    return ExportResult(ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n")


def _write_choices(el: ET.Element, q: QuestionData) -> None:
    single = q.type == "single"
    ET.SubElement(el, "single").text = "true" if single else "false"
    ET.SubElement(el, "shuffleanswers").text = "0"
    ET.SubElement(el, "answernumbering").text = "ABCD"
    right = len(q.answer)
    wrong = len(q.options) - right
    for key, text in q.options:
        if key in q.answer:
            fraction = 100.0 if single else 100.0 / right
        else:
            fraction = 0.0 if single or not wrong else -100.0 / wrong
        _sub(el, "answer", _html(text), fraction=_fraction(fraction), format="html")
