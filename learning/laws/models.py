"""Law library models (法律库): laws, their structure (编/章/节), articles (条), aliases,
and required-laws lists (应知应会法律法规清单).

A ``Law`` row is one *version* of a law. Versions of the same law share ``title`` and
``slug``; exactly one of them is ``current`` and the others are ``superseded`` (each points to
the version it replaced through ``previous_version``). Article pages live at
``/laws/<slug>/<number>/`` and always show the current version.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel

from learning.laws.lawtext.numerals import article_label

__all__ = [
    "Article",
    "Law",
    "LawAlias",
    "LawSection",
    "RequiredLawItem",
    "RequiredLawList",
]


class LawStatus(models.TextChoices):
    CURRENT = "current", "现行有效"
    SUPERSEDED = "superseded", "已被修订"


class Law(models.Model):
    """One version of a law (法律版本)."""

    Status = LawStatus

    title = models.CharField("法律名称", max_length=200, db_index=True)
    short_title = models.CharField("简称", max_length=100, db_index=True)
    slug = models.SlugField("网址名", max_length=120, allow_unicode=True)
    category = models.CharField("法律部门", max_length=50, blank=True)
    version_date = models.DateField("版本日期", null=True, blank=True)
    effective_date = models.DateField("施行日期", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=LawStatus.choices, default=LawStatus.CURRENT
    )
    previous_version = models.OneToOneField(
        "self",
        verbose_name="上一版本",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_version",
    )
    is_amendment = models.BooleanField("修正案", default=False)
    preamble = models.JSONField("序言", default=list, blank=True)  # list of paragraphs
    dates = models.JSONField("制定与修改记录", default=list, blank=True)  # header date lines
    source = models.CharField("来源", max_length=300, blank=True)
    content_hash = models.CharField("全文摘要", max_length=64, blank=True)
    article_count = models.PositiveIntegerField("条文数", default=0)
    imported_at = models.DateTimeField("导入时间", auto_now_add=True)

    class Meta:
        verbose_name = "法律"
        verbose_name_plural = "法律"
        ordering = ["title", "-version_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(status="current"),
                name="learning_law_one_current_per_slug",
            ),
            models.UniqueConstraint(
                fields=["title", "content_hash"], name="learning_law_unique_version"
            ),
        ]

    def __str__(self) -> str:
        if self.status == LawStatus.SUPERSEDED and self.version_date:
            return f"{self.title}（{self.version_date:%Y年%m月%d日}版，已被修订）"
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("law_detail", args=[self.slug])

    @property
    def is_current(self) -> bool:
        return self.status == LawStatus.CURRENT


class LawAlias(models.Model):
    """Another name of a law (别名): 民法典 ↔ 中华人民共和国民法典; names map to ``Law.title``."""

    name = models.CharField("名称", max_length=200, unique=True)
    title = models.CharField("法律全称", max_length=200, db_index=True)

    class Meta:
        verbose_name = "法律别名"
        verbose_name_plural = "法律别名"
        ordering = ["title", "name"]

    def __str__(self) -> str:
        return f"{self.name} → {self.title}"


class LawSection(models.Model):
    """A heading in a law's structure: 编 / 分编 / 章 / 节, any depth, in document order."""

    law = models.ForeignKey(
        Law, verbose_name="法律", on_delete=models.CASCADE, related_name="sections"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    kind = models.CharField("层级", max_length=4, blank=True)  # 编/分编/章/节 or ""
    number = models.PositiveIntegerField("序号", null=True, blank=True)
    title = models.CharField("标题", max_length=200)
    label = models.CharField("完整标题", max_length=220)  # 第一章 基本规定
    depth = models.PositiveSmallIntegerField("深度", default=0)
    sort_order = models.PositiveIntegerField("顺序", default=0)  # document order within the law

    class Meta:
        verbose_name = "编章节"
        verbose_name_plural = "编章节"
        ordering = ["law", "sort_order"]
        indexes = [models.Index(fields=["law", "sort_order"])]

    def __str__(self) -> str:
        return self.label


class Article(models.Model):
    """An article (条) of one law version; ``paragraphs`` are its 款 (and 项 lines)."""

    law = models.ForeignKey(
        Law, verbose_name="法律", on_delete=models.CASCADE, related_name="articles"
    )
    number = models.PositiveIntegerField("条号")
    suffix = models.PositiveIntegerField("之几", default=0)  # 第二十条之一 -> 1
    label = models.CharField("条文序号", max_length=40)  # 第一千零四十三条
    paragraphs = models.JSONField("条文（各款）", default=list)
    text = models.TextField("条文全文")  # paragraphs joined by newlines
    section = models.ForeignKey(
        LawSection,
        verbose_name="所在编章节",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    sort_order = models.PositiveIntegerField("顺序", default=0)
    text_hash = models.CharField("条文摘要", max_length=64)
    previous_article = models.ForeignKey(
        "self",
        verbose_name="上一版本中的本条",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_from_previous = models.BooleanField("较上一版本有修改", default=False)
    everyday_names = models.CharField(
        "俗称与关键词",
        max_length=500,
        blank=True,
        help_text="群众常用的说法，用顿号或逗号分隔，如“高空抛物、离婚冷静期”；搜索会用到。",
    )
    # search index input (see learning.laws.search): segmented words of the law's names, the
    # label and the everyday names (names_tokens), and of the text (search_tokens)
    names_tokens = models.TextField("检索分词（名称）", blank=True, editable=False)
    search_tokens = models.TextField("检索分词", blank=True, editable=False)

    class Meta:
        verbose_name = "法条"
        verbose_name_plural = "法条"
        ordering = ["law", "sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["law", "number", "suffix"], name="learning_article_unique_number"
            )
        ]
        indexes = [models.Index(fields=["law", "sort_order"])]

    def __str__(self) -> str:
        return f"{self.law.short_title}{self.label}"

    def get_absolute_url(self) -> str:
        if self.suffix:
            return reverse("law_article_suffix", args=[self.law.slug, self.number, self.suffix])
        return reverse("law_article", args=[self.law.slug, self.number])

    @property
    def citation(self) -> str:
        """《中华人民共和国民法典》第一千零四十三条"""
        return f"《{self.law.title}》{self.label}"

    @property
    def canonical_label(self) -> str:
        return article_label(self.number, self.suffix)

    def everyday_name_list(self) -> list[str]:
        from learning.laws.lawtext.names import split_names

        return split_names(self.everyday_names)


class Audience(models.TextChoices):
    LEADING_CADRE = "leading_cadre", "领导干部"
    VILLAGE_CADRE = "village_cadre", "村（社区）干部"
    LEGAL_PERSON = "legal_person", "法律明白人"
    CIVIL_SERVANT = "civil_servant", "国家工作人员"
    PUBLIC = "public", "群众"


class RequiredLawList(ClusterableModel):
    """应知应会法律法规清单: the laws or articles an audience must know."""

    Audience = Audience

    title = models.CharField("清单名称", max_length=200)
    audience = models.CharField("适用对象", max_length=20, choices=Audience.choices)
    department = models.ForeignKey(
        "people.Unit",
        verbose_name="适用部门",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        limit_choices_to={"kind": "department"},
        related_name="required_law_lists",
        help_text="某一部门国家工作人员的清单选择部门；留空适用于所有同类人员",
    )
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    description = models.TextField("说明", blank=True)
    is_active = models.BooleanField("启用", default=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "应知应会清单"
        verbose_name_plural = "应知应会清单"
        ordering = ["audience", "-year", "title"]

    def __str__(self) -> str:
        return self.title


class RequiredLawItem(models.Model):
    """One entry: a whole law (``article`` empty) or one article of it."""

    required_list = ParentalKey(
        RequiredLawList, verbose_name="清单", on_delete=models.CASCADE, related_name="items"
    )
    law = models.ForeignKey(Law, verbose_name="法律", on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(
        Article,
        verbose_name="法条",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="留空表示整部法律",
    )
    note = models.CharField("备注", max_length=200, blank=True)
    sort_order = models.PositiveIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "清单条目"
        verbose_name_plural = "清单条目"
        ordering = ["required_list", "sort_order", "pk"]

    panels = [
        FieldPanel("law"),
        FieldPanel("article"),
        FieldPanel("note"),
    ]

    def __str__(self) -> str:
        return str(self.article) if self.article_id else str(self.law)

    def clean(self):
        super().clean()
        if self.article_id and self.law_id and self.article.law_id != self.law_id:
            raise ValidationError({"article": "所选法条不属于所选法律"})
