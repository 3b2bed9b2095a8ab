"""Quota targets (名额目标): the year's targets and single-unit overrides, editable by district
admins. The figures themselves are derived from training records (people.quota.selectors)."""

from django.db import models

from people.roster.models import Unit


class QuotaTarget(models.Model):
    """Targets for a year (年度名额目标), editable by district admins."""

    year = models.PositiveIntegerField("年度", unique=True)
    village_backbone = models.PositiveIntegerField("每村（社区）骨干法律明白人", default=5)
    group_trained = models.PositiveIntegerField("每村民小组（楼栋）法律明白人", default=1)

    class Meta:
        verbose_name = "年度名额目标"
        verbose_name_plural = "年度名额目标"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年名额目标"


class QuotaOverride(models.Model):
    """A target for a single village (backbone) or group (trained) in a year."""

    year = models.PositiveIntegerField("年度")
    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="quota_overrides"
    )
    target = models.PositiveIntegerField(
        "目标人数", help_text="村（社区）：骨干人数；村民小组（楼栋）：法律明白人人数"
    )
    reason = models.CharField("原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "单位名额调整"
        verbose_name_plural = "单位名额调整"
        constraints = [
            models.UniqueConstraint(fields=["year", "unit"], name="quotaoverride_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.unit}：{self.target}"
