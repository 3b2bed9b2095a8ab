"""Courses, lessons and study-time credit (课程、课时与学时积分).

Pages: CourseIndexPage → CoursePage → LessonPage. Credit is honest by construction:

* ``StudyDay`` is one row per person per local day. It is also the person's *clock*: it holds
  the time of the last heartbeat the server received (``last_beat_ms``). A heartbeat credits
  only the gap since the previous heartbeat of the same person, and only if that gap is at
  most ``STUDY_MAX_GAP_SECONDS`` (a tab left in the background sends nothing, so a long gap
  credits nothing). Two tabs or devices share the one clock, so together they never earn more
  than the real elapsed time. ``credited_ms`` stops at the day's cap (``cap_ms``), while
  ``studied_ms`` keeps the real time studied that day.
* ``LessonProgress`` is one row per person per lesson: real time on the lesson, whether the
  self-check was passed, and when the lesson was completed (minimum time + self-check).
* ``StudyYearTotal`` is the nightly roll-up per person per year, rebuilt from the raw rows.
* ``StudyRule`` holds the yearly requirement and the daily cap per audience (configurable).

The heartbeat itself is two SQL statements, see ``learning.study.credit``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils.functional import cached_property
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from learning.laws.models import Audience
from learning.study.blocks import LessonStreamBlock

__all__ = [
    "CourseAudience",
    "CourseIndexPage",
    "CoursePage",
    "LeadingCadre",
    "LessonPage",
    "LessonProgress",
    "StudyDay",
    "StudyRule",
    "StudyYearTotal",
]

MS_PER_POINT = 60_000  # 1 point (积分) per minute of study
DEFAULT_DAILY_CAP_POINTS = 125
DEFAULT_REQUIRED_POINTS = 3000

# Audiences of courses and rules; the law library's list plus "everyone" for rules.
COURSE_AUDIENCES = [c for c in Audience.choices if c[0] != Audience.PUBLIC] + [
    (Audience.PUBLIC, "群众（所有人）")
]
RULE_AUDIENCES = [("", "所有人（默认）")] + list(Audience.choices)

PHONE_FIRST_PREVIEW_SIZES = [
    {"name": "mobile", "icon": "mobile-alt", "device_width": 360, "label": "手机尺寸预览（360px）"},
    {"name": "tablet", "icon": "tablet-alt", "device_width": 768, "label": "平板尺寸预览"},
    {"name": "desktop", "icon": "desktop", "device_width": 1280, "label": "电脑尺寸预览"},
]


def _route_specific_child(page, child_model, request, path_components):
    """Route to a child of ``page`` in one query on the child's specific model."""
    if not path_components:
        return Page.route(page, request, path_components)
    child = child_model.objects.child_of(page).filter(slug=path_components[0]).first()
    if child is None:
        raise Http404
    child._cached_parent_obj = page
    return child.route(request, path_components[1:])


class StudyRule(models.Model):
    """年度学时要求与每日上限: per year and audience; the empty audience is everyone's default."""

    year = models.PositiveSmallIntegerField("年度")
    audience = models.CharField(
        "适用对象", max_length=20, choices=RULE_AUDIENCES, blank=True, default=""
    )
    required_points = models.PositiveIntegerField(
        "年度应得积分", default=DEFAULT_REQUIRED_POINTS, help_text="1 分钟 = 1 积分"
    )
    daily_cap_points = models.PositiveIntegerField(
        "每日积分上限", default=DEFAULT_DAILY_CAP_POINTS, help_text="每天最多计入的积分"
    )

    panels = [
        FieldPanel("year"),
        FieldPanel("audience"),
        FieldPanel("required_points"),
        FieldPanel("daily_cap_points"),
    ]

    class Meta:
        verbose_name = "学时规则"
        verbose_name_plural = "学时规则"
        ordering = ["-year", "audience"]
        constraints = [
            models.UniqueConstraint(fields=["year", "audience"], name="learning_studyrule_unique")
        ]

    def __str__(self) -> str:
        who = self.get_audience_display() if self.audience else "所有人"
        return (
            f"{self.year}年 {who}：{self.required_points} 分，每日上限 {self.daily_cap_points} 分"
        )

    def clean(self):
        if self.daily_cap_points == 0:
            raise ValidationError({"daily_cap_points": "每日积分上限必须大于 0。"})


