"""Pages of the 谁执法谁普法 duty reports: department staff file, the district reviews."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from campaigns.duty.forms import DutyListForm, DutyReportForm, DutyReviewForm
from campaigns.duty.models import DutyList, DutyReport
from campaigns.duty.selectors import criteria, duty_departments, duty_summary, is_district_reviewer
from campaigns.duty.services import (
    activities_format,
    criteria_ensure,
    duty_list_save,
    duty_report_save,
    duty_review_save,
    duty_summary_xlsx,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _department(request, department_id: int):
    """The department if the user may see it; 404 otherwise (no hint that it exists)."""
    department = duty_departments(request.user).filter(pk=department_id).first()
    if department is None:
        raise Http404
    return department


def _form_errors(form, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


@login_required
def duty_index(request, year=None):
    """谁执法谁普法: the departments this user may see, for a year."""
    year = year or timezone.localdate().year
    units = duty_departments(request.user)
    if not units.exists():
        raise PermissionDenied("只有部门普法联络员和区司法局可以查看普法责任清单。")
    rows = duty_summary(year=year, units=units)
    return render(
        request,
        "campaigns/duty/index.html",
        {
            "year": year,
            "rows": rows,
            "criteria": criteria(),
            "district": is_district_reviewer(request.user),
        },
    )


@login_required
def duty_detail(request, year, department_id):
    department = _department(request, department_id)
    duty_list = (
        DutyList.objects.filter(department=department, year=year)
        .prefetch_related("activities", "laws")
        .first()
    )
    report = (
        DutyReport.objects.filter(department=department, year=year).select_related("review").first()
    )
    review = getattr(report, "review", None) if report else None
    return render(
        request,
        "campaigns/duty/detail.html",
        {
            "year": year,
            "department": department,
            "duty_list": duty_list,
            "report": report,
            "review": review,
            "scores": review.scores.select_related("criterion") if review else [],
            "district": is_district_reviewer(request.user),
        },
    )


@login_required
def duty_list_edit(request, year, department_id):
    department = _department(request, department_id)
    duty_list = DutyList.objects.filter(department=department, year=year).first()
    initial = {}
    if duty_list is not None:
        initial = {
            "laws": list(duty_list.laws.all()),
            "other_laws": duty_list.other_laws,
            "audiences": duty_list.audiences,
            "duties": duty_list.duties,
            "activities": activities_format(duty_list),
        }
    form = DutyListForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            duty_list_save(department=department, year=year, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "普法责任清单已保存。")
            return redirect("campaigns_duty_detail", year=year, department_id=department.pk)
    return render(
        request,
        "campaigns/duty/form.html",
        {"form": form, "year": year, "department": department, "heading": "普法责任清单"},
    )


@login_required
def duty_report_edit(request, year, department_id):
    department = _department(request, department_id)
    report = DutyReport.objects.filter(department=department, year=year).first()
    if report is not None and report.status == DutyReport.Status.REVIEWED:
        messages.error(request, "报告已经评议，不能再修改。")
        return redirect("campaigns_duty_detail", year=year, department_id=department.pk)
    initial = {}
    if report is not None:
        initial = {
            "summary": report.summary,
            "activities_held": report.activities_held,
            "people_reached": report.people_reached,
        }
    form = DutyReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            duty_report_save(
                department=department,
                year=year,
                user=request.user,
                submit="submit" in request.POST,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request,
                "履职报告已提交，等待区司法局评议。"
                if "submit" in request.POST
                else "草稿已保存。",
            )
            return redirect("campaigns_duty_detail", year=year, department_id=department.pk)
    return render(
        request,
        "campaigns/duty/form.html",
        {
            "form": form,
            "year": year,
            "department": department,
            "heading": "履职报告",
            "can_submit": True,
        },
    )


@login_required
def duty_review(request, year, department_id):
    if not is_district_reviewer(request.user):
        raise PermissionDenied("只有区司法局可以评议履职报告。")
    department = _department(request, department_id)
    report = DutyReport.objects.filter(department=department, year=year).first()
    if report is None or report.status == DutyReport.Status.DRAFT:
        messages.error(request, "该部门尚未提交履职报告。")
        return redirect("campaigns_duty_detail", year=year, department_id=department.pk)
    all_criteria = criteria_ensure()
    initial = {}
    review = getattr(report, "review", None)
    if review is not None:
        initial = {"comment": review.comment}
        initial.update({f"score_{s.criterion_id}": s.score for s in review.scores.all()})
    form = DutyReviewForm(request.POST or None, criteria=all_criteria, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            duty_review_save(
                report=report,
                reviewer=request.user,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "评议已保存。")
            return redirect("campaigns_duty_detail", year=year, department_id=department.pk)
    return render(
        request,
        "campaigns/duty/form.html",
        {
            "form": form,
            "year": year,
            "department": department,
            "heading": "评议履职报告",
            "report": report,
        },
    )


@login_required
def duty_summary_export(request, year):
    units = duty_departments(request.user)
    if not units.exists():
        raise PermissionDenied("只有部门普法联络员和区司法局可以导出。")
    all_criteria = criteria()
    data = duty_summary_xlsx(
        year=year, rows=duty_summary(year=year, units=units), criteria=all_criteria
    )
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="duty-summary-{year}.xlsx"'
    return response
