"""Home app: the home page, general pages and site-wide settings (门户首页与站点设置)."""

from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from home.blocks import GeneralStreamBlock


class HomePage(Page):
    """The portal's home page (首页)."""

    intro = models.CharField("导语", max_length=200, blank=True)
    body = StreamField(GeneralStreamBlock(), blank=True, verbose_name="正文")

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = "首页"


class StandardPage(Page):
    """A general page: about us, the 12348 hotline, notices (通用页面)."""

    intro = models.CharField("导语", max_length=200, blank=True)
    body = StreamField(GeneralStreamBlock(), blank=True, verbose_name="正文")

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    class Meta:
        verbose_name = "通用页面"


@register_setting(icon="cog")
class PlatformSettings(ClusterableModel, BaseSiteSetting):
    """Platform name, district, hotline, footer and navigation (站点设置)."""

    platform_name = models.CharField("平台名称", max_length=60, default="明白 · 法律明白人培养平台")
    district_name = models.CharField("区县名称", max_length=60, default="梧桐桥区")
    hotline = models.CharField("公共法律服务热线", max_length=20, default="12348")
    footer_text = RichTextField(
        "页脚说明",
        blank=True,
        features=["bold", "link"],
        default="主办：区司法局　技术支持：明白平台",
    )
    filing_number = models.CharField("备案号", max_length=60, blank=True)

    panels = [
        FieldPanel("platform_name"),
        FieldPanel("district_name"),
        FieldPanel("hotline"),
        FieldPanel("footer_text"),
        FieldPanel("filing_number"),
        InlinePanel("nav_links", label="导航链接"),
    ]

    class Meta:
        verbose_name = "站点设置"


class NavigationLink(Orderable):
    """One entry of the main navigation (导航)."""

    settings = ParentalKey(PlatformSettings, related_name="nav_links", on_delete=models.CASCADE)
    title = models.CharField("名称", max_length=20)
    page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="页面",
    )
    url = models.CharField("或链接地址", max_length=200, blank=True)

    panels = [FieldPanel("title"), PageChooserPanel("page"), FieldPanel("url")]

    class Meta(Orderable.Meta):
        verbose_name = "导航链接"

    @property
    def href(self) -> str:
        if self.page_id:
            return self.page.url or "#"
        return self.url or "#"
