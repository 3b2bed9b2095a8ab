"""Wagtail admin of the study part: study rules, the leading-cadre list, study reports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from core.admin_menu import PermissionMenuItem
from learning.study.models import LeadingCadre, StudyRule
from learning.study.reports import GROUPINGS, reports_allowed, study_report, study_report_xlsx


class StudyRuleViewSet(SnippetViewSet):
    model = StudyRule
    icon = "date"
    menu_label = "学时规则"
    list_display = ["year", "audience", "required_points", "daily_cap_points"]
    list_filter = ["year"]


class LeadingCadreViewSet(SnippetViewSet):
    model = LeadingCadre
    icon = "user"
    menu_label = "领导干部名单"
    list_display = ["person", "position"]
    search_fields = ["position"]


class StudyViewSetGroup(SnippetViewSetGroup):
    items = (StudyRuleViewSet, LeadingCadreViewSet)
    menu_icon = "time"
    menu_label = "学时设置"
    menu_name = "study_settings"
    menu_order = 320


register_snippet(StudyViewSetGroup)


def _year(request) -> int:
    try:
        return int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year


def study_report_view(request):
    """学时统计: per department or town; .xlsx with ?format=xlsx; POST rolls up again."""
    if not reports_allowed(request.user):
        raise PermissionDenied
    year = _year(request)
    grouping = request.GET.get("by", "town")
    if request.method == "POST":
        from learning.study.tasks import study_rollup_nightly

        study_rollup_nightly.delay(year)
        messages.success(request, "已开始重新统计，稍后刷新本页查看。")
        return redirect(f"{reverse('study_report')}?year={year}&by={grouping}")
    report = study_report(user=request.user, year=year, grouping=grouping)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            study_report_xlsx(report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="study-report-{year}.xlsx"'
        return response
    return render(
        request,
        "learning/study/reports/report.html",
        {
            "report": report,
            "groupings": GROUPINGS,
            "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
            "title": "学时统计",
        },
    )


@hooks.register("register_admin_urls")
def register_study_report_urls():
    return [path("study/report/", study_report_view, name="study_report")]


@hooks.register("register_admin_menu_item")
def register_study_report_menu_item():
    return PermissionMenuItem(
        "学时统计", reverse("study_report"), icon_name="time", order=321, check=reports_allowed
    )
