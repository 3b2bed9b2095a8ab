"""谁执法谁普法: departments' publicity duty lists, annual reports and the district's review."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from campaigns.choices import MONTH_CHOICES, audience_labels


class DutyList(models.Model):
    """A department's publicity duty list for one year (普法责任清单)."""

    department = models.ForeignKey(
        "people.Unit",
        on_delete=models.CASCADE,
        related_name="duty_lists",
        limit_choices_to={"kind": "department"},
        verbose_name="部门",
    )
    year = models.PositiveSmallIntegerField("年度")
    laws = models.ManyToManyField(
        "learning.Law",
        blank=True,
        related_name="+",
        limit_choices_to={"status": "current"},
        verbose_name="执法依据的法律（法律库）",
    )
    other_laws = models.TextField(
        "其他执法依据", blank=True, help_text="法律库中没有的法规、规章，每行一部。"
    )
    audiences = models.JSONField("普法对象", default=list, blank=True)
    duties = models.TextField("普法责任", blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="更新人",
    )

    class Meta:
        verbose_name = "普法责任清单"
        verbose_name_plural = "普法责任清单"
        ordering = ["-year", "department__code"]
        constraints = [
            models.UniqueConstraint(fields=["department", "year"], name="campaigns_dutylist_once")
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.year}年普法责任清单"

    @property
    def other_law_lines(self) -> list[str]:
        return [line.strip() for line in self.other_laws.splitlines() if line.strip()]

    @property
    def audience_names(self) -> list[str]:
        return audience_labels(self.audiences)


class DutyActivity(models.Model):
    """A planned publicity activity of a duty list (计划开展的普法活动)."""

    duty_list = models.ForeignKey(
        DutyList, on_delete=models.CASCADE, related_name="activities", verbose_name="责任清单"
    )
    month = models.PositiveSmallIntegerField("计划月份", choices=MONTH_CHOICES)
    title = models.CharField("活动名称", max_length=100)
    audience = models.CharField("对象", max_length=60, blank=True)

    class Meta:
        verbose_name = "计划活动"
        verbose_name_plural = "计划活动"
        ordering = ["month", "pk"]

    def __str__(self) -> str:
        return f"{self.month}月 {self.title}"


class DutyReport(models.Model):
    """A department's annual performance report (履职报告), filed through the site."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "已提交"
        REVIEWED = "reviewed", "已评议"

    department = models.ForeignKey(
        "people.Unit",
        on_delete=models.CASCADE,
        related_name="duty_reports",
        limit_choices_to={"kind": "department"},
        verbose_name="部门",
    )
    year = models.PositiveSmallIntegerField("年度")
    summary = models.TextField("履职情况")
    activities_held = models.PositiveIntegerField("开展活动（场）", default=0)
    people_reached = models.PositiveIntegerField("受教育人数（人次）", default=0)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="提交人",
    )

    class Meta:
        verbose_name = "履职报告"
        verbose_name_plural = "履职报告"
        ordering = ["-year", "department__code"]
        constraints = [
            models.UniqueConstraint(fields=["department", "year"], name="campaigns_dutyreport_once")
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.year}年履职报告"


class ReviewCriterion(models.Model):
    """A criterion of the district's review (评议指标) with its maximum score."""

    name = models.CharField("指标", max_length=60, unique=True)
    max_score = models.PositiveSmallIntegerField("满分", validators=[MinValueValidator(1)])
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "评议指标"
        verbose_name_plural = "评议指标"
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.max_score}分）"


class DutyReview(models.Model):
    """The district's review of one report (评议): a score per criterion and a comment."""

    report = models.OneToOneField(
        DutyReport, on_delete=models.CASCADE, related_name="review", verbose_name="履职报告"
    )
    comment = models.TextField("评议意见")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="评议人",
    )
    reviewed_at = models.DateTimeField("评议时间")

    class Meta:
        verbose_name = "评议"
        verbose_name_plural = "评议"

    def __str__(self) -> str:
        return f"{self.report} 评议"

    @property
    def total(self) -> Decimal:
        return sum((score.score for score in self.scores.all()), Decimal(0))


class DutyScore(models.Model):
    review = models.ForeignKey(
        DutyReview, on_delete=models.CASCADE, related_name="scores", verbose_name="评议"
    )
    criterion = models.ForeignKey(
        ReviewCriterion, on_delete=models.PROTECT, related_name="+", verbose_name="指标"
    )
    score = models.DecimalField(
        "得分",
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = "得分"
        verbose_name_plural = "得分"
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="campaigns_score_once")
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"
