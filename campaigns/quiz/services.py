"""Writes of campaign quizzes: set one up on the exams engine, start an attempt within the daily
limit (每人每天限答N次)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from campaigns.quiz.models import CampaignQuiz
from exams.models import Attempt, Exam, Paper, PaperRule, Question, QuestionTag
from exams.services import attempt_start

QUIZ_TYPES = ("single", "truefalse", "multiple")


def _allocate(tags: list[QuestionTag], count: int) -> list[tuple[str, QuestionTag, int]]:
    """Split `count` questions over (type, tag) pairs, round-robin, within what the bank has."""
    available = []
    for tag in tags:
        for qtype in QUIZ_TYPES:
            n = Question.objects.filter(is_active=True, type=qtype, tags=tag).count()
            if n:
                available.append([qtype, tag, n, 0])
    total = sum(entry[2] for entry in available)
    if total < count:
        names = "、".join(tag.name for tag in tags)
        raise ValidationError(f"题库中标签“{names}”的题目只有{total}道，不够抽{count}道。")
    left = count
    while left:
        for entry in available:
            if left and entry[3] < entry[2]:
                entry[3] += 1
                left -= 1
    return [(qtype, tag, n) for qtype, tag, _, n in available if n]


@transaction.atomic
def quiz_create(
    *,
    title: str,
    tag_names: list[str],
    count: int,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    daily_limit: int = 3,
    time_limit_minutes: int = 15,
    intro: str = "",
) -> CampaignQuiz:
    """An exam with purpose "quiz" drawing `count` random questions from the tagged bank."""
    if not 1 <= count <= 100:
        raise ValidationError("题目数量应在1到100之间。")
    if not 1 <= daily_limit <= 50:
        raise ValidationError("每天可答次数应在1到50之间。")
    if closes_at <= opens_at:
        raise ValidationError("结束时间应晚于开始时间。")
    tags = list(QuestionTag.objects.filter(name__in=tag_names))
    missing = sorted(set(tag_names) - {tag.name for tag in tags})
    if missing or not tags:
        raise ValidationError(f"题库中没有这些标签：{'、'.join(missing) or '（未指定）'}")
    rules = _allocate(tags, count)
    paper = Paper.objects.create(title=f"{title}（随机抽题）", mode=Paper.Mode.RANDOM)
    for order, (qtype, tag, n) in enumerate(rules):
        PaperRule.objects.create(
            paper=paper,
            type=qtype,
            tag=tag,
            count=n,
            points=round(100 / count, 1),
            sort_order=order,
        )
    exam = Exam.objects.create(
        title=title,
        purpose=Exam.Purpose.QUIZ,
        description=intro,
        paper=paper,
        opens_at=opens_at,
        closes_at=closes_at,
        time_limit_minutes=time_limit_minutes,
        attempts_allowed=1000,  # the campaign's daily limit applies instead
        show_answers=True,
    )
    return CampaignQuiz.objects.create(title=title, exam=exam, daily_limit=daily_limit, intro=intro)


def _today_range(now):
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + datetime.timedelta(days=1)


def attempts_today(quiz: CampaignQuiz, user, now=None) -> int:
    start, end = _today_range(now or timezone.now())
    return Attempt.objects.filter(
        exam_id=quiz.exam_id, user=user, started_at__gte=start, started_at__lt=end
    ).count()


def quiz_attempt_start(*, quiz: CampaignQuiz, user, now=None) -> Attempt:
    """The user's open attempt, or a new one if today's limit is not used up."""
    exam = Exam.objects.select_related("paper").get(pk=quiz.exam_id)
    return attempt_start(exam=exam, user=user, now=now or timezone.now())


def quiz_daily_limit_check(*, exam, user, now, **kwargs) -> None:
    """Receiver of exams.signals.attempt_starting: a quiz's daily limit holds on every path
    (quiz page, exam pages, JSON API), not only on the campaign's own start button."""
    quiz = CampaignQuiz.objects.filter(exam_id=exam.pk).first()
    if quiz is not None and attempts_today(quiz, user, now) >= quiz.daily_limit:
        raise ValidationError(f"今天的答题次数已用完（每天{quiz.daily_limit}次），明天再来吧。")
