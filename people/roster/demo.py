"""Demo district (演示辖区) for ``load_demo_data``: 8 towns, 130 villages/communities, about
1,500 groups/buildings, 6 departments and about 3,000 people with training records — some
villages over quota and some short. Links the demo accounts to the roster.

Idempotent: rows are keyed by unit code and by ID number digest, and only missing rows are
created (in bulk), so a second run changes nothing and every primary key stays the same.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction

from core.identity import make_test_id_number
from people.accounts.models import User
from people.quota.models import QuotaOverride, QuotaTarget
from people.roster.crypto import protect_id
from people.roster.models import Person, PersonEvent, StaffScope, TrainingRecord, Unit

COUNTY = "511112"
DISTRICT_CODE = COUNTY + "000000"
TOWNS = ("桥沟镇", "冠英镇", "金粟镇", "新民镇", "石龙镇", "蔡金镇", "牛华镇", "金山镇")
VILLAGES_PER_TOWN = (17, 16, 17, 16, 16, 16, 16, 16)  # 130
VILLAGE_NAMES = (
    "杨柳",
    "红星",
    "青龙",
    "白鹤",
    "金竹",
    "石桥",
    "新华",
    "团结",
    "光明",
    "和平",
    "胜利",
    "黄桷",
    "双河",
    "三江",
    "龙泉",
    "桂花",
    "兴隆",
    "马鞍",
    "凤凰",
    "柏林",
    "大石",
    "荷花",
    "长乐",
    "永安",
)
DEPARTMENTS = ("区教育局", "区公安分局", "区民政局", "区卫生健康局", "区市场监管局", "区农业农村局")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "明华国建平志兴秀英芳玉兰丽军伟强敏静磊洋勇艳杰娟涛斌超霞刚桂红"
REASON = "演示数据：区司法局培训考核后认定"


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _plan() -> dict:
    """The whole district as plain data, the same on every run (fixed random seed)."""
    rng = random.Random(20251204)  # noqa: S311 - demo data
    towns, villages, groups, people = [], [], [], []
    seq = 0
    for t, (town_name, n_villages) in enumerate(zip(TOWNS, VILLAGES_PER_TOWN, strict=True)):
        town_code = f"{COUNTY}{100 + t:03d}000"
        towns.append((town_code, town_name, t))
        for v in range(n_villages):
            community = v % 6 == 5
            base = VILLAGE_NAMES[(t * 7 + v) % len(VILLAGE_NAMES)]
            name = f"{base}社区" if community else f"{base}村"
            village_code = f"{COUNTY}{100 + t:03d}{201 + v:03d}"
            n_groups = 8 + (t * 5 + v * 3) % 8  # 8..15, about 11.5 on average
            villages.append((village_code, name, town_code, v))
            group_codes = []
            for g in range(n_groups):
                group_code = f"{village_code}{g + 1:02d}"
                group_name = f"{g + 1}栋" if community else f"第{g + 1}村民小组"
                groups.append((group_code, group_name, village_code, g))
                group_codes.append(group_code)
            # Quota shape: the first village of each town is a model village; others vary.
            backbone = 6 if v == 0 else rng.choice((1, 2, 3, 4, 5, 5, 5, 6, 7))
            cover = 1.0 if v == 0 else rng.choice((0.4, 0.6, 0.8, 0.9, 1.0, 1.0))
            for b in range(backbone):
                seq += 1
                unit = group_codes[b % n_groups]
                people.append((seq, unit, "cadre" if b < 2 else "public", "backbone"))
            for g, code in enumerate(group_codes):
                if g >= backbone and rng.random() < cover:
                    seq += 1
                    people.append((seq, code, "public", "ordinary"))
            for _ in range(rng.choice((8, 10, 12, 14))):
                seq += 1
                unit = rng.choice(group_codes + [village_code])
                level = rng.choice(("candidate", "", ""))
                people.append((seq, unit, rng.choice(("cadre", "public", "public")), level))
    for d in range(len(DEPARTMENTS)):
        for _ in range(25):
            seq += 1
            people.append((seq, f"{COUNTY}BM{d + 1:02d}", "civil_servant", ""))
    return {"towns": towns, "villages": villages, "groups": groups, "people": people, "rng": rng}


def _id_number(seq: int) -> str:
    birth = date(1960, 1, 1) + timedelta(days=(seq * 37) % 15000)
    return make_test_id_number("511112", birth, seq % 1000)


def _units(plan: dict) -> dict[str, Unit]:
    existing = {u.code: u for u in Unit.objects.filter(code__startswith=COUNTY)}
    if DISTRICT_CODE not in existing:
        district = Unit(kind="district", code=DISTRICT_CODE, name="梧桐桥区")
        district.save()
        existing[DISTRICT_CODE] = district
    district = existing[DISTRICT_CODE]

    def create(rows, make):
        new = [make(*row) for row in rows if row[0] not in existing]
        if new:
            Unit.objects.bulk_create(new, batch_size=500)
            for unit in new:
                existing[unit.code] = unit
        return new

    new_towns = create(
        plan["towns"],
        lambda code, name, order: Unit(
            kind="town", code=code, name=name, parent=district, sort_order=order
        ),
    )
    for town in new_towns:
        town.town_id = town.pk
    Unit.objects.bulk_update(new_towns, ["town"])
    new_villages = create(
        plan["villages"],
        lambda code, name, town, order: Unit(
            kind="village",
            code=code,
            name=name,
            parent=existing[town],
            town_id=existing[town].pk,
            sort_order=order,
        ),
    )
    for village in new_villages:
        village.village_id = village.pk
    Unit.objects.bulk_update(new_villages, ["village"])
    create(
        plan["groups"],
        lambda code, name, village, order: Unit(
            kind="group",
            code=code,
            name=name,
            parent=existing[village],
            town_id=existing[village].town_id,
            village_id=existing[village].pk,
            sort_order=order,
        ),
    )
    create(
        [(f"{COUNTY}BM{d + 1:02d}", name, d) for d, name in enumerate(DEPARTMENTS)],
        lambda code, name, order: Unit(
            kind="department", code=code, name=name, parent=district, sort_order=order
        ),
    )
    return existing


def _people(plan: dict, units: dict[str, Unit]) -> int:
    rng = random.Random(4)  # noqa: S311 - demo data
    stored = {}
    for seq, _unit, _category, _level in plan["people"]:
        stored[seq] = protect_id(_id_number(seq))
    have = set(
        Person.objects.filter(id_digest__in=[s["id_digest"] for s in stored.values()]).values_list(
            "id_digest", flat=True
        )
    )
    new, levels = [], []
    for seq, unit_code, category, level in plan["people"]:
        trained_on = date(2024, 3, 1) + timedelta(days=rng.randrange(0, 600))
        name = _name(rng)
        removed = level == "ordinary" and seq % 47 == 0
        if stored[seq]["id_digest"] in have:
            continue
        person = Person(
            name=name,
            gender="M" if (seq % 1000) % 2 else "F",
            mobile=f"139{seq:08d}"[:11] if seq % 3 else "",
            unit=units[unit_code],
            category=category,
            level=level,
            status="removed" if removed else "active",
            trained_on=trained_on if level in ("ordinary", "backbone") else None,
            backbone_on=trained_on if level == "backbone" else None,
            removed_on=date(2025, 11, 1) if removed else None,
            **stored[seq],
        )
        new.append(person)
        levels.append((person, seq, level, trained_on, removed))
    if not new:
        return 0
    Person.objects.bulk_create(new, batch_size=500)
    records, events = [], []
    for person, seq, level, trained_on, removed in levels:
        events.append(
            PersonEvent(
                person=person,
                kind="joined",
                occurred_on=date(2024, 1, 15),
                unit=person.unit,
                level="candidate" if level == "candidate" else "",
                reason="演示数据",
            )
        )
        if level in ("ordinary", "backbone"):
            records.append(
                TrainingRecord(
                    person=person,
                    level=level,
                    source="decision",
                    occurred_on=trained_on,
                    reason=REASON,
                    reference=f"demo:{seq}",
                )
            )
        if removed:
            events.append(
                PersonEvent(
                    person=person,
                    kind="removed",
                    occurred_on=date(2025, 11, 1),
                    unit=person.unit,
                    reason="外出务工，清退",
                )
            )
    TrainingRecord.objects.bulk_create(records, batch_size=500)
    PersonEvent.objects.bulk_create(events, batch_size=500)
    return len(new)


def _link_accounts(plan: dict, units: dict[str, Unit]) -> None:
    first_town = units[plan["towns"][0][0]]
    first_village = units[plan["villages"][0][0]]
    department = units[f"{COUNTY}BM01"]
    staff = User.objects.filter(phone="13800000002").first()
    if staff is not None:
        StaffScope.objects.get_or_create(user=staff, unit=first_town)
    for phone, unit, category, seq in (
        ("13800000004", first_village, "cadre", 990_001),
        ("13800000005", department, "civil_servant", 990_002),
    ):
        user = User.objects.filter(phone=phone).first()
        if user is None or Person.objects.filter(user=user).exists():
            continue
        id_number = make_test_id_number("511113", date(1975 + seq % 10, 5, 20), seq % 1000)
        stored = protect_id(id_number)
        person = Person.objects.filter(id_digest=stored["id_digest"]).first()
        if person is None:
            person = Person.objects.create(
                user=user,
                name=user.display_name or "演示学员",
                gender="M" if (seq % 1000) % 2 else "F",
                mobile=phone,
                unit=unit,
                category=category,
                level="candidate" if category == "cadre" else "",
                **stored,
            )
            PersonEvent.objects.create(
                person=person, kind="joined", occurred_on=date(2024, 1, 15), unit=unit
            )
        elif person.user_id is None:
            Person.objects.filter(pk=person.pk).update(user=user)


def _quotas(plan: dict, units: dict[str, Unit]) -> None:
    for year, backbone in ((2024, 4), (2025, 5), (2026, 5)):
        QuotaTarget.objects.get_or_create(
            year=year, defaults={"village_backbone": backbone, "group_trained": 1}
        )
    last_village = units[plan["villages"][-1][0]]
    QuotaOverride.objects.get_or_create(
        year=2026, unit=last_village, defaults={"target": 3, "reason": "新建社区，分两年达标"}
    )


def load(*, stdout=None, password=None) -> dict:
    """Build (or complete) the demo district; a second run changes nothing."""
    plan = _plan()
    with transaction.atomic():
        units = _units(plan)
        created = _people(plan, units)
        _link_accounts(plan, units)
        _quotas(plan, units)
    if stdout is not None:
        stdout.write(
            f"演示辖区：{len(plan['towns'])} 个镇、{len(plan['villages'])} 个村（社区）、"
            f"{len(plan['groups'])} 个村民小组（楼栋）、{len(DEPARTMENTS)} 个部门；"
            f"人员 {len(plan['people'])} 人（本次新增 {created} 人）。"
        )
    return {"units": units, "created": created}
