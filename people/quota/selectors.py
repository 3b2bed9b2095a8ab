"""Quota arithmetic (名额统计), computed from training records (via the derived person dates).

For a year Y the figures are taken on the day ``as_of`` = 31 December of Y (or today, if Y
is the current year). A person counts as a trained 法律明白人 when ``trained_on <= as_of`` and
as a backbone (骨干) when ``backbone_on <= as_of``, unless removed (清退) on or before
``as_of``; a person counts in the unit they are in now.

Per unit:
- group: ``trained`` vs its target (default ``QuotaTarget.group_trained``, or an override);
  ``shortfall`` = people still to train there.
- village: ``backbone`` vs ``backbone_target`` (default ``QuotaTarget.village_backbone``, or an
  override); ``groups_covered`` = groups meeting their target; ``shortfall`` =
  max(backbone gap, sum of group gaps) — one newly trained backbone person in a short group
  closes a gap of each kind, so this is the least number of people still to train.
- town / district: sums over their villages.

Queries, whatever the size of the tree: one indexed GROUP BY over the trained persons
(partial covering index ``person_quota_idx``) joined to their units, one GROUP BY counting
groups per village, one read of the district/town/village units, one of the overrides (and
one of the groups, only when group rows are listed). Village figures are built from those
aggregates without materialising every group.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.utils import timezone

from people.quota.models import QuotaOverride, QuotaTarget
from people.roster.models import Unit

DEFAULT_VILLAGE_BACKBONE = 5
DEFAULT_GROUP_TRAINED = 1
KIND_DEPTH = {"district": 0, "town": 1, "village": 2, "group": 3}
REPORT_KEYS = (
    "code",
    "name",
    "kind",
    "parent_code",
    "trained",
    "backbone",
    "backbone_target",
    "groups_total",
    "groups_covered",
    "shortfall",
    "met",
)


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
    group_gap: int = 0
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

    @property
    def backbone_percent(self) -> int:
        target = self.backbone_target
        if self.kind != "village" or not target:
            return 100
        return min(100, self.backbone * 100 // target)

    @property
    def groups_percent(self) -> int:
        if not self.groups_total:
            return 100
        return self.groups_covered * 100 // self.groups_total

    @property
    def villages_percent(self) -> int:
        if not self.villages_total:
            return 100
        return self.villages_met * 100 // self.villages_total

    def as_dict(self) -> dict:
        data = {key: getattr(self, key) for key in REPORT_KEYS}
        if self.kind in ("town", "district"):
            data["villages_total"] = self.villages_total
            data["villages_met"] = self.villages_met
        return data


def quota_as_of(year: int, today: date | None = None) -> date:
    today = today or timezone.localdate()
    return today if today.year == year else date(year, 12, 31)


def quota_targets(year: int) -> tuple[int, int]:
    """(village backbone target, group trained target) for a year: its row, else the latest
    earlier year's, else the plan's defaults (5 and 1)."""
    target = QuotaTarget.objects.filter(year__lte=year).order_by("-year").first()
    if target is None:
        return DEFAULT_VILLAGE_BACKBONE, DEFAULT_GROUP_TRAINED
    return target.village_backbone, target.group_trained


def _scope_sql(root: Unit | None, alias: str = "") -> tuple[str, list]:
    prefix = f"{alias}." if alias else ""
    if root is None or root.kind == "district":
        return "", []
    column = {"town": "town_id", "village": "village_id", "group": "id"}[root.kind]
    return f" AND {prefix}{column} = %s", [root.pk]


_COUNTS_SQL = (
    "SELECT p.unit_id AS unit_id, COUNT(*) AS trained, "
    "SUM(CASE WHEN p.backbone_on <= %s THEN 1 ELSE 0 END) AS backbone "
    "FROM people_person p "
    "WHERE p.trained_on IS NOT NULL AND p.trained_on <= %s "
    "AND (p.removed_on IS NULL OR p.removed_on > %s)"
)


def _person_scope(unit_scope: str) -> str:
    if not unit_scope:
        return ""
    return f" AND p.unit_id IN (SELECT id FROM people_unit WHERE kind IS NOT NULL{unit_scope})"  # noqa: S608


def _unit_counts(
    cursor, as_of: date, unit_ids: list[int] | None = None, root: Unit | None = None
) -> dict[int, tuple[int, int]]:
    """Unit id -> (trained, backbone) for units with trained people (of ``unit_ids`` or
    within ``root``)."""
    sql, params = _COUNTS_SQL, [as_of, as_of, as_of]
    if unit_ids is not None:
        sql += f" AND p.unit_id IN ({', '.join(['%s'] * len(unit_ids))})"
        params += list(unit_ids)
    else:
        scope, scope_params = _scope_sql(root)
        sql += _person_scope(scope)
        params += scope_params
    cursor.execute(sql + " GROUP BY p.unit_id", params)
    return {unit_id: (trained, backbone or 0) for unit_id, trained, backbone in cursor.fetchall()}


@dataclass
class QuotaTree:
    """Figures for the district / town / village rows of a subtree, and groups on demand."""

    year: int
    as_of: date
    root: QuotaRow | None
    rows: dict[int, QuotaRow]
    counts: dict[int, tuple[int, int]] | None
    overrides: dict[int, int]
    group_target: int
    scope: Unit | None

    def group_rows(self, village_ids: list[int] | None = None) -> dict[int, list[QuotaRow]]:
        """Village id -> its group rows (code order), computed from the same counts."""
        sql = "SELECT id, code, name, parent_id FROM people_unit WHERE kind = 'group'"
        scope, params = _scope_sql(self.scope)
        sql += scope
        if village_ids is not None:
            if not village_ids:
                return {}
            sql += f" AND parent_id IN ({', '.join(['%s'] * len(village_ids))})"
            params = params + list(village_ids)
        found: dict[int, list[QuotaRow]] = defaultdict(list)
        with connection.cursor() as cursor:
            if self.counts is None:
                self.counts = _unit_counts(cursor, self.as_of, root=self.scope)
            cursor.execute(sql + " ORDER BY sort_order, code", params)
            for gid, code, name, parent_id in cursor:
                found[parent_id].append(self._group_row(gid, code, name, parent_id))
        return found

    def _group_row(self, gid: int, code: str, name: str, parent_id: int) -> QuotaRow:
        if self.counts is None:
            with connection.cursor() as cursor:
                self.counts = _unit_counts(cursor, self.as_of, root=self.scope)
        trained, backbone = self.counts.get(gid, (0, 0))
        target = self.overrides.get(gid, self.group_target)
        parent = self.rows.get(parent_id)
        return QuotaRow(
            gid,
            code,
            name,
            "group",
            parent_id,
            parent_code=parent.code if parent else None,
            trained=trained,
            backbone=backbone,
            trained_target=target,
            shortfall=max(0, target - trained),
        )


def quota_tree(*, year: int, root: Unit | None = None, today: date | None = None) -> QuotaTree:
    """Compute the quota figures of ``root`` (default: the district) and the units below."""
    as_of = quota_as_of(year, today)
    village_target, group_target = quota_targets(year)
    overrides: dict[int, int] = {}
    group_overrides: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for unit_id, kind, village_id, target in QuotaOverride.objects.filter(year=year).values_list(
        "unit_id", "unit__kind", "unit__village_id", "target"
    ):
        overrides[unit_id] = target
        if kind == "group":
            group_overrides[village_id].append((unit_id, target))

    scope, scope_params = _scope_sql(root)
    person_scope = _person_scope(scope)
    per_village: dict[int, list[int]] = {}
    dates = [as_of, as_of, as_of]
    with connection.cursor() as cursor:
        # Per-unit counts from the (partial, covering) person index, summed per village in SQL:
        # [trained, backbone, groups with people, filled group places, groups met].
        cursor.execute(
            # SQL fragments are constants; every value is a parameter.
            "SELECT u.village_id, SUM(c.trained), SUM(c.backbone), "  # noqa: S608
            "SUM(CASE WHEN u.kind = 'group' THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN u.kind <> 'group' THEN 0 "
            "WHEN c.trained >= COALESCE(o.target, %s) THEN COALESCE(o.target, %s) "
            "ELSE c.trained END), "
            "SUM(CASE WHEN u.kind = 'group' AND c.trained >= COALESCE(o.target, %s) "
            "THEN 1 ELSE 0 END) "
            f"FROM ({_COUNTS_SQL}{person_scope} GROUP BY p.unit_id) c "
            "JOIN people_unit u ON u.id = c.unit_id "
            "LEFT JOIN people_quotaoverride o ON o.unit_id = c.unit_id AND o.year = %s "
            "WHERE u.village_id IS NOT NULL GROUP BY u.village_id",
            [group_target, group_target, group_target, *dates, *scope_params, year],
        )
        for village_id, *acc in cursor.fetchall():
            per_village[village_id] = [int(v or 0) for v in acc]
        staffed_overrides: set[int] = set()
        override_groups = [g for groups in group_overrides.values() for g, _t in groups]
        if override_groups:
            staffed_overrides = set(_unit_counts(cursor, as_of, override_groups))
        group_scope, group_params = _scope_sql(root)
        cursor.execute(
            "SELECT village_id, COUNT(*) FROM people_unit WHERE kind = 'group'"  # noqa: S608
            + group_scope
            + " GROUP BY village_id",
            group_params,
        )
        groups_total = dict(cursor.fetchall())

        rows: dict[int, QuotaRow] = {}
        kinds = (
            ("group",)
            if root is not None and root.kind == "group"
            else ("district", "town", "village")
        )
        cursor.execute(
            f"SELECT id, code, name, kind, parent_id FROM people_unit WHERE kind IN "  # noqa: S608
            f"({', '.join(['%s'] * len(kinds))})" + group_scope + " ORDER BY sort_order, code",
            [*kinds, *group_params],
        )
        for uid, code, name, kind, parent_id in cursor.fetchall():
            rows[uid] = QuotaRow(uid, code, name, kind, parent_id)

    tree = QuotaTree(year, as_of, None, rows, None, overrides, group_target, root)
    if root is not None and root.kind == "group":
        group = rows.get(root.pk)
        if group is None:
            return tree
        tree.rows = {}
        tree.root = tree._group_row(group.id, group.code, group.name, group.parent_id)
        tree.root.parent_code = _code_of(root.parent_id)
        return tree

    by_depth: list[list[QuotaRow]] = [[], [], []]
    for row in rows.values():
        parent = rows.get(row.parent_id)
        if parent is not None:
            row.parent_code = parent.code
            parent.children.append(row)
        by_depth[KIND_DEPTH[row.kind]].append(row)

    for row in by_depth[2]:
        trained, backbone, with_people, filled, met_with_people = per_village.get(
            row.id, (0, 0, 0, 0, 0)
        )
        total = groups_total.get(row.id, 0)
        target_places = total * group_target
        empty_met = total - with_people if group_target == 0 else 0
        for gid, target in group_overrides.get(row.id, ()):
            target_places += target - group_target
            if gid not in staffed_overrides:  # an empty group whose target was changed
                if group_target == 0 and target > 0:
                    empty_met -= 1
                elif group_target > 0 and target == 0:
                    empty_met += 1
        row.trained, row.backbone = trained, backbone
        row.groups_total = total
        row.groups_covered = met_with_people + empty_met
        row.group_gap = target_places - filled
        row.backbone_target = overrides.get(row.id, village_target)
        row.backbone_gap = max(0, row.backbone_target - backbone)
        row.shortfall = max(row.backbone_gap, row.group_gap)
    for depth in (1, 0):
        for row in by_depth[depth]:
            for child in row.children:
                row.trained += child.trained
                row.backbone += child.backbone
                row.groups_total += child.groups_total
                row.groups_covered += child.groups_covered
                row.shortfall += child.shortfall
                row.backbone_gap += child.backbone_gap
                row.group_gap += child.group_gap
                if child.kind == "village":
                    row.villages_total += 1
                    row.villages_met += child.met
                else:
                    row.villages_total += child.villages_total
                    row.villages_met += child.villages_met
    if root is None:
        tree.root = by_depth[0][0] if by_depth[0] else None
    else:
        tree.root = rows.get(root.pk)
        if tree.root is not None and root.parent_id:
            tree.root.parent_code = _code_of(root.parent_id)
    return tree


def _code_of(unit_id: int | None) -> str | None:
    if unit_id is None:
        return None
    return Unit.objects.filter(pk=unit_id).values_list("code", flat=True).first()


def quota_rows(*, year: int, root: Unit | None = None, today: date | None = None) -> Iterator[dict]:
    """The quota report (``quota_report``): root first, then depth-first down to groups."""
    tree = quota_tree(year=year, root=root, today=today)
    if tree.root is None:
        return
    if tree.root.kind == "group":
        yield tree.root.as_dict()
        return
    groups = tree.group_rows()
    stack = [tree.root]
    while stack:
        row = stack.pop()
        yield row.as_dict()
        if row.kind == "village":
            for group in groups.get(row.id, ()):
                yield group.as_dict()
        else:
            stack.extend(reversed(row.children))


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
