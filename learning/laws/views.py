"""Public pages of the law library (法律库): index, table of contents, preamble, articles,
QR codes and search. Plain Django views; phone-first templates in site/templates/learning/law/."""

from __future__ import annotations

import hashlib
import io

from django.core.cache import cache
from django.db.models import Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from learning.laws.citations import linkify
from learning.laws.lawtext.numerals import NumeralError, cn_to_int
from learning.laws.models import Article, Law, LawSection
from learning.laws.search import search_articles
from learning.laws.selectors import law_toc, laws_current, required_lists, section_path

QR_CACHE_SECONDS = 7 * 24 * 3600


def _current_law(slug: str) -> Law:
    return get_object_or_404(Law, slug=slug, status=Law.Status.CURRENT)


@require_GET
def law_index(request):
    groups: dict[str, list[Law]] = {}
    for law in laws_current():
        groups.setdefault(law.category or "其他", []).append(law)
    return render(request, "learning/law/index.html", {"groups": groups})


@require_GET
def law_detail(request, slug: str):
    law = _current_law(slug)
    toc = law_toc(law)
    articles = None
    if not toc:
        articles = list(law.articles.only("number", "suffix", "label", "law_id"))
    versions = Law.objects.filter(slug=slug).exclude(pk=law.pk).order_by("-version_date")
    return render(
        request,
        "learning/law/law_detail.html",
        {"law": law, "toc": toc, "articles": articles, "versions": versions},
    )


@require_GET
def law_preamble(request, slug: str):
    law = _current_law(slug)
    if not law.preamble:
        raise Http404("这部法律没有序言")
    paragraphs = [linkify(p) for p in law.preamble]
    return render(request, "learning/law/preamble.html", {"law": law, "paragraphs": paragraphs})


@require_GET
def article_go(request, slug: str):
    """The jump form: ?number=1043&suffix=1 (Arabic or Chinese numerals)."""
    law = _current_law(slug)
    try:
        number = cn_to_int(request.GET.get("number", "").strip().strip("第条"))
        suffix = cn_to_int(request.GET.get("suffix", "").strip() or "0")
    except NumeralError:
        return redirect(law.get_absolute_url())
    if suffix:
        return redirect("law_article_suffix", slug=slug, number=number, suffix=suffix)
    return redirect("law_article", slug=slug, number=number)


def _law_sections(law: Law) -> dict[int, LawSection]:
    """A law version's sections by pk; cached, as an imported version never changes."""
    key = f"learning:law-sections:{law.pk}:{law.content_hash[:16]}"
    sections = cache.get(key)
    if sections is None:
        sections = {s.pk: s for s in LawSection.objects.filter(law=law)}
        cache.set(key, sections, 24 * 3600)
    return sections


@require_GET
def article_detail(request, slug: str, number: int, suffix: int = 0):
    # the article and its neighbours (previous/next in the same version) in one query
    target = Article.objects.filter(
        law__slug=slug, law__status=Law.Status.CURRENT, number=number, suffix=suffix
    )
    position = Subquery(target.values("sort_order")[:1])
    rows = list(
        Article.objects.select_related("law")
        .filter(
            law_id=Subquery(target.values("law_id")[:1]),
            sort_order__gte=position - 1,
            sort_order__lte=position + 1,
        )
        .order_by("sort_order")
    )
    article = next((a for a in rows if (a.number, a.suffix) == (number, suffix)), None)
    if article is None:
        raise Http404("没有这一条")
    law = article.law
    sections = _law_sections(law)
    path = section_path(sections.get(article.section_id), sections)
    neighbours = {a.sort_order: a for a in rows}
    paragraphs = [linkify(p, this_law_slug=law.slug) for p in article.paragraphs]
    qr_url = (
        reverse("law_article_suffix_qr", args=[slug, number, suffix])
        if suffix
        else reverse("law_article_qr", args=[slug, number])
    )
    return render(
        request,
        "learning/law/article.html",
        {
            "law": law,
            "article": article,
            "paragraphs": paragraphs,
            "path": path,
            "previous": neighbours.get(article.sort_order - 1),
            "next": neighbours.get(article.sort_order + 1),
            "citation": article.citation,
            "qr_url": qr_url,
            "share_url": request.build_absolute_uri(article.get_absolute_url()),
            "everyday_names": article.everyday_name_list(),
        },
    )


def qr_png(data: str) -> bytes:
    import qrcode

    qr = qrcode.QRCode(border=2, box_size=8, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(data)
    qr.make(fit=True)
    buffer = io.BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()


@require_GET
def article_qr(request, slug: str, number: int, suffix: int = 0):
    """A PNG QR code of the article's address (cached; the address never changes)."""
    if not Article.objects.filter(
        law__slug=slug, law__status=Law.Status.CURRENT, number=number, suffix=suffix
    ).exists():
        raise Http404("没有这一条")
    url = request.build_absolute_uri(
        reverse("law_article_suffix", args=[slug, number, suffix])
        if suffix
        else reverse("law_article", args=[slug, number])
    )
    key = "learning:law-qr:" + hashlib.sha256(url.encode()).hexdigest()
    png = cache.get(key)
    if png is None:
        png = qr_png(url)
        cache.set(key, png, QR_CACHE_SECONDS)
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = f"public, max-age={QR_CACHE_SECONDS}"
    return response


@require_GET
def law_search_page(request):
    query = request.GET.get("q", "")
    result = search_articles(query)
    if result.exact is not None:
        return redirect(result.exact.get_absolute_url())
    return render(request, "learning/law/search.html", {"query": result.query, "result": result})


@require_GET
def required_lists_page(request):
    """应知应会法律法规清单: every active list with its laws and articles."""
    return render(request, "learning/law/required.html", {"lists": required_lists()})
