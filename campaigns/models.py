"""Campaign pages (一月一主题): index, year calendar, monthly campaign, event; reach figures.

The campaign quiz (campaigns.quiz.models) and the duty reports (campaigns.duty.models) are
sub-homes of this app; their models are registered here because Django loads ``campaigns.models``.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from campaigns.blocks import CampaignStreamBlock, DownloadBlock
from campaigns.choices import AUDIENCE_CHOICES, EVENT_KIND_CHOICES, MONTH_CHOICES, audience_labels
from campaigns.duty import models as duty_models  # noqa: F401  (registered with this app)
from campaigns.page_cache import CachedServeMixin
from campaigns.quiz import models as quiz_models  # noqa: F401  (registered with this app)


class CampaignIndexPage(Page):
    """普法宣传 (the campaigns section): years of monthly themes and upcoming events."""

    intro = models.CharField("导语", max_length=200, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    api_fields = [APIField("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["campaigns.CampaignYearPage"]
    max_count = 1

    class Meta:
        verbose_name = "普法宣传栏目"

    def route(self, request, path_components):
        """Resolve /<year>/<month>/<event>/ in one query on the right page type.

        The depth below this page tells the type (year → campaign → event), so a campaign or
        event page is found with a single query instead of two per path segment.
        """
        if not path_components:
            return super().route(request, path_components)
        model = {1: CampaignYearPage, 2: CampaignPage, 3: EventPage}.get(len(path_components))
        if model is None:
            raise Http404
        queryset = model.objects.filter(url_path=self.url_path + "/".join(path_components) + "/")
        if model is EventPage:
            queryset = queryset.select_related("place", "organiser")
        page = queryset.first()
        if page is None:
            raise Http404
        return page.route(request, [])

    def get_context(self, request, *args, **kwargs):
        from campaigns.selectors import campaign_current, events_upcoming

        context = super().get_context(request, *args, **kwargs)
        context["years"] = CampaignYearPage.objects.child_of(self).live().order_by("-year")
        context["current"] = campaign_current()
        context["upcoming"] = events_upcoming(limit=10)
        return context


class CampaignYearPage(Page):
    """One year of monthly themes (年度一月一主题计划), shown as a 12-month calendar."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    intro = models.CharField("导语", max_length=200, blank=True)

    content_panels = Page.content_panels + [FieldPanel("year"), FieldPanel("intro")]
    api_fields = [APIField("year"), APIField("intro")]
    parent_page_types = ["campaigns.CampaignIndexPage"]
    subpage_types = ["campaigns.CampaignPage"]

    class Meta:
        verbose_name = "年度宣传计划"

    def months(self) -> list[dict]:
        """Twelve entries, one per month, each with its live campaign page (or None)."""
        pages = {
            page.month: page
            for page in CampaignPage.objects.child_of(self).live().order_by("month", "pk")
        }
        today = timezone.localdate()
        return [
            {
                "month": month,
                "label": label,
                "page": pages.get(month),
                "current": self.year == today.year and month == today.month,
            }
            for month, label in MONTH_CHOICES
        ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["months"] = self.months()
        return context


class CampaignPageForm(WagtailAdminPageForm):
    audiences = forms.MultipleChoiceField(
        label="宣传对象",
        choices=AUDIENCE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        month = cleaned.get("month")
        parent = self.parent_page.specific if self.parent_page else None
        if month and isinstance(parent, CampaignYearPage):
            clash = CampaignPage.objects.child_of(parent).filter(month=month)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("month", f"{parent.year}年{month}月已经有主题宣传页面。")
        return cleaned


class CampaignPage(CachedServeMixin, Page):
    """One month's theme (月度主题宣传): theme, audiences, content, downloads, lessons, quiz."""

    theme = models.CharField("主题", max_length=60)
    month = models.PositiveSmallIntegerField("月份", choices=MONTH_CHOICES)
    year = models.PositiveSmallIntegerField("年度", editable=False, default=0)
    summary = models.CharField("一句话介绍", max_length=200, blank=True)
    audiences = models.JSONField("宣传对象", default=list, blank=True)
    body = StreamField(CampaignStreamBlock(), blank=True, verbose_name="正文")
    poster = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="宣传海报图片",
        help_text="可选：设计好的海报；二维码海报由平台在发布时自动生成。",
    )
    quiz = models.ForeignKey(
        "campaigns.CampaignQuiz",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="答题活动",
    )
    downloads = StreamField([("document", DownloadBlock())], blank=True, verbose_name="下载资料")
    lessons = StreamField(
        [("lesson", blocks.PageChooserBlock(page_type="learning.LessonPage", label="课程"))],
        blank=True,
        verbose_name="相关课程",
    )

    base_form_class = CampaignPageForm
    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("theme"), FieldPanel("month")]),
        FieldPanel("summary"),
        FieldPanel("audiences"),
        FieldPanel("body"),
        FieldPanel("poster"),
        FieldPanel("quiz"),
        FieldPanel("downloads"),
        FieldPanel("lessons"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("theme"),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("year"),
        index.FilterField("month"),
    ]
    api_fields = [
        APIField("theme"),
        APIField("year"),
        APIField("month"),
        APIField("summary"),
        APIField("audience_names"),
        APIField("body"),
        APIField("poster"),
        APIField("downloads"),
        APIField("lessons"),
        APIField("quiz_url"),
    ]
    parent_page_types = ["campaigns.CampaignYearPage"]
    subpage_types = ["campaigns.EventPage"]

    class Meta:
        verbose_name = "月度主题宣传"

    @property
    def audience_names(self) -> list[str]:
        return audience_labels(self.audiences)

    @property
    def quiz_url(self) -> str:
        from django.urls import reverse

        return reverse("campaigns_quiz", args=[self.quiz_id]) if self.quiz_id else ""

    @property
    def starts_on(self) -> datetime.date:
        return datetime.date(self.year or timezone.localdate().year, self.month, 1)

    def save(self, *args, **kwargs):
        parent = self.get_parent() if self.depth else None
        if parent is not None and isinstance(parent.specific, CampaignYearPage):
            self.year = parent.specific.year
        elif not self.year:
            self.year = timezone.localdate().year
        return super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from campaigns.selectors import campaign_reach, poster_url

        context = super().get_context(request, *args, **kwargs)
        context["events"] = (
            list(EventPage.objects.child_of(self).live().select_related("place").order_by("start"))
            if self.numchild
            else []
        )
        context["lessons"] = [
            block.value for block in self.lessons if block.value is not None and block.value.live
        ]
        context["poster_url"] = poster_url(self)
        if request.user.is_authenticated and request.user.is_staff:
            context["reach"] = campaign_reach(self)
        return context


