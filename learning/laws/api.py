"""JSON API of the law library: ``GET /api/v1/search/?q=...`` (public, no log-in)."""

from __future__ import annotations

from ninja import Router, Schema

from learning.laws.search import search_articles

router = Router(tags=["法律库"])


class SearchHitOut(Schema):
    law: str  # short title, e.g. 民法典
    law_title: str  # full title
    article: int  # 1077
    suffix: int  # 之N, 0 for most articles
    label: str  # 第一千零七十七条
    url: str  # /laws/民法典/1077/
    snippet: str


class SearchOut(Schema):
    query: str
    exact: bool  # the query was a citation of this (only) result
    results: list[SearchHitOut]


@router.get("/search/", response=SearchOut, auth=None)
def search(request, q: str = "", limit: int = 20):
    """Ranked articles of the current laws for a Chinese query; a citation typed as the query
    (民法典1043, 宪法第27条) returns just that article."""
    result = search_articles(q, limit=max(1, min(limit, 50)))
    return {
        "query": result.query,
        "exact": result.exact is not None,
        "results": [hit.as_json() for hit in result.hits],
    }
