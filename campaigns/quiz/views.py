"""Campaign quiz pages: rules, today's attempts, leaderboards; start hands over to the exams app."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from campaigns.models import CampaignPage
from campaigns.quiz.models import CampaignQuiz
from campaigns.quiz.selectors import leaderboards
from campaigns.quiz.services import attempts_today, quiz_attempt_start


def quiz_detail(request, pk):
    quiz = get_object_or_404(CampaignQuiz.objects.select_related("exam"), pk=pk)
    campaign = CampaignPage.objects.live().filter(quiz=quiz).order_by("-year", "-month").first()
    used = attempts_today(quiz, request.user) if request.user.is_authenticated else None
    questions = sum(rule.count for rule in quiz.exam.paper.rules.all())
    return render(
        request,
        "campaigns/quiz.html",
        {
            "quiz": quiz,
            "exam": quiz.exam,
            "campaign": campaign,
            "questions": questions,
            "used_today": used,
            "left_today": max(quiz.daily_limit - used, 0) if used is not None else None,
            "boards": leaderboards(quiz),
        },
    )


@login_required
@require_POST
def quiz_start(request, pk):
    quiz = get_object_or_404(CampaignQuiz, pk=pk)
    try:
        attempt = quiz_attempt_start(quiz=quiz, user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("campaigns_quiz", pk=quiz.pk)
    return redirect("exam_attempt", attempt.pk)
