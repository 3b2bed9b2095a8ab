"""Quota dashboard pages and exports (名额看板), thin over people.quota.dashboard."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from people.quota.dashboard import KIND_LABELS, dashboard_csv, dashboard_level, dashboard_xlsx
from people.roster.models import Unit


def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        raise Http404("年度无效") from None
    if not 2000 <= year <= 2100:
        raise Http404("年度无效")
    return year


def _unit(code: str | None) -> Unit | None:
    if not code:
        return None
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise Http404("找不到该单位")
    return unit


def _level(request, code):
    return dashboard_level(user=request.user, unit=_unit(code), year=_year(request))


@login_required
def quota_dashboard(request, code=None):
    """District → town → village → group drill-down of the 法律明白人 quotas."""
    level = _level(request, code)
    year = level.year
    return render(
        request,
        "people/quota_dashboard.html",
        {
            "level": level,
            "chart": level.chart,
            "kind_labels": KIND_LABELS,
            "years": [year - 1, year, year + 1],
            "below_quota": level.below_quota[:50],
        },
    )


@login_required
def quota_export(request, fmt):
    """The dashboard table as .csv or .xlsx (same scope checks as the page)."""
    level = _level(request, request.GET.get("unit"))
    name = f"quota-{level.row.code}-{level.year}"
    if fmt == "csv":
        response = HttpResponse(dashboard_csv(level), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            dashboard_xlsx(level),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