class LeadingCadre(models.Model):
    """领导干部名单: persons who study as leading cadres (the roster has no such category)."""

    person = models.OneToOneField(
        "people.Person",
        verbose_name="人员",
        on_delete=models.CASCADE,
        related_name="leading_cadre",
    )
    position = models.CharField("职务", max_length=100, blank=True)

    panels = [FieldPanel("person"), FieldPanel("position")]

    class Meta:
        verbose_name = "领导干部"
        verbose_name_plural = "领导干部名单"

    def __str__(self) -> str:
        return f"{self.person}（{self.position}）" if self.position else str(self.person)


class CourseIndexPage(Page):
    """课程中心: lists the courses."""

    intro = RichTextField("导语", blank=True, features=["bold", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["learning.CoursePage"]
    max_count = 1
    template = "learning/study/course_index_page.html"

    class Meta:
        verbose_name = "课程中心"

    def route(self, request, path_components):
        # A lesson (course/lesson/) is found in one query by its URL path; a course in one
        # query on its specific model (Wagtail's default costs two queries per level).
        if len(path_components) >= 2:
            url_path = self.url_path + "/".join(path_components[:2]) + "/"
            lesson = LessonPage.objects.filter(url_path=url_path).first()
            if lesson is not None:
                return lesson.route(request, path_components[2:])
        return _route_specific_child(self, CoursePage, request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["courses"] = (
            CoursePage.objects.child_of(self).live().public().specific().order_by("path")
        )
        return context


class CoursePage(Page):
    """课程: a series of lessons, required or elective for audiences."""

    summary = models.CharField("简介", max_length=200, blank=True)
    intro = RichTextField("课程介绍", blank=True)
    cover = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="封面图",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    required_law_lists = ParentalManyToManyField(
        "learning.RequiredLawList",
        verbose_name="关联应知应会清单",
        blank=True,
        related_name="courses",
        help_text="本课程对应的应知应会法律法规清单，课程页会列出清单中的法律作为必读",
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("cover"),
        FieldPanel("intro"),
        MultiFieldPanel(
            [InlinePanel("audiences", label="学习对象")],
            heading="学习对象（必修 / 选修）",
        ),
        FieldPanel("required_law_lists"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary")]
    parent_page_types = ["learning.CourseIndexPage"]
    subpage_types = ["learning.LessonPage"]
    template = "learning/study/course_page.html"

    class Meta:
        verbose_name = "课程"

    def route(self, request, path_components):
        return _route_specific_child(self, LessonPage, request, path_components)

    def lessons(self):
        return LessonPage.objects.child_of(self).live().order_by("path")

    def get_context(self, request, *args, **kwargs):
        from learning.study import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.course_context(self, request.user))
        return context


class CourseAudience(Orderable):
    """A course is required (必修) or elective (选修) for an audience (optionally departments)."""

    course = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="audiences")
    audience = models.CharField("学习对象", max_length=20, choices=COURSE_AUDIENCES)
    required = models.BooleanField("必修", default=True, help_text="不勾选为选修")
    departments = ParentalManyToManyField(
        "people.Unit",
        verbose_name="限定部门",
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "department"},
        help_text="仅对国家工作人员有效；留空表示所有部门",
    )

    panels = [FieldPanel("audience"), FieldPanel("required"), FieldPanel("departments")]

    class Meta(Orderable.Meta):
        verbose_name = "学习对象"
        verbose_name_plural = "学习对象"

    def __str__(self) -> str:
        return f"{self.get_audience_display()}（{'必修' if self.required else '选修'}）"


class LessonPage(Page):
    """课时: one short lesson; counts as completed after its minimum time and self-check."""

    summary = models.CharField("简介", max_length=200, blank=True)
    min_minutes = models.PositiveSmallIntegerField(
        "最少学习时间（分钟）", default=5, help_text="学满此时间并通过自测后，本课时记为完成"
    )
    body = StreamField(LessonStreamBlock(), blank=True, verbose_name="正文")
    # Derived from the body on save (used by the heartbeat SQL without loading the body).
    has_self_check = models.BooleanField("含自测题", default=False, editable=False)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("min_minutes"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    parent_page_types = ["learning.CoursePage"]
    subpage_types: list[str] = []
    template = "learning/study/lesson_page.html"
    # Editors preview lessons on a 360-px phone first (then tablet / desktop).
    preview_sizes = PHONE_FIRST_PREVIEW_SIZES

    class Meta:
        verbose_name = "课时"

    @property
    def min_ms(self) -> int:
        return int(self.min_minutes) * 60_000

    def save(self, *args, **kwargs):
        self.has_self_check = any(block.block_type == "self_check" for block in self.body)
        return super().save(*args, **kwargs)

    def get_view_restrictions(self):
        """Wagtail's privacy check in one query: restrictions on this page, its ancestors, or
        the pages they are aliases of."""
        from django.db.models import Q
        from wagtail.models import PageViewRestriction

        paths = [self.path[:i] for i in range(self.steplen, len(self.path) + 1, self.steplen)]
        return PageViewRestriction.objects.filter(
            Q(page__path__in=paths) | Q(page__aliases__path__in=paths)
        ).distinct()

    @cached_property
    def self_check(self):
        """The lesson's self-check block value (the first one), or None."""
        for block in self.body:
            if block.block_type == "self_check":
                return block
        return None

    def get_context(self, request, *args, **kwargs):
        from learning.study import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.lesson_context(self, request))
        return context


class StudyDay(models.Model):
    """每日学时: one row per person per day; also the person's clock (see module docstring)."""

    person = models.ForeignKey(
        "people.Person", verbose_name="人员", on_delete=models.CASCADE, related_name="study_days"
    )
    day = models.DateField("日期")
    credited_ms = models.BigIntegerField("计入学时（毫秒）", default=0)
    studied_ms = models.BigIntegerField("实际学习时间（毫秒）", default=0)
    cap_ms = models.BigIntegerField("当日上限（毫秒）", default=DEFAULT_DAILY_CAP_POINTS * 60_000)
    last_beat_ms = models.BigIntegerField("最近一次心跳（毫秒时间戳）", default=0)
    last_gap_ms = models.BigIntegerField("最近一次计入的间隔（毫秒）", default=0)
    beats = models.PositiveIntegerField("心跳次数", default=0)
    lesson = models.ForeignKey(
        LessonPage,
        verbose_name="最近学习的课时",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "每日学时"
        verbose_name_plural = "每日学时"
        ordering = ["person_id", "day"]
        constraints = [
            models.UniqueConstraint(fields=["person", "day"], name="learning_studyday_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.day}：{self.points} 分"

    @property
    def points(self) -> int:
        return self.credited_ms // MS_PER_POINT


class LessonProgress(models.Model):
    """课时进度: real time on a lesson, self-check result, completion."""

    person = models.ForeignKey(
        "people.Person",
        verbose_name="人员",
        on_delete=models.CASCADE,
        related_name="lesson_progress",
    )
    lesson = models.ForeignKey(
        LessonPage, verbose_name="课时", on_delete=models.CASCADE, related_name="progress"
    )
    studied_ms = models.BigIntegerField("学习时间（毫秒）", default=0)
    self_check_passed = models.BooleanField("自测通过", default=False)
    self_check_attempts = models.PositiveIntegerField("自测次数", default=0)
    started_at = models.DateTimeField("开始时间")
    last_seen_at = models.DateTimeField("最近学习时间")
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "课时进度"
        verbose_name_plural = "课时进度"
        constraints = [
            models.UniqueConstraint(
                fields=["person", "lesson"], name="learning_lessonprogress_unique"
            )
        ]
        indexes = [models.Index(fields=["person", "-last_seen_at"], name="progress_recent_idx")]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.lesson_id}"

    @property
    def studied_minutes(self) -> int:
        return self.studied_ms // 60_000


class StudyYearTotal(models.Model):
    """年度学时汇总 (nightly roll-up; rebuilt from StudyDay and LessonProgress)."""

    person = models.ForeignKey(
        "people.Person",
        verbose_name="人员",
        on_delete=models.CASCADE,
        related_name="study_year_totals",
    )
    year = models.PositiveSmallIntegerField("年度")
    points = models.PositiveIntegerField("积分", default=0)
    credited_ms = models.BigIntegerField("计入学时（毫秒）", default=0)
    studied_ms = models.BigIntegerField("实际学习时间（毫秒）", default=0)
    days = models.PositiveIntegerField("学习天数", default=0)
    lessons_completed = models.PositiveIntegerField("完成课时数", default=0)
    rolled_up_at = models.DateTimeField("汇总时间")

    class Meta:
        verbose_name = "年度学时汇总"
        verbose_name_plural = "年度学时汇总"
        ordering = ["year", "person_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year"], name="learning_studyyeartotal_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.year}：{self.points} 分"
