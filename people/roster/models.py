"""Organisation tree, roster, training records, quotas and scopes (组织、名单、培训记录、名额).

Imported by people.roster.models; kept apart from the account models.

Performance notes (province scale: 30,000 villages, 300,000 groups, 1,000,000 people):
every Unit carries denormalised ``town`` and ``village`` (itself when it is one), so "all
units of a town" and "per-village totals" are single indexed filters / GROUP BYs. Every
Person carries ``trained_on``, ``backbone_on`` and ``removed_on``, derived only from its
training records and status history by ``people.roster.services.person_recompute`` (the
``recompute_people`` command rebuilds them all exactly), so quota counts are one indexed
aggregate over Person.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.identity import mask_mobile

UNIT_KINDS = [
    ("district", "区"),
    ("town", "镇（街道）"),
    ("village", "村（社区）"),
    ("group", "村民小组（小区楼栋）"),
    ("department", "区级部门"),
]
CATEGORY_CHOICES = [
    ("cadre", "村（社区）干部"),
    ("civil_servant", "国家工作人员"),
    ("public", "群众"),
]
LEVEL_CHOICES = [("", "无"), ("candidate", "候选"), ("ordinary", "普通"), ("backbone", "骨干")]
TRAINED_LEVELS = [("ordinary", "普通"), ("backbone", "骨干")]
STATUS_CHOICES = [("active", "在册"), ("removed", "清退")]
GENDER_CHOICES = [("M", "男"), ("F", "女")]


class Unit(models.Model):
    """A unit of the organisation tree: 区 → 镇 → 村（社区）→ 村民小组（楼栋）, plus 区级部门."""

    kind = models.CharField("类型", max_length=12, choices=UNIT_KINDS, db_index=True)
    code = models.CharField("编码", max_length=64, unique=True)
    name = models.CharField("名称", max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Denormalised ancestors (maintained by save()): the town / village the unit is in,
    # itself for a town / village.
    town = models.ForeignKey(
        "self",
        verbose_name="所属镇",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    village = models.ForeignKey(
        "self",
        verbose_name="所属村（社区）",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位（组织架构）"
        ordering = ["sort_order", "code"]
        indexes = [
            models.Index(fields=["town", "kind"]),
            models.Index(fields=["village", "kind"]),
            models.Index(fields=["parent", "sort_order"]),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        old = None
        if self.pk:
            old = Unit.objects.filter(pk=self.pk).values("town_id", "village_id").first()
        super().save(*args, **kwargs)
        town_id, village_id = self.derived_ancestors()
        if (town_id, village_id) != (self.town_id, self.village_id):
            self.town_id, self.village_id = town_id, village_id
            Unit.objects.filter(pk=self.pk).update(town_id=town_id, village_id=village_id)
        if old and (old["town_id"], old["village_id"]) != (town_id, village_id):
            for child in Unit.objects.filter(parent=self).select_related("parent"):
                child.save()  # moving a unit carries its subtree along

    def derived_ancestors(self) -> tuple[int | None, int | None]:
        """(town_id, village_id) from the kind and the parent's own denormalised fields."""
        parent = self.parent
        town_id = parent.town_id if parent else None
        village_id = parent.village_id if parent else None
        if self.kind == "town":
            town_id, village_id = self.pk, None
        elif self.kind == "village":
            village_id = self.pk
        elif self.kind in ("district", "department"):
            town_id = village_id = None
        return town_id, village_id


