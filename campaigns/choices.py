"""Fixed choices of the campaigns app (宣传对象、活动类型、月份)."""

AUDIENCE_CHOICES = [
    ("cadres", "村（社区）干部"),
    ("legal_literate", "法律明白人"),
    ("civil_servants", "国家工作人员"),
    ("youth", "青少年"),
    ("elderly", "老年人"),
    ("migrant_workers", "外出务工人员"),
    ("enterprises", "企业经营管理人员"),
    ("public", "社会公众"),
]
AUDIENCE_LABELS = dict(AUDIENCE_CHOICES)

EVENT_KIND_CHOICES = [
    ("constitution_week", "宪法宣传周"),
    ("civil_code_month", "民法典宣传月"),
    ("seven_into", "法律七进"),
    ("lecture", "法治讲座"),
    ("mediation_open_day", "调解开放日"),
    ("legal_aid_day", "法律援助咨询日"),
    ("fair", "普法集市"),
    ("film", "法治电影放映"),
    ("other", "其他"),
]

MONTH_CHOICES = [(n, f"{n}月") for n in range(1, 13)]


def audience_labels(keys) -> list[str]:
    return [AUDIENCE_LABELS[key] for key in keys or () if key in AUDIENCE_LABELS]
