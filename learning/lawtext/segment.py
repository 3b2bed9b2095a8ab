"""Chinese word segmentation for the article search index (分词), with jieba.

FTS5's default tokenizer and PostgreSQL's parsers treat a run of Chinese characters as one
token, so the index is fed pre-segmented text: space-separated tokens that both of them split
on spaces only. An indexed text gives

- jieba's search-mode words (``cut_for_search``: 居住权 gives 居住 and 居住权), and
- every distinct Chinese character once (unigrams), so a one-character query finds articles
  whatever jieba made of the word around it.

A query becomes groups of alternatives that must all match (see ``query_terms``).
"""

from __future__ import annotations

import logging
import re
import threading

__all__ = ["index_tokens", "query_terms", "words"]

_TOKEN_RE = re.compile(r"[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_lock = threading.Lock()
_jieba = None


def _get_jieba():
    global _jieba
    if _jieba is None:
        with _lock:
            if _jieba is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _jieba = jieba
    return _jieba


def _clean(tokens) -> list[str]:
    out = []
    for token in tokens:
        out.extend(_TOKEN_RE.findall(token))
    return out


def words(text: str) -> list[str]:
    """jieba's precise-mode words of ``text`` (punctuation dropped)."""
    return _clean(_get_jieba().cut(text or ""))


def index_tokens(*texts: str, unigrams: bool = True, whole: bool = False) -> str:
    """Space-separated index tokens of ``texts``.

    ``whole``: also index each text as one token (for names: 离婚冷静期 matches as a whole).
    """
    jieba = _get_jieba()
    tokens: list[str] = []
    chars: dict[str, None] = {}
    for text in texts:
        if not text:
            continue
        if whole:
            tokens.extend(_TOKEN_RE.findall(text))
        tokens.extend(_clean(jieba.cut_for_search(text)))
        if unigrams:
            chars.update(dict.fromkeys(_CJK_RE.findall(text)))
    return " ".join([*tokens, *(c for c in chars if c not in tokens)])


def query_terms(query: str) -> tuple[list[str], list[list[str]]]:
    """(whole tokens, groups): ``whole`` are the query's runs of characters, to match an
    everyday name or a heading as one token; every group in ``groups`` must match one of its
    alternatives — a jieba word, or for a one-character word that character."""
    whole = _TOKEN_RE.findall(query or "")
    groups = [[w] for w in words(query)]
    return whole, groups