class EventPage(CachedServeMixin, Page):
    """A publicity event (宣传活动): when, where, who organises it, and how it went."""

    kind = models.CharField("活动类型", max_length=30, choices=EVENT_KIND_CHOICES)
    start = models.DateTimeField("开始时间")
    end = models.DateTimeField("结束时间")
    place = models.ForeignKey(
        "people.Unit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"kind__in": ["town", "village"]},
        verbose_name="地点（镇/村）",
    )
    address = models.CharField("详细地点", max_length=120, blank=True)
    organiser = models.ForeignKey(
        "people.Unit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"kind": "department"},
        verbose_name="主办部门",
    )
    summary = models.CharField("一句话介绍", max_length=200, blank=True)
    body = StreamField(CampaignStreamBlock(), blank=True, verbose_name="活动介绍")
    participants = models.PositiveIntegerField(
        "参加人数", null=True, blank=True, help_text="活动结束后填写。"
    )
    report = models.TextField("活动小结", blank=True, help_text="活动结束后填写。")

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        FieldRowPanel([FieldPanel("place"), FieldPanel("address")]),
        FieldPanel("organiser"),
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("participants"), FieldPanel("report"), InlinePanel("photos", label="照片")],
            heading="活动结束后",
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("address"),
        index.FilterField("start"),
    ]
    api_fields = [
        APIField("kind"),
        APIField("kind_label"),
        APIField("start"),
        APIField("end"),
        APIField("place_name"),
        APIField("address"),
        APIField("organiser_name"),
        APIField("summary"),
        APIField("body"),
        APIField("participants"),
        APIField("report"),
        APIField("photos"),
    ]
    parent_page_types = ["campaigns.CampaignPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "宣传活动"

    @property
    def kind_label(self) -> str:
        return self.get_kind_display()

    @property
    def place_name(self) -> str:
        return self.place.name if self.place_id else ""

    @property
    def organiser_name(self) -> str:
        return self.organiser.name if self.organiser_id else ""

    @property
    def is_past(self) -> bool:
        return self.end < timezone.now()

    def clean(self):
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": "结束时间不能早于开始时间。"})

    def get_context(self, request, *args, **kwargs):
        from campaigns.selectors import poster_url

        context = super().get_context(request, *args, **kwargs)
        context["photos"] = list(self.photos.select_related("image")) if self.is_past else []
        context["poster_url"] = poster_url(self)
        return context


class EventPhoto(Orderable):
    """A photo taken at the event (活动照片)."""

    page = ParentalKey(EventPage, related_name="photos", on_delete=models.CASCADE)
    image = models.ForeignKey(
        "wagtailimages.Image", on_delete=models.CASCADE, related_name="+", verbose_name="照片"
    )
    caption = models.CharField("说明", max_length=100, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]
    api_fields = [APIField("image"), APIField("caption")]

    class Meta(Orderable.Meta):
        verbose_name = "活动照片"


class PageViewDaily(models.Model):
    """Views of one page on one day, counted on the server (no third-party tracker)."""

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name="页面"
    )
    day = models.DateField("日期")
    views = models.PositiveIntegerField("浏览次数", default=0)

    class Meta:
        verbose_name = "页面浏览量"
        verbose_name_plural = "页面浏览量"
        constraints = [
            models.UniqueConstraint(fields=["page", "day"], name="campaigns_pageview_page_day")
        ]

    def __str__(self) -> str:
        return f"{self.page_id} {self.day}: {self.views}"
