"""Parser for LawRefBook markdown law texts (法律文本 markdown).

A file is ``# 标题``, an optional ``# 分编标题`` (a part of a code, e.g. the Civil Code's 物权编),
date lines, ``<!-- INFO END -->``, then ``##``.. headings for 编/分编/章/节 and paragraphs; a
paragraph that starts ``第X条`` followed by a space begins an article (条) and the paragraphs
after it, up to the next article or heading, are its 款/项. HTML comments are layout hints and
are dropped. ``## 序言`` (the Constitution's preamble) collects paragraphs into ``preamble``.

Amendment documents (修正案) number their articles across documents (the 1993 amendment
starts at 第三条) and quote whole new articles of the amended law; in them only the next
consecutive number starts an article, and any other ``第X条`` paragraph is quoted text that
belongs to the current amendment article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from learning.laws.lawtext.numerals import (
    NUMERAL_CHARS,
    NumeralError,
    article_label,
    cn_to_int,
    int_to_cn,
    parse_article_label,
)

__all__ = [
    "LawParseError",
    "ParsedArticle",
    "ParsedLaw",
    "ParsedSection",
    "parse_heading",
    "parse_law_file",
    "parse_law_folder",
    "parse_law_text",
]

SKIPPED_FILES = {"_index.md", "readme.md"}
_NUM = "[0-9" + NUMERAL_CHARS + "]+"
_ARTICLE_RE = re.compile(rf"^第(?P<label>{_NUM}条(?:之{_NUM})?)(?:[\s\u3000]+(?P<rest>.*))?$")
_BOLD_ARTICLE_RE = re.compile(r"^\*\*(第[^*\s]+?条(?:之[^*\s]+)?)\*\*[\s\u3000]*(.*)$")
_HEADING_RE = re.compile(r"^(#{1,6})(?:[\s\u3000]+(.*))?$")
_H1_RE = re.compile(r"^#[\s\u3000]+(\S.*)$")
_SECTION_RE = re.compile(rf"^第(?P<num>{_NUM})(?P<kind>分编|编|章|节)[\s\u3000]*(?P<title>.*)$")
_COMMENT_RE = re.compile(r"<!--(.*?)-->", re.S)
_DATE_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_FILE_DATE_RE = re.compile(r"[(（](\d{4}-\d{2}-\d{2})[)）]")
_CJK = r"\u3001-\u303f\u4e00-\u9fff\uff01-\uff5e"
_CJK_SPACE_RE = re.compile(rf"(?<=[{_CJK}])[\s\u3000]+(?=[{_CJK}])")
_INFO_END = "\x00"
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))  # zero-width marks


class LawParseError(ValueError):
    """Malformed law text (法律文本格式错误); ``str()`` names the file and line."""

    def __init__(self, file: str, line: int, message: str):
        super().__init__(f"{file}:{line}: {message}")
        self.file, self.line, self.message = file, line, message


@dataclass
class ParsedSection:
    """A heading: 编 / 分编 / 章 / 节 (``kind`` is "" for an unnumbered heading)."""

    level: int  # markdown heading level; a part title (# 物权编) is level 1
    kind: str
    number: int | None
    title: str  # "总则"
    label: str  # "第一章 总则"
    parent: int | None  # index into ParsedLaw.sections
    position: int  # 0-based order among the parent's child sections
    line: int
    source: str = ""


@dataclass
class ParsedArticle:
    """An article (条): ``paragraphs`` are its 款 (and 项 lines) in order."""

    number: int
    suffix: int
    label: str  # canonical, e.g. "第二十条之一"
    paragraphs: list[str]
    section: int | None  # innermost section, index into ParsedLaw.sections
    line: int
    source: str = ""

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass
class ParsedLaw:
    """One law (法律) as read from markdown files or from laws.db."""

    title: str
    part_title: str | None = None
    dates: list[str] = field(default_factory=list)  # the header's date lines, as written
    preamble: list[str] = field(default_factory=list)  # 序言 paragraphs
    sections: list[ParsedSection] = field(default_factory=list)
    articles: list[ParsedArticle] = field(default_factory=list)
    source: str = ""
    version_date: str | None = None  # ISO date of this text's version (版本日期)
    effective_date: str | None = None  # ISO date this version came into force (施行), if stated
    category: str | None = None  # legal branch (法律部门), e.g. the folder name 社会法
    is_amendment: bool = False  # 修正案
    status: str | None = None  # laws.db only: 现行有效, 已被修改, ...

    @property
    def short_title(self) -> str:
        """Title without the 中华人民共和国 prefix: 民法典, 宪法修正案（2004年）."""
        return self.title.removeprefix("中华人民共和国") or self.title


def _squeeze(text: str) -> str:
    """Drop typographic spaces between CJK characters: '总 则' -> '总则'."""
    return _CJK_SPACE_RE.sub("", text.strip())


def parse_heading(text: str) -> tuple[str, int | None, str, str]:
    """'第一章  基本规定' -> ('章', 1, '基本规定', '第一章 基本规定'); NumeralError if bad."""
    m = _SECTION_RE.match(text.strip())
    if not m:
        text = _squeeze(text)
        return "", None, text, text
    number = cn_to_int(m["num"])
    if number < 1:
        raise NumeralError(f"序号必须从一开始：{text!r}")
    title = _squeeze(m["title"])
    head = f"第{int_to_cn(number)}{m['kind']}"
    return m["kind"], number, title, f"{head} {title}" if title else head


def _iso_dates(line: str) -> list[str]:
    return [f"{y}-{int(mo):02d}-{int(d):02d}" for y, mo, d in _DATE_RE.findall(line)]


def _strip_comments(text: str) -> str:
    def repl(m: re.Match) -> str:
        return (_INFO_END if "INFO END" in m[1] else "") + "\n" * m[0].count("\n")

    return _COMMENT_RE.sub(repl, text)


class _Parser:
    def __init__(self, source: str):
        self.src = source
        self.law = ParsedLaw(title="", source=source)
        self.stack: list[int] = []  # open section indices, outermost first
        self.children: dict[int | None, int] = {}
        self.article: ParsedArticle | None = None
        self.in_preamble = False

    def error(self, line: int, message: str) -> LawParseError:
        return LawParseError(self.src, line, message)

    def add_section(self, level: int, text: str, lineno: int, *, kind: str = "") -> None:
        try:
            got_kind, number, title, label = parse_heading(text)
        except NumeralError as exc:
            raise self.error(lineno, f"标题序号无法识别：{text}（{exc}）") from None
        secs = self.law.sections
        while self.stack and secs[self.stack[-1]].level >= level:
            self.stack.pop()
        parent = self.stack[-1] if self.stack else None
        position = self.children.get(parent, 0)
        self.children[parent] = position + 1
        kind = got_kind or kind
        secs.append(
            ParsedSection(level, kind, number, title, label, parent, position, lineno, self.src)
        )
        self.stack.append(len(secs) - 1)
        self.article, self.in_preamble = None, False

    def try_article(self, text: str, lineno: int) -> bool:
        bold = _BOLD_ARTICLE_RE.match(text)
        if bold:
            text = f"{bold[1]} {bold[2]}".strip()
        m = _ARTICLE_RE.match(text)
        if not m:
            return False
        try:
            number, suffix = parse_article_label(m["label"])
        except NumeralError as exc:
            raise self.error(lineno, f"条文序号无法识别：第{m['label']}（{exc}）") from None
        arts = self.law.articles
        prev = (arts[-1].number, arts[-1].suffix) if arts else None
        if self.law.is_amendment and prev and (number, suffix) != (prev[0] + 1, 0):
            return False  # a quoted article of the amended law, not an amendment article
        if prev:
            label = f"第{m['label']}"
            if (number, suffix) == prev:
                raise self.error(lineno, f"条文序号重复：{label}")
            if (number, suffix) < prev:
                raise self.error(lineno, f"条文序号顺序错误：{arts[-1].label}之后出现{label}")
            if (number, suffix) not in ((prev[0] + 1, 0), (prev[0], prev[1] + 1)):
                raise self.error(lineno, f"条文序号不连续：{arts[-1].label}之后是{label}")
        section = self.stack[-1] if self.stack else None
        paragraphs = [m["rest"].strip()] if m["rest"] and m["rest"].strip() else []
        self.article = ParsedArticle(
            number, suffix, article_label(number, suffix), paragraphs, section, lineno, self.src
        )
        arts.append(self.article)
        self.in_preamble = False
        return True

    def body_line(self, text: str, lineno: int) -> None:
        heading = _HEADING_RE.match(text)
        if heading:
            title = (heading[2] or "").strip()
            if not title:
                return  # an empty "##" (the Civil Code's 附则 file has one)
            if _squeeze(title) == "序言":
                self.article, self.in_preamble = None, True
                return
            self.add_section(len(heading[1]), title, lineno)
            return
        if self.try_article(text, lineno):
            return
        if self.article is not None:
            self.article.paragraphs.append(text)
        elif self.in_preamble or not (self.law.sections or self.law.articles):
            self.law.preamble.append(text)
        else:
            raise self.error(lineno, f"段落不属于任何条文：{text[:20]}")

    def parse(self, text: str) -> ParsedLaw:
        law = self.law
        lines = _strip_comments(text.lstrip("\ufeff").replace("\r\n", "\n")).split("\n")
        has_info_end = any(_INFO_END in line for line in lines)
        in_header = True
        for lineno, raw in enumerate(lines, 1):
            if _INFO_END in raw:
                in_header = False
            line = raw.replace(_INFO_END, "").translate(_INVISIBLE).strip()
            if not line:
                continue
            h1 = _H1_RE.match(line)
            if not law.title:
                if not h1:
                    raise self.error(lineno, "缺少标题：第一行应为“# 法律名称”")
                law.title = _squeeze(h1[1])
                law.is_amendment = "修正案" in law.title
                continue
            part = h1 is not None and law.part_title is None and not law.dates
            if in_header and not has_info_end and not part and not _DATE_RE.match(line):
                in_header = False  # no INFO END: the header is the title and date lines
            if in_header:
                if part:
                    law.part_title = _squeeze(h1[1])
                    self.add_section(1, law.part_title, lineno, kind="编")
                else:
                    law.dates.append(line)
                continue
            self.body_line(line, lineno)
        if not law.title:
            raise self.error(1, "缺少标题：文件为空")
        for art in law.articles:
            if not art.paragraphs:
                raise self.error(art.line, f"{art.label}没有内容")
        # version: the file name's (YYYY-MM-DD), else the latest adoption/amendment date;
        # in force: the last "…施行" date, unless it is older than the version (宪法 1982)
        in_force = [d for line in law.dates if "施行" in line for d in _iso_dates(line)]
        passed = [d for line in law.dates if "施行" not in line for d in _iso_dates(line)]
        file_date = _FILE_DATE_RE.search(Path(self.src).name)
        law.version_date = file_date[1] if file_date else max(passed or in_force, default=None)
        if in_force and (law.version_date is None or in_force[-1] >= law.version_date):
            law.effective_date = in_force[-1]
        return law


def parse_law_text(text: str, source: str = "<text>") -> ParsedLaw:
    """Parse one LawRefBook markdown text; ``source`` names it in errors."""
    return _Parser(source).parse(text)


def parse_law_file(path: str | Path) -> ParsedLaw:
    """Parse one markdown file; ``category`` is its folder's name (e.g. 社会法)."""
    path = Path(path)
    law = parse_law_text(path.read_text(encoding="utf-8"), source=str(path))
    law.category = path.parent.name or None
    return law


