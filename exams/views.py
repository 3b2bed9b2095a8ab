"""Exam pages for learners (phone-first), over the same services as the JSON API."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from exams import selectors, services
from exams.models import Attempt, AttemptState, Certificate, Exam
from exams.services.certificates import mask_name


def _own_attempt(request, attempt_id) -> Attempt:
    try:
        return selectors.attempt_for_user(request.user, attempt_id)
    except Attempt.DoesNotExist:
        raise Http404("答卷不存在") from None


@login_required
def my_exams(request):
    rows = selectors.exams_for_user(request.user)
    return render(request, "exams/my_exams.html", {"rows": rows, "now": timezone.now()})


@login_required
@require_POST
def exam_start(request, exam_id):
    exam = get_object_or_404(Exam.objects.select_related("paper"), pk=exam_id, is_published=True)
    try:
        attempt = services.attempt_start(exam=exam, user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("my_exams")
    return redirect("exam_attempt", attempt.pk)


@login_required
def attempt_page(request, attempt_id):
    attempt = _own_attempt(request, attempt_id)
    services.attempt_expire_if_due(attempt)
    if attempt.state == AttemptState.SUBMITTED:
        return redirect("exam_attempt_result", attempt.pk)
    saved = selectors.saved_answers(attempt)
    questions = selectors.paper_public(attempt)
    for q in questions:
        mine = saved.get(q["id"])
        q["saved"] = mine["answer"] if mine else []
        q["seq"] = mine["seq"] if mine else 0
    context = {
        "attempt": attempt,
        "exam": attempt.exam,
        "questions": questions,
        "answered": len(saved),
        "server_now": timezone.now(),
    }
    return render(request, "exams/attempt.html", context)


@login_required
@require_POST
def attempt_submit(request, attempt_id):
    attempt = _own_attempt(request, attempt_id)
    services.attempt_submit(attempt=attempt, user=request.user)
    return redirect("exam_attempt_result", attempt.pk)


@login_required
def attempt_result(request, attempt_id):
    attempt = _own_attempt(request, attempt_id)
    services.attempt_expire_if_due(attempt)
    if attempt.state != AttemptState.SUBMITTED:
        return redirect("exam_attempt", attempt.pk)
    certificate = Certificate.objects.filter(attempt=attempt).first()
    context = {
        "attempt": attempt,
        "exam": attempt.exam,
        "review": selectors.attempt_review(attempt),
        "certificate": certificate,
        "focus_count": attempt.focus_events.count(),
    }
    return render(request, "exams/result.html", context)


@login_required
def my_certificates(request):
    certificates = Certificate.objects.filter(attempt__user=request.user).select_related("attempt")
    return render(request, "exams/my_certificates.html", {"certificates": certificates})


@login_required
def certificate_file(request, code, fmt):
    cert = get_object_or_404(Certificate, code=code, attempt__user=request.user)
    field = cert.pdf if fmt == "pdf" else cert.image
    if not field:
        raise Http404("证书正在生成，请稍后再试")
    return FileResponse(
        field.open("rb"), filename=f"证书-{cert.code}.{fmt}", as_attachment=fmt == "pdf"
    )


def certificate_verify(request, code):
    """Public: confirms a certificate exists, with the holder's name masked."""
    cert = Certificate.objects.filter(code=code.upper()).first()
    context = {
        "certificate": cert,
        "code": code,
        "masked_name": mask_name(cert.name) if cert else "",
    }
    return render(request, "exams/verify.html", context, status=200 if cert else 404)
