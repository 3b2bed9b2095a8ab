"""Article citations in content (法条引用): links and checks.

- ``linkify(html_or_text)``: every citation of an existing article (《中华人民共和国民法典》第一千
  零四十三条, 《民法典》第1043条, 民法典第一千零四十三条第二款, 宪法第二十七条, lists such as
  第十条、第十一条) becomes ``<a class="cite-link" href="/laws/…/" title="article text">``;
  citations of articles that do not exist are marked ``<span class="cite-broken">``. HTML
  input keeps its markup: only text outside tags (and outside existing links) is changed.
- ``find_broken(text)``: the citations of laws we know whose article does not exist
  (``BrokenCitation`` with the cited text), for editors' checks and ``check_citations``.

Names of laws come from learning.laws.selectors.law_name_map (titles, short titles, aliases);
a 《title》 of a law the library does not hold is left alone (not every cited law is imported).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from learning.laws.lawtext.citations import Citation, find_citations
from learning.laws.selectors import articles_resolve, law_name_map, normalise_law_name

__all__ = ["BrokenCitation", "find_broken", "linkify", "resolve_citations"]

TITLE_LENGTH = 300
_TAG_RE = re.compile(r"(<[^>]*>)")
_SKIP_TAGS = {"a", "script", "style", "textarea", "code", "pre", "title"}
_TAG_NAME_RE = re.compile(r"^<\s*(/?)\s*([a-zA-Z0-9]+)")


@dataclass(frozen=True)
class BrokenCitation:
    text: str  # as written, e.g. 《民法典》第一千三百条
    law: str
    article: int
    suffix: int
    message: str

    def __str__(self) -> str:
        return self.message


def resolve_citations(text: str, *, this_law_slug: str | None = None):
    """[(citation, slug or None, Article or None)] for the citations in plain ``text``.

    ``this_law_slug``: the law whose text this is, so that 本法第X条 resolves to it.
    """
    names = law_name_map()
    extra = {"本法": this_law_slug} if this_law_slug else {}
    found = find_citations(text, [*names, *extra])
    if not found:
        return []
    slugs = [extra.get(c.law_name) or names.get(normalise_law_name(c.law_name)) for c in found]
    keys = {(s, c.article_number, c.suffix) for c, s in zip(found, slugs, strict=True) if s}
    articles = articles_resolve(keys)
    return [
        (c, s, articles.get((s, c.article_number, c.suffix)) if s else None)
        for c, s in zip(found, slugs, strict=True)
    ]


def _title(article) -> str:
    text = article.text.replace("\n", " ")
    if len(text) > TITLE_LENGTH:
        text = text[:TITLE_LENGTH] + "…"
    return f"{article.law.short_title}{article.label}：{text}"


def _link(citation: Citation, article, shown: str) -> str:
    url = article.get_absolute_url()
    if citation.paragraph:
        url += f"#p{citation.paragraph}"
    return (
        f'<a class="cite-link" href="{escape(url)}" title="{escape(_title(article))}" '
        f'data-cite-label="{escape(article.law.short_title + article.label)}">{shown}</a>'
    )


def _linkify_text(text: str, *, escaped: bool, this_law_slug: str | None) -> str:
    """``text`` is plain (escaped=False) or an HTML text node (escaped=True)."""
    plain = html.unescape(text) if escaped else text
    resolved = resolve_citations(plain, this_law_slug=this_law_slug)
    out, pos = [], 0
    for citation, slug, article in resolved:
        if slug is None:
            continue  # a law the library does not hold
        out.append(escape(plain[pos : citation.start]))
        shown = escape(citation.text)
        if article is None:
            out.append(f'<span class="cite-broken" title="法条不存在">{shown}</span>')
        else:
            out.append(_link(citation, article, shown))
        pos = citation.end
    if not out:
        return text if escaped else escape(text)
    out.append(escape(plain[pos:]))
    return "".join(out)


def linkify(value, *, this_law_slug: str | None = None) -> SafeString:
    """Citations in ``value`` as links. A SafeString (or anything with ``__html__``) is treated
    as HTML; any other string as plain text, which is escaped."""
    if value is None:
        return mark_safe("")  # noqa: S308
    if hasattr(value, "__html__"):
        source = str(value.__html__())
    else:
        return mark_safe(  # noqa: S308 (escaped by _linkify_text)
            _linkify_text(str(value), escaped=False, this_law_slug=this_law_slug)
        )
    parts = _TAG_RE.split(source)
    skip_depth = 0
    for i, part in enumerate(parts):
        if i % 2:  # a tag
            m = _TAG_NAME_RE.match(part)
            if m and m[2].lower() in _SKIP_TAGS and not part.rstrip().endswith("/>"):
                skip_depth += -1 if m[1] else 1
                skip_depth = max(skip_depth, 0)
            continue
        if part and not skip_depth and "第" in part:
            parts[i] = _linkify_text(part, escaped=True, this_law_slug=this_law_slug)
    return mark_safe("".join(parts))  # noqa: S308 (input was safe HTML; text parts escaped)


def _strip_tags(value: str) -> str:
    return html.unescape(_TAG_RE.sub(" ", value))


def find_broken(text) -> list[BrokenCitation]:
    """Citations in ``text`` (plain or HTML) of known laws whose article does not exist."""
    plain = _strip_tags(str(text.__html__())) if hasattr(text, "__html__") else str(text or "")
    if "<" in plain and ">" in plain:
        plain = _strip_tags(plain)
    broken = []
    for citation, slug, article in resolve_citations(plain):
        if slug is not None and article is None:
            broken.append(
                BrokenCitation(
                    citation.text,
                    citation.law_name,
                    citation.article_number,
                    citation.suffix,
                    f"引用的法条不存在：{citation.text}",
                )
            )
    return broken
