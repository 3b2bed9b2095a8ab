"""Chinese full-text search of articles (法条检索), on SQLite and PostgreSQL.

Why not Wagtail's search backend: its database backend indexes with FTS5's default tokenizer
(SQLite) or a language configuration (PostgreSQL), both of which treat a run of Chinese
characters as one token, so 居住权 finds nothing inside 居住权人有权…; and Wagtail's index
cannot weight an article's everyday names (俗称) above its text. So articles carry their own
pre-tokenised columns (learning.laws.lawtext.segment: overlapping character bigrams in order plus
every distinct character, so 1-, 2- and 4-character queries all match; a query of two or more
characters is a phrase of adjacent bigrams, i.e. an exact substring match, and if that finds
too few articles, articles with all its bigrams in any order follow) and the database indexes
those columns, split on spaces:

- SQLite: an FTS5 table ``learning_article_fts`` (external content, kept in step by triggers,
  migration 0002), ranked with bm25 (names column weighted 10× the text);
- PostgreSQL: a GIN index on ``setweight(to_tsvector('simple', names_tokens), 'A') ||
  setweight(to_tsvector('simple', search_tokens), 'B')``, ranked with ts_rank.

A query typed as a citation (民法典1043, 宪法第27条) goes straight to that article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from learning.laws.lawtext.citations import parse_citation_query
from learning.laws.lawtext.segment import query_phrases
from learning.laws.models import Article, Law
from learning.laws.selectors import article_resolve

__all__ = ["SearchHit", "SearchResult", "highlight", "search_articles"]

MAX_QUERY_LENGTH = 100
_TERM_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9A-Za-z]+")
NAMES_WEIGHT = 10.0
PG_VECTOR = (
    "(setweight(to_tsvector('simple'::regconfig, a.names_tokens), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, a.search_tokens), 'B'))"
)


@dataclass
class SearchHit:
    article: Article
    rank: float
    snippet: str

    def as_json(self) -> dict:
        return {
            "law": self.article.law.short_title,
            "law_title": self.article.law.title,
            "article": self.article.number,
            "suffix": self.article.suffix,
            "label": self.article.label,
            "url": self.article.get_absolute_url(),
            "snippet": self.snippet,
        }


@dataclass
class SearchResult:
    query: str
    hits: list[SearchHit] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)  # what to highlight
    exact: Article | None = None  # the query was a citation of this article


def _fts_phrase(tokens: list[str]) -> str:
    return '"' + " ".join(tokens).replace('"', '""') + '"'


def _sqlite_match(phrases: list[list[str]], *, loose: bool) -> str:
    if loose:  # every token somewhere, in any order
        return " AND ".join(_fts_phrase([t]) for p in phrases for t in p)
    return " AND ".join(_fts_phrase(p) for p in phrases)


def _pg_lexeme(token: str) -> str:
    return "'" + token.replace("\\", "").replace("'", "''") + "'"


def _pg_query(phrases: list[list[str]], *, loose: bool) -> str:
    if loose:
        return " & ".join(_pg_lexeme(t) for p in phrases for t in p)
    return " & ".join("(" + " <-> ".join(_pg_lexeme(t) for t in p) + ")" for p in phrases)


def _ranked_ids(phrases: list[list[str]], limit: int, *, loose: bool) -> list[tuple[int, float]]:
    if not phrases:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"""SELECT a.id, ts_rank({PG_VECTOR}, q) AS rank
                    FROM learning_article a
                    JOIN learning_law l ON l.id = a.law_id,
                         to_tsquery('simple'::regconfig, %s) q
                    WHERE {PG_VECTOR} @@ q AND l.status = %s
                    ORDER BY rank DESC, a.id LIMIT %s""",  # noqa: S608 (constant SQL)
                [_pg_query(phrases, loose=loose), Law.Status.CURRENT, limit],
            )
            return [(pk, float(rank)) for pk, rank in cursor.fetchall()]
        cursor.execute(
            """SELECT a.id, bm25(learning_article_fts, %s, 1.0) AS rank
               FROM learning_article_fts
               JOIN learning_article a ON a.id = learning_article_fts.rowid
               JOIN learning_law l ON l.id = a.law_id
               WHERE learning_article_fts MATCH %s AND l.status = %s
               ORDER BY rank, a.id LIMIT %s""",
            [NAMES_WEIGHT, _sqlite_match(phrases, loose=loose), Law.Status.CURRENT, limit],
        )
        return [(pk, -float(rank)) for pk, rank in cursor.fetchall()]


def make_snippet(text: str, terms: list[str], width: int = 80) -> str:
    """About ``width`` characters of ``text`` around the first term found."""
    flat = text.replace("\n", " ")
    hits = [flat.find(t) for t in terms if t and t in flat]
    start = max(0, min(hits) - width // 4) if hits else 0
    snippet = flat[start : start + width]
    return ("…" if start else "") + snippet + ("…" if start + width < len(flat) else "")


def highlight(text: str, terms: list[str]) -> SafeString:
    """Escape ``text`` and wrap every term in <mark>."""
    terms = sorted({t for t in terms if t}, key=len, reverse=True)
    if not terms:
        return mark_safe(escape(text))  # noqa: S308 (escaped)
    pattern = re.compile("|".join(re.escape(t) for t in terms))
    out, pos = [], 0
    for m in pattern.finditer(text):
        out += [escape(text[pos : m.start()]), f"<mark>{escape(m[0])}</mark>"]
        pos = m.end()
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))  # noqa: S308 (escaped)


def search_articles(query: str, *, limit: int = 20) -> SearchResult:
    """Ranked articles of current laws for ``query``."""
    query = " ".join((query or "").split())[:MAX_QUERY_LENGTH]
    result = SearchResult(query=query)
    if not query:
        return result
    citation = parse_citation_query(query)
    if citation is not None:
        article = article_resolve(citation.law_name, citation.article_number, citation.suffix)
        if article is not None:
            result.exact = article
            result.hits = [SearchHit(article, 1.0, make_snippet(article.text, []))]
            return result
    phrases = query_phrases(query)
    result.terms = sorted({m for m in _TERM_RE.findall(query) if len(m) > 0}, key=len, reverse=True)
    # exact phrases first; if they are too few, add articles with all the characters pairs
    ranked = _ranked_ids(phrases, limit, loose=False)
    if len(ranked) < limit and any(len(p) > 1 for p in phrases):
        seen = {pk for pk, _ in ranked}
        ranked += [r for r in _ranked_ids(phrases, limit, loose=True) if r[0] not in seen][
            : limit - len(ranked)
        ]
    articles = Article.objects.select_related("law").in_bulk([pk for pk, _ in ranked])
    for pk, rank in ranked:
        article = articles.get(pk)
        if article is not None:
            result.hits.append(SearchHit(article, rank, make_snippet(article.text, result.terms)))
    return result
