"""Exams (考法): question bank, papers, exams, attempts, answers, certificates.

The answer key lives only in :class:`Question`; an :class:`Attempt` stores a snapshot of the
drawn paper (stems, options in shuffled order, points) without the key, so the paper never
changes under the taker and nothing sent before submission can reveal the key.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

DEFAULT_BANDS = [
    {"name": "优秀", "min": 90},
    {"name": "良好", "min": 80},
    {"name": "合格", "min": 60},
]


def default_bands():
    return [dict(b) for b in DEFAULT_BANDS]


class QuestionType(models.TextChoices):
    SINGLE = "single", "单选题"
    MULTIPLE = "multiple", "多选题"
    TRUEFALSE = "truefalse", "判断题"
    FILL = "fill", "填空题"


class Difficulty(models.IntegerChoices):
    EASY = 1, "易"
    MEDIUM = 2, "中"
    HARD = 3, "难"


class QuestionTag(models.Model):
    """A tag of the question bank (标签), e.g. 民法典, 宪法, 婚姻家庭."""

    name = models.CharField("名称", max_length=50, unique=True)

    class Meta:
        verbose_name = "题目标签"
        verbose_name_plural = "题目标签"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    """A question of the bank (试题). ``options`` is ``[[key, text], ...]``; ``answer`` a list."""

    Type = QuestionType

    type = models.CharField("题型", max_length=10, choices=QuestionType.choices)
    stem = models.TextField("题干")
    options = models.JSONField("选项", default=list, blank=True)
    answer = models.JSONField("答案", default=list)
    explanation = models.TextField("解析", blank=True)
    difficulty = models.PositiveSmallIntegerField(
        "难度", choices=Difficulty.choices, default=Difficulty.MEDIUM
    )
    tags = models.ManyToManyField(
        QuestionTag, verbose_name="标签", blank=True, related_name="questions"
    )
    citations = models.JSONField("法条（原文引用）", default=list, blank=True)
    articles = models.ManyToManyField(
        "learning.Article",
        verbose_name="考查法条（版本）",
        blank=True,
        related_name="exam_questions",
    )
    needs_review = models.BooleanField("需复核", default=False, db_index=True)
    review_note = models.CharField("复核原因", max_length=300, blank=True)
    fingerprint = models.CharField("指纹", max_length=64, unique=True, editable=False)
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "试题"
        verbose_name_plural = "题库"
        ordering = ["-pk"]
        indexes = [models.Index(fields=["type", "difficulty"])]

    def __str__(self) -> str:
        stem = self.stem.replace("\n", " ")
        return f"[{self.get_type_display()}] {stem[:40]}{'…' if len(stem) > 40 else ''}"

    def to_data(self):
        """The question as a format-neutral :class:`exams.formats.QuestionData`."""
        from exams.formats import QuestionData

        return QuestionData(
            type=self.type,
            stem=self.stem,
            options=[(k, t) for k, t in self.options],
            answer=list(self.answer),
            explanation=self.explanation,
            difficulty=self.difficulty,
            tags=[t.name for t in self.tags.all()],
            citations=list(self.citations),
        )

    def compute_fingerprint(self) -> str:
        from exams.formats import QuestionData

        options = [(k, t) for k, t in self.options]
        return QuestionData(self.type, self.stem, options, list(self.answer)).fingerprint()


class Paper(ClusterableModel):
    """A paper (试卷): a fixed list of questions, or rules drawing at random from the bank."""

    class Mode(models.TextChoices):
        FIXED = "fixed", "固定试题"
        RANDOM = "random", "按规则随机抽题"

    title = models.CharField("试卷名称", max_length=200)
    mode = models.CharField("组卷方式", max_length=10, choices=Mode.choices, default=Mode.RANDOM)
    shuffle_questions = models.BooleanField("打乱题目顺序", default=True)
    shuffle_options = models.BooleanField("打乱选项顺序", default=True)
    fixed_points = models.DecimalField(
        "固定试题每题分值", max_digits=5, decimal_places=1, default=Decimal("2")
    )

    class Meta:
        verbose_name = "试卷"
        verbose_name_plural = "试卷"
        ordering = ["-pk"]

    def __str__(self) -> str:
        return self.title


class PaperItem(models.Model):
    """A question of a fixed paper."""

    paper = ParentalKey(Paper, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(
        Question, verbose_name="试题", on_delete=models.PROTECT, related_name="+"
    )
    points = models.DecimalField("分值", max_digits=5, decimal_places=1, null=True, blank=True)
    sort_order = models.IntegerField(default=0, editable=False)

    class Meta:
        verbose_name = "固定试题"
        verbose_name_plural = "固定试题"
        ordering = ["sort_order"]

    def __str__(self) -> str:
        return f"{self.question}"


class PaperRule(models.Model):
    """A drawing rule (抽题规则): ``count`` questions of a type, tag and difficulty."""

    paper = ParentalKey(Paper, on_delete=models.CASCADE, related_name="rules")
    type = models.CharField("题型", max_length=10, choices=QuestionType.choices)
    tag = models.ForeignKey(
        QuestionTag,
        verbose_name="标签",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    difficulty = models.PositiveSmallIntegerField(
        "难度", choices=Difficulty.choices, null=True, blank=True
    )
    count = models.PositiveIntegerField("题数", validators=[MinValueValidator(1)])
    points = models.DecimalField("每题分值", max_digits=5, decimal_places=1, default=Decimal("2"))
    sort_order = models.IntegerField(default=0, editable=False)

    class Meta:
        verbose_name = "抽题规则"
        verbose_name_plural = "抽题规则"
        ordering = ["sort_order"]

    def __str__(self) -> str:
        parts = [f"{self.count}道{self.get_type_display()}"]
        if self.tag_id:
            parts.append(f"标签“{self.tag}”")
        if self.difficulty:
            parts.append(f"难度{self.get_difficulty_display()}")
        return "，".join(parts)


class ExamPurpose(models.TextChoices):
    ANNUAL = "annual", "国家工作人员年度学法考试"
    ASSESSMENT = "assessment", "法律明白人考核"
    PRACTICE = "practice", "练习"
    QUIZ = "quiz", "有奖竞答"


class Exam(models.Model):
    """An exam (考试): who may sit it, when, how long, how often, how it is scored."""

    Purpose = ExamPurpose

    class Scoring(models.TextChoices):
        BEST = "best", "取最高分"
        LAST = "last", "取最后一次"

    CATEGORY_CHOICES = [
        ("cadre", "村（社区）干部"),
        ("civil_servant", "国家工作人员"),
        ("public", "群众"),
    ]

    title = models.CharField("考试名称", max_length=200)
    purpose = models.CharField(
        "用途", max_length=12, choices=ExamPurpose.choices, default=ExamPurpose.PRACTICE
    )
    description = models.TextField("考试说明", blank=True)
    paper = models.ForeignKey(
        Paper, verbose_name="试卷", on_delete=models.PROTECT, related_name="exams"
    )
    units = models.ManyToManyField(
        "people.Unit",
        verbose_name="参考单位（含下级）",
        blank=True,
        related_name="+",
        help_text="留空表示不限单位",
    )
    categories = models.JSONField(
        "参考人员类别", default=list, blank=True, help_text="留空表示不限类别"
    )
    opens_at = models.DateTimeField("开始时间")
    closes_at = models.DateTimeField("结束时间")
    time_limit_minutes = models.PositiveIntegerField(
        "答题时长（分钟）",
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
    )
    attempts_allowed = models.PositiveIntegerField(
        "允许次数", default=3, validators=[MinValueValidator(1)]
    )
    scoring = models.CharField(
        "计分方式", max_length=4, choices=Scoring.choices, default=Scoring.BEST
    )
    pass_mark = models.PositiveIntegerField(
        "合格线（百分制）", default=60, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    bands = models.JSONField("等次（百分制下限）", default=default_bands, blank=True)
    show_answers = models.BooleanField("交卷后显示答案与解析", default=True)
    require_study_credit = models.BooleanField("须先完成年度学法学时", default=False)
    grace_seconds = models.PositiveIntegerField("交卷宽限（秒）", default=60)
    is_published = models.BooleanField("发布", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "考试"
        verbose_name_plural = "考试"
        ordering = ["-opens_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def band_for(self, percent: Decimal) -> str:
        for band in sorted(self.bands or [], key=lambda b: -Decimal(str(b["min"]))):
            if percent >= Decimal(str(band["min"])):
                return band["name"]
        return "不合格"


class AttemptState(models.TextChoices):
    OPEN = "open", "答题中"
    SUBMITTED = "submitted", "已交卷"


class Attempt(models.Model):
    """One sitting (答卷). ``paper`` is the drawn paper without the key (see services)."""

    State = AttemptState

    exam = models.ForeignKey(
        Exam, verbose_name="考试", on_delete=models.CASCADE, related_name="attempts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="账号",
        on_delete=models.CASCADE,
        related_name="exam_attempts",
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name="人员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exam_attempts",
    )
    number = models.PositiveIntegerField("第几次", default=1)
    paper = models.JSONField("抽取的试卷", default=dict)
    started_at = models.DateTimeField("开始时间")
    deadline = models.DateTimeField("截止时间")
    state = models.CharField(
        "状态", max_length=10, choices=AttemptState.choices, default=AttemptState.OPEN
    )
    finished_at = models.DateTimeField("交卷时间", null=True, blank=True)
    auto_submitted = models.BooleanField("到时自动交卷", default=False)
    score = models.DecimalField("得分", max_digits=7, decimal_places=1, null=True, blank=True)
    max_score = models.DecimalField("满分", max_digits=7, decimal_places=1, default=0)
    percent = models.DecimalField(
        "百分制得分", max_digits=5, decimal_places=1, null=True, blank=True
    )
    passed = models.BooleanField("合格", null=True, blank=True)
    band = models.CharField("等次", max_length=20, blank=True)

    class Meta:
        verbose_name = "答卷"
        verbose_name_plural = "答卷"
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "exam"],
                condition=Q(state="open"),
                name="exams_one_open_attempt_per_user",
            )
        ]
        indexes = [models.Index(fields=["exam", "state"]), models.Index(fields=["user", "exam"])]

    def __str__(self) -> str:
        return f"{self.exam} · {self.user} · 第{self.number}次"

    @property
    def is_open(self) -> bool:
        return self.state == AttemptState.OPEN

    def result(self) -> dict:
        return {
            "score": float(self.score or 0),
            "max_score": float(self.max_score),
            "percent": float(self.percent or 0),
            "passed": bool(self.passed),
            "band": self.band,
        }


class AttemptAnswer(models.Model):
    """A saved answer; ``seq`` only grows (an older save never overwrites a newer one)."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    answer = models.JSONField("答案", default=list)
    seq = models.PositiveIntegerField("序号", default=0)
    saved_at = models.DateTimeField("保存时间")
    correct = models.BooleanField("正确", null=True, blank=True)
    points = models.DecimalField("得分", max_digits=5, decimal_places=1, default=0)

    class Meta:
        verbose_name = "作答"
        verbose_name_plural = "作答"
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question"], name="exams_one_answer_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.question_id}: {','.join(self.answer)}"


