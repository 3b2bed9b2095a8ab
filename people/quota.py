"""Quota arithmetic (名额统计), computed from training records (via the derived person dates).

For a year Y the figures are taken on the day ``as_of`` = 31 December of Y (or today, if
earlier). A person counts as a trained 法律明白人 when ``trained_on <= as_of`` and as a
backbone (骨干) when ``backbone_on <= as_of``, unless removed (清退) on or before
``as_of``; a person counts in the unit they are in now.

Per unit:
- group: ``trained`` vs its target (default ``QuotaTarget.group_trained``, or an override);
  ``shortfall`` = people still to train there.
- village: ``backbone`` vs ``backbone_target`` (default ``QuotaTarget.village_backbone``, or an
  override); ``groups_covered`` = groups meeting their target; ``shortfall`` =
  max(backbone gap, sum of group gaps) — one newly trained backbone person in a short group
  closes a gap of each kind, so this is the least number of people still to train.
- town / district: sums over their villages.

Queries: units are read once (ids and parents), persons once (one indexed GROUP BY over
``person_quota_idx``), overrides once — three queries whatever the size of the tree.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from django.db import connection
from django.utils import timezone

from .models import QuotaOverride, QuotaTarget, Unit

DEFAULT_VILLAGE_BACKBONE = 5
DEFAULT_GROUP_TRAINED = 1
KIND_DEPTH = {"district": 0, "town": 1, "village": 2, "group": 3}


@dataclass(slots=True)
class QuotaRow:
    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    parent_code: str | None = None
    trained: int = 0
    backbone: int = 0
    backbone_target: int | None = None
    trained_target: int | None = None
    groups_total: int = 0
    groups_covered: int = 0
    shortfall: int = 0
    backbone_gap: int = 0
    villages_total: int = 0
    villages_met: int = 0
    children: list = field(default_factory=list, repr=False)

    @property
    def met(self) -> bool:
        return self.shortfall == 0

    @property
    def status(self) -> str:
        """'ok' (met), 'warn' (at least half way), 'bad' — for colours."""
        if self.met:
            return "ok"
        if self.kind == "village":
            needed = (self.backbone_target or 0) + self.groups_total
            done = min(self.backbone, self.backbone_target or 0) + self.groups_covered
        elif self.kind == "group":
            needed, done = self.trained_target or 0, self.trained
        else:
            needed, done = self.villages_total, self.villages_met
        return "warn" if needed and done * 2 >= needed else "bad"

    def as_dict(self) -> dict:
        data = asdict(self)
        for key in ("id", "parent_id", "children", "backbone_gap", "trained_target"):
            data.pop(key)
        if self.kind not in ("town", "district"):
            data.pop("villages_total")
            data.pop("villages_met")
        data["met"] = self.met
        return data


def quota_as_of(year: int, today: date | None = None) -> date:
    today = today or timezone.localdate()
    end = date(year, 12, 31)
    return min(today, end) if today.year == year else end


def quota_targets(year: int) -> tuple[int, int]:
    """(village backbone target, group trained target) for a year: its row, else the latest
    earlier year's, else the plan's defaults (5 and 1)."""
    target = QuotaTarget.objects.filter(year__lte=year).order_by("-year").first()
    if target is None:
        return DEFAULT_VILLAGE_BACKBONE, DEFAULT_GROUP_TRAINED
    return target.village_backbone, target.group_trained


def _units_sql(root: Unit | None, kinds: tuple[str, ...]) -> tuple[str, list]:
    cols = "id, code, name, kind, parent_id, village_id"
    where = [f"kind IN ({', '.join(['%s'] * len(kinds))})"]
    params: list = list(kinds)
    if root is not None and root.kind == "town":
        where.append("town_id = %s")
        params.append(root.pk)
    elif root is not None and root.kind == "village":
        where.append("village_id = %s")
        params.append(root.pk)
    elif root is not None and root.kind == "group":
        where.append("id = %s")
        params.append(root.pk)
    return f"SELECT {cols} FROM people_unit WHERE {' AND '.join(where)}", params  # noqa: S608


def _counts(root: Unit | None, as_of: date) -> dict[int, tuple[int, int]]:
    sql = (
        "SELECT p.unit_id, COUNT(*), "
        "SUM(CASE WHEN p.backbone_on <= %s THEN 1 ELSE 0 END) "
        "FROM people_person p "
    )
    params: list = [as_of]
    where = "WHERE p.trained_on <= %s AND (p.removed_on IS NULL OR p.removed_on > %s)"
    if root is not None and root.kind in ("town", "village", "group"):
        column = {"town": "town_id", "village": "village_id", "group": "id"}[root.kind]
        sql += "JOIN people_unit u ON u.id = p.unit_id "
        where += f" AND u.{column} = %s"
        params += [as_of, as_of, root.pk]
    else:
        params += [as_of, as_of]
    sql += where + " GROUP BY p.unit_id"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {unit_id: (trained, backbone or 0) for unit_id, trained, backbone in cursor}


def quota_tree(
    *, year: int, root: Unit | None = None, today: date | None = None
) -> tuple[QuotaRow | None, dict[int, QuotaRow]]:
    """Compute the quota figures of ``root`` (default: the district) and every unit below.

    Returns the root row and a dict id -> row of all rows (children linked, in code order).
    """
    as_of = quota_as_of(year, today)
    village_target, group_target = quota_targets(year)
    overrides = dict(QuotaOverride.objects.filter(year=year).values_list("unit_id", "target"))
    counts = _counts(root, as_of)

    rows: dict[int, QuotaRow] = {}
    kinds = ("district", "town", "village", "group")
    sql, params = _units_sql(root, kinds)
    with connection.cursor() as cursor:
        cursor.execute(sql + " ORDER BY sort_order, code", params)
        for uid, code, name, kind, parent_id, _village_id in cursor:
            rows[uid] = QuotaRow(uid, code, name, kind, parent_id)
    if root is not None and root.pk not in rows:
        return None, {}

    by_depth: list[list[QuotaRow]] = [[], [], [], []]
    for row in rows.values():
        parent = rows.get(row.parent_id)
        if parent is not None:
            row.parent_code = parent.code
            parent.children.append(row)
        by_depth[KIND_DEPTH[row.kind]].append(row)
    if root is not None and root.parent_id:
        root_row = rows[root.pk]
        root_row.parent_code = (
            Unit.objects.filter(pk=root.parent_id).values_list("code", flat=True).first()
        )

    # Groups, then villages, then towns, then the district: each level sums the one below.
    for row in by_depth[3]:
        trained, backbone = counts.get(row.id, (0, 0))
        target = overrides.get(row.id, group_target)
        row.trained, row.backbone, row.trained_target = trained, backbone, target
        row.shortfall = max(0, target - trained)
    for row in by_depth[2]:
        trained, backbone = counts.get(row.id, (0, 0))  # people attached to the village itself
        group_gap = 0
        for g in row.children:
            trained += g.trained
            backbone += g.backbone
            row.groups_total += 1
            if g.shortfall == 0:
                row.groups_covered += 1
            group_gap += g.shortfall
        target = overrides.get(row.id, village_target)
        row.trained, row.backbone, row.backbone_target = trained, backbone, target
        row.backbone_gap = max(0, target - backbone)
        row.shortfall = max(row.backbone_gap, group_gap)
    for depth in (1, 0):
        for row in by_depth[depth]:
            for child in row.children:
                row.trained += child.trained
                row.backbone += child.backbone
                row.groups_total += child.groups_total
                row.groups_covered += child.groups_covered
                row.shortfall += child.shortfall
                row.backbone_gap += child.backbone_gap
                if child.kind == "village":
                    row.villages_total += 1
                    row.villages_met += child.met
                else:
                    row.villages_total += child.villages_total
                    row.villages_met += child.villages_met
    if root is None:
        root_row = by_depth[0][0] if by_depth[0] else None
    else:
        root_row = rows[root.pk]
    return root_row, rows


def quota_rows(*, year: int, root: Unit | None = None, today: date | None = None) -> list[dict]:
    """The quota report as dicts (``quota_report`` JSON): root first, then depth-first."""
    root_row, _rows = quota_tree(year=year, root=root, today=today)
    out: list[dict] = []
    if root_row is None:
        return out
    stack = [root_row]
    while stack:
        row = stack.pop()
        out.append(row.as_dict())
        stack.extend(reversed(row.children))
    return out


def villages_below_quota(root_row: QuotaRow | None) -> list[QuotaRow]:
    """Villages under ``root_row`` that miss a target, largest shortfall first."""
    found: list[QuotaRow] = []
    stack = [root_row] if root_row else []
    while stack:
        row = stack.pop()
        if row.kind == "village":
            if not row.met:
                found.append(row)
            continue
        stack.extend(row.children)
    found.sort(key=lambda r: (-r.shortfall, r.code))
    return found