class StaffScope(models.Model):
    """Which unit a staff account may see and change (a town, a village, or the district)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="账号",
        on_delete=models.CASCADE,
        related_name="staff_scopes",
    )
    unit = models.ForeignKey(Unit, verbose_name="管辖单位", on_delete=models.CASCADE)

    class Meta:
        verbose_name = "管辖范围"
        verbose_name_plural = "管辖范围"
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="staffscope_unique")]

    def __str__(self) -> str:
        return f"{self.user} → {self.unit}"


class Person(models.Model):
    """A roster entry (人员). The ID card number is stored encrypted plus a keyed digest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="登录账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=1, choices=GENDER_CHOICES, blank=True)
    id_cipher = models.TextField("身份证号（密文）", editable=False)
    id_digest = models.CharField("身份证号摘要", max_length=64, unique=True, editable=False)
    id_last4 = models.CharField("身份证号后四位", max_length=4, editable=False)
    id_masked = models.CharField("身份证号", max_length=18, editable=False)
    mobile = models.CharField("手机号", max_length=11, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name="所在单位", on_delete=models.PROTECT, related_name="persons"
    )
    category = models.CharField("类别", max_length=16, choices=CATEGORY_CHOICES)
    level = models.CharField(
        "法律明白人等级", max_length=12, choices=LEVEL_CHOICES, blank=True, default=""
    )
    status = models.CharField("状态", max_length=10, choices=STATUS_CHOICES, default="active")
    # Derived from TrainingRecord / PersonEvent by services.person_recompute; never typed in.
    trained_on = models.DateField("首次认定日期", null=True, blank=True, editable=False)
    backbone_on = models.DateField("认定骨干日期", null=True, blank=True, editable=False)
    removed_on = models.DateField("清退日期", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员名单"
        ordering = ["unit_id", "name", "pk"]
        indexes = [
            models.Index(
                fields=["unit", "trained_on", "backbone_on", "removed_on"],
                name="person_quota_idx",
                condition=Q(trained_on__isnull=False),
            ),
            models.Index(fields=["category", "unit"], name="person_category_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile) if self.mobile else ""


class PersonEvent(models.Model):
    """Dated status / level / unit history (状态记录), including 清退 with a reason."""

    KINDS = [
        ("joined", "登记"),
        ("level", "等级变更"),
        ("moved", "调动"),
        ("removed", "清退"),
        ("restored", "恢复"),
        ("updated", "信息更新"),
    ]
    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField("事项", max_length=12, choices=KINDS)
    occurred_on = models.DateField("日期")
    level = models.CharField("等级", max_length=12, choices=LEVEL_CHOICES, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name="单位", null=True, blank=True, on_delete=models.SET_NULL
    )
    reason = models.CharField("原因", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "人员状态记录"
        verbose_name_plural = "人员状态记录"
        ordering = ["person_id", "occurred_on", "pk"]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.get_kind_display()}"


class TrainingRecord(models.Model):
    """The only way a person counts as a trained 法律明白人: an exam pass or a recorded decision."""

    SOURCES = [("exam", "考核通过"), ("decision", "管理员认定"), ("import", "名单导入认定")]
    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.CASCADE, related_name="training_records"
    )
    level = models.CharField("认定等级", max_length=12, choices=TRAINED_LEVELS)
    source = models.CharField("来源", max_length=10, choices=SOURCES)
    occurred_on = models.DateField("认定日期")
    reason = models.CharField("依据/原因", max_length=200)
    reference = models.CharField("来源编号", max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="认定人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "培训认定记录"
        verbose_name_plural = "培训认定记录"
        ordering = ["person_id", "occurred_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "source", "reference"],
                condition=~Q(reference=""),
                name="trainingrecord_unique_reference",
            )
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.get_level_display()}（{self.get_source_display()}）"


class RosterImport(models.Model):
    """One upload of a roster file (名单导入): validated, previewed, then applied by a task."""

    STATES = [
        ("pending", "待处理"),
        ("running", "处理中"),
        ("preview", "预检完成"),
        ("failed", "有错误"),
        ("done", "已导入"),
    ]
    filename = models.CharField("文件名", max_length=200)
    content = models.BinaryField("文件内容", editable=False)
    dry_run = models.BooleanField("仅预检", default=True)
    state = models.CharField("状态", max_length=10, choices=STATES, default="pending")
    total_rows = models.PositiveIntegerField("总行数", default=0)
    processed_rows = models.PositiveIntegerField("已处理行数", default=0)
    created_count = models.PositiveIntegerField("新增", default=0)
    updated_count = models.PositiveIntegerField("更新", default=0)
    unchanged_count = models.PositiveIntegerField("未变", default=0)
    errors = models.JSONField("错误", default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "名单导入"
        verbose_name_plural = "名单导入"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename}（{self.get_state_display()}）"

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 100 if self.state in ("done", "failed", "preview") else 0
        return min(100, self.processed_rows * 100 // self.total_rows)
