"""Campaign quizzes (宪法宣传周答题 and the like), built on the exams engine.

A quiz is an exams.Exam with purpose "quiz" whose paper draws N random questions by tag; the
campaign app adds a daily attempt limit per person and leaderboards by town and department.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from wagtail.admin.panels import FieldPanel


class CampaignQuiz(models.Model):
    """答题活动: an exam of the bank (purpose 有奖竞答) with a daily attempt limit."""

    title = models.CharField("答题活动名称", max_length=100)
    exam = models.OneToOneField(
        "exams.Exam",
        on_delete=models.PROTECT,
        related_name="campaign_quiz",
        limit_choices_to={"purpose": "quiz"},
        verbose_name="考试（用途：有奖竞答）",
        help_text="在“考试”中建好随机抽题的试卷和考试（用途选“有奖竞答”），再在这里关联。",
    )
    daily_limit = models.PositiveSmallIntegerField(
        "每人每天可答次数",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    intro = models.CharField("说明", max_length=200, blank=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("exam"),
        FieldPanel("daily_limit"),
        FieldPanel("intro"),
    ]

    class Meta:
        verbose_name = "答题活动"
        verbose_name_plural = "答题活动"
        ordering = ["-pk"]

    def __str__(self) -> str:
        return self.title