def _merge(laws: list[ParsedLaw], folder: Path) -> ParsedLaw:
    """Join the part files of one code (e.g. 民法典) into one law, parts ordered by article."""
    for law in laws:
        if not law.articles:
            raise LawParseError(law.source, 1, f"分编文件没有条文：{law.title}")
        if law.part_title is None:
            raise LawParseError(
                law.source, 1, f"同一法律有多个文件，但此文件没有分编标题：{law.title}"
            )
    laws = sorted(laws, key=lambda law: (law.articles[0].number, law.articles[0].suffix))
    first_part = laws[0]
    merged = ParsedLaw(
        title=first_part.title,
        source=str(folder),
        category=first_part.category,
        is_amendment=first_part.is_amendment,
    )
    numbered = 0
    for law in laws:
        prev = merged.articles[-1] if merged.articles else None
        first = law.articles[0]
        if prev and (first.number, first.suffix) not in (
            (prev.number + 1, 0),
            (prev.number, prev.suffix + 1),
        ):
            raise LawParseError(
                law.source, first.line, f"条文序号不连续：{prev.label}之后是{first.label}"
            )
        offset = len(merged.sections)
        for sec in law.sections:
            if sec.parent is None:
                sec.position = sum(1 for s in merged.sections if s.parent is None)
            else:
                sec.parent += offset
            merged.sections.append(sec)
        for art in law.articles:
            art.section = None if art.section is None else art.section + offset
            merged.articles.append(art)
        part = merged.sections[offset]
        if part.number is None and part.kind == "编" and part.title != "附则":
            numbered += 1
            part.number = numbered
            part.title = part.title.removesuffix("编") or part.title
            part.label = f"第{int_to_cn(numbered)}编 {part.title}"
        merged.dates += [d for d in law.dates if d not in merged.dates]
        merged.preamble += law.preamble
        merged.version_date = merged.version_date or law.version_date
        merged.effective_date = merged.effective_date or law.effective_date
    return merged


def parse_law_folder(path: str | Path) -> list[ParsedLaw]:
    """Parse every ``*.md`` under ``path`` (skipping _index.md and README.md).

    Files in one folder with the same ``# title`` (a code split into parts) become one law.
    """
    root = Path(path)
    groups: dict[tuple[Path, str], list[ParsedLaw]] = {}
    for file in sorted(root.rglob("*.md")):
        if file.name.lower() in SKIPPED_FILES:
            continue
        law = parse_law_file(file)
        groups.setdefault((file.parent, law.title), []).append(law)
    return [
        laws[0] if len(laws) == 1 else _merge(laws, folder) for (folder, _), laws in groups.items()
    ]
