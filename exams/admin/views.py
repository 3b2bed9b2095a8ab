"""Admin pages of the exams app: bank import/export/template, regrade, exam reports."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from exams.admin.reports import distribution_svg, eligible_persons, exam_report, report_xlsx
from exams.formats import FORMATS
from exams.formats.table import template_csv, template_xlsx
from exams.models import Exam, Question
from exams.selectors_bank import bank_export
from exams.services import questions_import, regrade_apply, regrade_preview

EXPORT_TYPES = {
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": ("csv", "text/csv; charset=utf-8"),
    "moodle-xml": ("xml", "application/xml"),
    "gift": ("gift.txt", "text/plain; charset=utf-8"),
    "aiken": ("aiken.txt", "text/plain; charset=utf-8"),
}
LARGE_REPORT = 2000


def _require(request, perm):
    if not request.user.has_perm(perm):
        raise PermissionDenied


class ImportForm(forms.Form):
    file = forms.FileField(
        label="题库文件", help_text="xlsx、csv、Moodle XML、GIFT 或 Aiken，最大20MB"
    )
    format = forms.ChoiceField(
        label="格式", required=False, choices=[("", "自动识别")] + [(f, f) for f in FORMATS]
    )
    dry_run = forms.BooleanField(label="只校验，不写入", required=False)


def question_import(request):
    _require(request, "exams.add_question")
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = questions_import(
            source=upload,
            fmt=form.cleaned_data["format"] or None,
            filename=upload.name,
            dry_run=form.cleaned_data["dry_run"],
        )
    return render(
        request, "exams/admin/import.html", {"form": form, "result": result, "formats": FORMATS}
    )


def question_export(request):
    _require(request, "exams.view_question")
    fmt = request.GET.get("format", "xlsx")
    if fmt not in EXPORT_TYPES:
        fmt = "xlsx"
    result, _ = bank_export(fmt=fmt, tag=request.GET.get("tag") or None)
    ext, content_type = EXPORT_TYPES[fmt]
    response = HttpResponse(result.data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="question-bank.{ext}"'
    return response


def question_template(request, ext):
    data, content_type = (
        (template_xlsx(), EXPORT_TYPES["xlsx"][1])
        if ext == "xlsx"
        else (template_csv(), EXPORT_TYPES["csv"][1])
    )
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="question-template.{ext}"'
    return response


def _parse_answer(question: Question, raw: str) -> list[str]:
    raw = raw.strip()
    if question.type == "truefalse":
        return {"正确": ["A"], "A": ["A"], "错误": ["B"], "B": ["B"]}.get(raw.upper(), [])
    if question.type == "fill":
        return [a.strip() for a in re.split(r"[|｜]", raw) if a.strip()]
    keys = {k for k, _ in question.options}
    answer = sorted({c for c in raw.upper() if c.isalpha()})
    return answer if answer and set(answer) <= keys else []


def question_regrade(request, pk):
    _require(request, "exams.change_question")
    question = get_object_or_404(Question, pk=pk)
    raw = request.POST.get("answer", "") if request.method == "POST" else ""
    new_answer = _parse_answer(question, raw) if raw else None
    changes, error = None, None
    if raw and not new_answer:
        error = "答案无效：请填写选项字母（判断题填“正确”或“错误”）。"
    elif new_answer:
        if request.POST.get("apply"):
            record = regrade_apply(question=question, new_answer=new_answer, user=request.user)
            from django.contrib import messages

            messages.success(
                request, f"已修改答案并重新判分，{len(record.changes)}份答卷的成绩发生变化。"
            )
            return redirect(reverse("exams_question_regrade", args=[pk]))
        changes = regrade_preview(question=question, new_answer=new_answer)
    context = {
        "question": question,
        "raw": raw,
        "new_answer": new_answer,
        "changes": changes,
        "error": error,
        "history": question.regrades.all()[:20],
    }
    return render(request, "exams/admin/regrade.html", context)


def exam_report_view(request, pk):
    _require(request, "exams.view_exam")
    exam = get_object_or_404(Exam, pk=pk)
    if request.GET.get("download") == "xlsx":
        if eligible_persons(exam, request.user).count() > LARGE_REPORT:
            from exams.tasks import exam_report_export

            task = exam_report_export.delay(exam.pk, request.user.pk)
            return redirect(reverse("exams_report_status", args=[pk, task.id]))
        response = HttpResponse(
            report_xlsx(exam_report(exam, request.user)), content_type=EXPORT_TYPES["xlsx"][1]
        )
        response["Content-Disposition"] = f'attachment; filename="exam-{exam.pk}-report.xlsx"'
        return response
    report = exam_report(exam, request.user)
    context = {"exam": exam, "report": report, "chart": distribution_svg(report.distribution)}
    return render(request, "exams/admin/report.html", context)


def exam_report_status(request, pk, task_id):
    """Progress of a large .xlsx export running in Celery; the page refreshes itself."""
    _require(request, "exams.view_exam")
    exam = get_object_or_404(Exam, pk=pk)
    from django.core.cache import cache
    from django.core.files.storage import default_storage

    meta = cache.get(f"exams:report:{task_id}") or {"state": "PENDING"}
    if meta.get("user", request.user.pk) != request.user.pk:
        raise PermissionDenied
    if meta["state"] == "SUCCESS":
        return FileResponse(
            default_storage.open(meta["path"], "rb"),
            as_attachment=True,
            filename=f"exam-{exam.pk}-report.xlsx",
        )
    context = {
        "exam": exam,
        "state": meta["state"],
        "done": meta.get("done", 0),
        "total": meta.get("total", 0),
    }
    return render(request, "exams/admin/report_status.html", context)
