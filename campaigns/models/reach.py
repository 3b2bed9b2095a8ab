"""Reach figures (覆盖面): server-side page view counts, one row per page and day."""

from django.db import models


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
