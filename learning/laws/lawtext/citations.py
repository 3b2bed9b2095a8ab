"""Find article citations (法条引用) in plain text, e.g. 《民法典》第一千零四十三条第二款.

A citation is a law name — any 《…》 title, or a bare name from the caller's list
(民法典, 宪法, …; longest first) — directly followed by 第X条, optionally 之N and 第Y款.
A list such as 第十条、第十一条 or 第十条第一款、第二款 continues the citation: each item
inherits the law (and, for a bare 第Y款, the article). Mapping names to laws is the caller's job.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from learning.laws.lawtext.numerals import NUMERAL_CHARS, NumeralError, cn_to_int

__all__ = ["Citation", "find_citations", "parse_citation_query"]

_NUM = rf"[0-9０-９{NUMERAL_CHARS}]+"
_SEPARATORS = r"、|以及|或者|和|及|或|至|到"


def _article(p: str = "") -> str:
    """第X条(之N)(第Y款) with named groups prefixed by ``p``."""
    return (
        rf"第\s*(?P<{p}num>{_NUM})\s*条(?:之(?P<{p}suf>{_NUM}))?"
        rf"(?:\s*第\s*(?P<{p}para>{_NUM})\s*款)?"
    )


_TITLE = r"《(?P<title>[^《》\n]{1,80})》"
_NEXT_RE = re.compile(
    rf"\s*(?:{_SEPARATORS})\s*(?P<item>{_article()}|第\s*(?P<onlypara>{_NUM})\s*款)"
)
_QUERY_RE = re.compile(
    rf"^《?(?P<name>[^\s第《》\d]+?)》?\s*(?:第\s*)?(?P<num>{_NUM})\s*条?"
    rf"(?:\s*之\s*(?P<suf>{_NUM}))?(?:\s*第?\s*(?P<para>{_NUM})\s*款)?$"
)


@dataclass(frozen=True)
class Citation:
    """``text[start:end]`` cites article ``article_number`` (之``suffix``) of ``law_name``."""

    start: int
    end: int
    law_name: str
    article_number: int
    suffix: int
    paragraph: int | None  # 款
    text: str


@lru_cache(maxsize=32)
def _lead_re(names: tuple[str, ...]) -> re.Pattern[str]:
    alias = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True) if n)
    name = rf"(?:{_TITLE}|(?P<alias>{alias}))" if alias else _TITLE
    return re.compile(rf"{name}\s*{_article()}")


def _numbers(m: re.Match[str]) -> tuple[int, int, int | None] | None:
    """(article, suffix, paragraph) from a match, or None if a numeral is malformed."""
    try:
        number = cn_to_int(m["num"])
        suffix = cn_to_int(m["suf"]) if m["suf"] else 0
        para = cn_to_int(m["para"]) if m["para"] else None
    except NumeralError:
        return None
    if number < 1 or (m["suf"] and suffix < 1) or (para is not None and para < 1):
        return None
    return number, suffix, para


def find_citations(text: str, law_names: Iterable[str] | None = None) -> list[Citation]:
    """All citations in ``text``, in order; ``law_names`` are bare names to recognise."""
    found: list[Citation] = []
    lead_re = _lead_re(tuple(sorted(set(law_names or ()))))
    pos = 0
    while m := lead_re.search(text, pos):
        numbers = _numbers(m)
        if numbers is None:
            pos = m.start() + 1
            continue
        law = (m["title"] or m["alias"]).strip()
        found.append(Citation(m.start(), m.end(), law, *numbers, m[0]))
        pos = m.end()
        article = numbers
        while nxt := _NEXT_RE.match(text, pos):
            start = nxt.start("item")
            if nxt["onlypara"]:
                try:
                    para = cn_to_int(nxt["onlypara"])
                except NumeralError:
                    break
                numbers = (article[0], article[1], para)
            else:
                numbers = _numbers(nxt)
                if numbers is None:
                    break
                article = numbers
            found.append(Citation(start, nxt.end(), law, *numbers, text[start : nxt.end()]))
            pos = nxt.end()
    return found


def parse_citation_query(query: str) -> Citation | None:
    """A search-box query naming one article: '民法典1043', '民法典第一千零四十三条',
    '宪法第27条', '《民法典》第1043条第2款'; None if the query is not of that form."""
    stripped = query.strip()
    m = _QUERY_RE.match(stripped)
    if not m:
        return None
    numbers = _numbers(m)
    if numbers is None:
        return None
    start = len(query) - len(query.lstrip())
    return Citation(start, start + len(stripped), m["name"], *numbers, stripped)
