"""Small helpers to build an organisation tree and roster in tests."""

from datetime import date

from core.identity import make_test_id_number
from people.roster.models import Unit
from people.roster.services import person_create, training_record_create

_seq = {"n": 0}


def unit(kind, code, name=None, parent=None):
    u = Unit(kind=kind, code=code, name=name or code, parent=parent)
    u.save()
    return u


def small_tree():
    """District D; towns T1, T2; T1 has villages V1 (groups G1, G2) and V2 (no groups); T2 has V3 (G3)."""
    d = unit("district", "D", "梧桐桥区")
    t1 = unit("town", "T1", "一镇", d)
    t2 = unit("town", "T2", "二镇", d)
    v1 = unit("village", "V1", "一村", t1)
    v2 = unit("village", "V2", "二村", t1)
    v3 = unit("village", "V3", "三村", t2)
    g1 = unit("group", "G1", "一组", v1)
    g2 = unit("group", "G2", "二组", v1)
    g3 = unit("group", "G3", "三组", v3)
    dept = unit("department", "DEP1", "区教育局", d)
    return {k: v for k, v in locals().items() if isinstance(v, Unit)}


def person(unit, *, name="张三", category="cadre", level=None, on=date(2025, 3, 1), **extra):
    _seq["n"] += 1
    n = _seq["n"]
    p = person_create(
        name=name,
        id_number=make_test_id_number(
            "511102", date(1970 + n % 40, 1 + n % 12, 1 + n % 28), n % 1000
        ),
        unit=unit,
        category=category,
        **extra,
    )
    if level:
        training_record_create(
            person=p, level=level, source="decision", occurred_on=on, reason="测试认定"
        )
        p.refresh_from_db()
    return p
