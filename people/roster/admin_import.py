"""Admin pages for roster import (名单导入): upload, dry-run preview, confirm, progress."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from people.roster.models import RosterImport
from people.roster.roster_file import template_csv, template_xlsx
from people.roster.selectors import sees_everything
from people.roster.tasks import roster_import_run

MAX_UPLOAD = 50 * 2**20
INLINE_BYTES = 200 * 1024  # about 2,000 rows: smaller files are checked while you wait


class UploadForm(forms.Form):
    file = forms.FileField(label="名单文件（.xlsx 或 .csv）")
    dry_run = forms.BooleanField(
        label="只预检，不写入", required=False, initial=True, help_text="预检通过后可一键确认导入"
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > MAX_UPLOAD:
            raise forms.ValidationError("文件不能超过 50 MB，请拆分后分批导入")
        if not f.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError("只支持 .xlsx 或 .csv 文件")
        return f


def _check(request):
    if not request.user.has_perm("people.add_rosterimport"):
        raise PermissionDenied


def _jobs(request):
    jobs = RosterImport.objects.defer("content")
    if not sees_everything(request.user):
        jobs = jobs.filter(created_by=request.user)
    return jobs


def _start(job: RosterImport) -> None:
    if len(job.content) <= INLINE_BYTES:
        roster_import_run(job.pk)
    else:
        transaction.on_commit(lambda: roster_import_run.delay(job.pk))


def roster_import_index(request):
    _check(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        job = RosterImport.objects.create(
            filename=upload.name[:200],
            content=data,
            dry_run=form.cleaned_data["dry_run"],
            total_rows=max(0, data.count(b"\n") - 1) if upload.name.lower().endswith(".csv") else 0,
            created_by=request.user,
        )
        _start(job)
        return redirect("people_roster_import_detail", job.pk)
    return TemplateResponse(
        request,
        "people/admin/roster_import.html",
        {"form": form, "jobs": _jobs(request)[:20], "title": "导入人员名单"},
    )


def roster_import_detail(request, pk):
    _check(request)
    job = get_object_or_404(_jobs(request), pk=pk)
    return TemplateResponse(
        request,
        "people/admin/roster_import_detail.html",
        {"job": job, "errors": job.errors[:2000], "title": f"名单导入：{job.filename}"},
    )


def roster_import_status(request, pk):
    _check(request)
    job = get_object_or_404(_jobs(request), pk=pk)
    return JsonResponse(
        {
            "state": job.state,
            "state_label": job.get_state_display(),
            "processed": job.processed_rows,
            "total": job.total_rows,
            "percent": job.progress_percent,
            "finished": job.state in ("preview", "failed", "done"),
        }
    )


@require_POST
def roster_import_confirm(request, pk):
    """Apply a previewed file: a new job with the same content, not a dry run."""
    _check(request)
    job = get_object_or_404(_jobs(request).defer(None), pk=pk, state="preview")
    new = RosterImport.objects.create(
        filename=job.filename,
        content=bytes(job.content),
        dry_run=False,
        total_rows=job.total_rows,
        created_by=request.user,
    )
    RosterImport.objects.filter(pk=job.pk).update(content=b"")
    _start(new)
    messages.success(request, "已开始导入")
    return redirect("people_roster_import_detail", new.pk)


def roster_template(request, fmt):
    _check(request)
    if fmt == "xlsx":
        response = HttpResponse(
            template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="roster-template.{fmt}"'
    return response
