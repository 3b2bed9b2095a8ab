"""Chinese tokens for the article search index (检索分词): overlapping bigrams.

FTS5's default tokenizer and PostgreSQL's parsers treat a run of Chinese characters as one
token, so the index is fed pre-tokenised text: space-separated tokens that both split on spaces
only. A run of Chinese characters becomes its overlapping two-character tokens, in order
(居住权人 → 居住 住权 权人), so any query of two or more characters is a *phrase* of adjacent
tokens that matches exactly where the text contains it; every distinct character is added once
at the end (unigrams), so one-character queries match too. Latin letters and digits stay whole.

Why bigrams rather than word segmentation (jieba): a dictionary segmenter splits the same
characters differently in a text and in a query (建筑物中抛掷 vs 抛掷物品), so some queries
miss articles that contain them verbatim, and segmenting costs most of the import time (jieba
needs about a second to load its dictionary and ~10 µs per character); bigrams are exact,
need no dictionary and cost almost nothing. Ranking stays good because bm25 / ts_rank weight
the names column (law short title, article label, the headings an article opens, everyday
names) above the text.
"""

from __future__ import annotations

import re

__all__ = ["index_tokens", "query_phrases"]

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN_RE = re.compile(rf"[{_CJK}]+|[0-9A-Za-z]+")
_CJK_RE = re.compile(rf"[{_CJK}]")


def _run_tokens(run: str) -> list[str]:
    if not _CJK_RE.match(run):
        return [run.lower()]
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def index_tokens(*texts: str, unigrams: bool = True) -> str:
    """Space-separated index tokens of ``texts``: bigram sequences, then distinct characters."""
    tokens: list[str] = []
    chars: dict[str, None] = {}
    for text in texts:
        for run in _RUN_RE.findall(text or ""):
            tokens.extend(_run_tokens(run))
            if unigrams:
                chars.update(dict.fromkeys(_CJK_RE.findall(run)))
    return " ".join([*tokens, *chars])


def query_phrases(query: str) -> list[list[str]]:
    """Phrases that must all match: each run of the query as its adjacent tokens."""
    return [_run_tokens(run) for run in _RUN_RE.findall(query or "")]
