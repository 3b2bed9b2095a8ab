"""Reads of the law library (法律库查询)."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Q, QuerySet

from learning.laws.lawtext.numerals import NumeralError, parse_article_label
from learning.laws.models import Article, Law, LawAlias, LawSection

__all__ = [
    "article_by_slug",
    "article_neighbours",
    "article_resolve",
    "articles_resolve",
    "law_name_map",
    "law_names",
    "law_resolve",
    "law_toc",
    "laws_current",
    "normalise_law_name",
    "section_path",
]

CN_PREFIX = "中华人民共和国"
_NAMES_CACHE_KEY = "learning:law-name-map:v1"


def normalise_law_name(name: str) -> str:
    """'《中华人民共和国民法典》 ' -> '中华人民共和国民法典'."""
    return "".join((name or "").split()).strip('《》〈〉<>"“”')


def law_name_map() -> dict[str, str]:
    """Every name of a current law (full title, short title, 中华人民共和国-less title,
    aliases) -> its slug. Cached; law_names_changed() clears it."""
    names = cache.get(_NAMES_CACHE_KEY)
    if names is not None:
        return names
    names = {}
    by_title: dict[str, str] = {}
    for title, short, slug in Law.objects.filter(status=Law.Status.CURRENT).values_list(
        "title", "short_title", "slug"
    ):
        by_title[title] = slug
        for name in (title, short, title.removeprefix(CN_PREFIX)):
            if name:
                names.setdefault(name, slug)
    for name, title in LawAlias.objects.values_list("name", "title"):
        slug = by_title.get(title) or by_title.get(CN_PREFIX + title) or names.get(title)
        if slug:
            names[normalise_law_name(name)] = slug
    cache.set(_NAMES_CACHE_KEY, names, 3600)
    return names


def law_names_changed() -> None:
    cache.delete(_NAMES_CACHE_KEY)


def law_names() -> list[str]:
    """Bare names that citations may use (民法典, 宪法, 中华人民共和国民法典, aliases)."""
    return list(law_name_map())


def laws_current() -> QuerySet[Law]:
    return Law.objects.filter(status=Law.Status.CURRENT).order_by("category", "title")


def law_resolve(law_name: str) -> Law | None:
    """The current version of a law named by its full title, short title or an alias."""
    slug = law_name_map().get(normalise_law_name(law_name))
    if slug is None:
        return None
    return Law.objects.filter(slug=slug, status=Law.Status.CURRENT).first()


def article_resolve(law_name: str, number: int | str, suffix: int = 0) -> Article | None:
    """Article ``number`` (之``suffix``) of the current version of ``law_name``, or None.

    ``number`` may be an int or a label such as '第一千零四十三条' / '第二十条之一'.
    """
    if isinstance(number, str):
        try:
            number, suffix = parse_article_label(number)
        except NumeralError:
            return None
    slug = law_name_map().get(normalise_law_name(law_name))
    if slug is None:
        return None
    return article_by_slug(slug, number, suffix)


def article_by_slug(slug: str, number: int, suffix: int = 0) -> Article | None:
    return (
        Article.objects.select_related("law", "section")
        .filter(law__slug=slug, law__status=Law.Status.CURRENT, number=number, suffix=suffix)
        .first()
    )


def articles_resolve(keys: set[tuple[str, int, int]]) -> dict[tuple[str, int, int], Article]:
    """{(slug, number, suffix): Article} for the current versions, in one query."""
    if not keys:
        return {}
    cond = Q()
    for slug, number, suffix in keys:
        cond |= Q(law__slug=slug, number=number, suffix=suffix)
    found = Article.objects.select_related("law").filter(cond, law__status=Law.Status.CURRENT)
    return {(a.law.slug, a.number, a.suffix): a for a in found}


def section_path(section: LawSection | None, sections: dict[int, LawSection]) -> list[LawSection]:
    """Outermost-first chain of sections ending at ``section``."""
    path = []
    while section is not None:
        path.append(section)
        section = sections.get(section.parent_id) if section.parent_id else None
    return path[::-1]


def law_toc(law: Law) -> list[dict]:
    """Table of contents: a flat, ordered list of {"section", "depth", "first", "last"} where
    first/last are the section's own first and last article (or None)."""
    sections = list(law.sections.all())
    spans: dict[int, list[Article]] = {}
    for art in law.articles.only("id", "number", "suffix", "label", "section_id", "sort_order"):
        if art.section_id:
            spans.setdefault(art.section_id, []).append(art)
    return [
        {
            "section": s,
            "depth": s.depth,
            "first": spans.get(s.pk, [None])[0],
            "last": spans.get(s.pk, [None])[-1],
        }
        for s in sections
    ]


def article_neighbours(article: Article) -> tuple[Article | None, Article | None]:
    """Previous and next article of the same law version (two small queries)."""
    qs = Article.objects.filter(law_id=article.law_id).only("number", "suffix", "label", "law_id")
    before = qs.filter(sort_order__lt=article.sort_order).order_by("-sort_order").first()
    after = qs.filter(sort_order__gt=article.sort_order).order_by("sort_order").first()
    return before, after


def required_lists(audience: str | None = None, department=None) -> QuerySet:
    """Active required-laws lists (应知应会清单), optionally for one audience; a department's
    lists include the lists for every department (department empty)."""
    from learning.laws.models import RequiredLawList

    qs = RequiredLawList.objects.filter(is_active=True).select_related("department")
    if audience:
        qs = qs.filter(audience=audience)
    if department is not None:
        qs = qs.filter(Q(department=department) | Q(department__isnull=True))
    return qs.prefetch_related("items__law", "items__article")


def required_articles(required_list) -> QuerySet[Article]:
    """The current articles a list requires: whole laws and single articles."""
    cond = Q(pk__in=[])
    for item in required_list.items.select_related("law", "article"):
        if item.article_id:
            cond |= Q(
                law__slug=item.law.slug, number=item.article.number, suffix=item.article.suffix
            )
        else:
            cond |= Q(law__slug=item.law.slug)
    return (
        Article.objects.select_related("law")
        .filter(cond, law__status=Law.Status.CURRENT)
        .order_by("law__title", "sort_order")
    )