class FocusEvent(models.Model):
    """The page lost focus during an attempt (切屏): logged for review, never auto-failed."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="focus_events")
    kind = models.CharField("类型", max_length=20, default="blur")
    occurred_at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "切屏记录"
        verbose_name_plural = "切屏记录"

    def __str__(self) -> str:
        return f"{self.occurred_at:%H:%M:%S} {self.kind}"


class Regrade(models.Model):
    """An applied regrade (重新判分) after a question's key changed: who, what, whose results."""

    question = models.ForeignKey(
        Question, verbose_name="试题", on_delete=models.CASCADE, related_name="regrades"
    )
    old_answer = models.JSONField("原答案")
    new_answer = models.JSONField("新答案")
    changes = models.JSONField("变化的答卷", default=list)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "重新判分记录"
        verbose_name_plural = "重新判分记录"
        ordering = ["-applied_at"]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.old_answer} → {self.new_answer}"


class Certificate(models.Model):
    """A certificate (证书) of a passed attempt, with a public verification code."""

    attempt = models.OneToOneField(
        Attempt, verbose_name="答卷", on_delete=models.CASCADE, related_name="certificate"
    )
    code = models.CharField("验证码", max_length=20, unique=True)
    name = models.CharField("姓名", max_length=50)
    exam_title = models.CharField("考试", max_length=200)
    band = models.CharField("等次", max_length=20)
    issued_on = models.DateField("发证日期")
    image = models.FileField("证书图片", upload_to="certificates/", blank=True)
    pdf = models.FileField("证书PDF", upload_to="certificates/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "证书"
        verbose_name_plural = "证书"
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.exam_title} · {self.code}"
