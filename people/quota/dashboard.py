"""The quota dashboard (名额看板): one level of the tree at a time, scoped to the user.

A bounded number of queries whatever the number of units: the user's scope (1-2), the unit
asked for (1), its ancestors for the breadcrumb (≤ 3), the quota figures (≤ 6).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from people.quota.selectors import QuotaRow, quota_tree, villages_below_quota
from people.roster.models import Unit
from people.roster.selectors import _scope_units, scope_root_units, sees_everything

KIND_LABELS = {"district": "区", "town": "镇", "village": "村（社区）", "group": "村民小组（楼栋）"}
CHILD_LABELS = {"district": "镇", "town": "村（社区）", "village": "村民小组（楼栋）"}
EXPORT_HEADERS = (
    ("code", "单位编码"),
    ("name", "单位名称"),
    ("kind_label", "类型"),
    ("trained", "已培养法律明白人"),
    ("backbone", "骨干"),
    ("backbone_target", "骨干目标"),
    ("groups_covered", "达标小组（楼栋）"),
    ("groups_total", "小组（楼栋）总数"),
    ("shortfall", "缺口（人）"),
    ("met_label", "是否达标"),
)
CHART_ROW_HEIGHT = 34
CHART_LABEL_WIDTH = 96
CHART_BAR_WIDTH = 200


@dataclass
class DashboardLevel:
    year: int
    as_of: date
    row: QuotaRow
    rows: list[QuotaRow]
    below_quota: list[QuotaRow]
    breadcrumbs: list[Unit] = field(default_factory=list)
    child_label: str = ""

    @property
    def chart(self) -> dict:
        """Geometry of the server-rendered SVG bar chart (one bar pair per child unit)."""
        bars = []
        for index, row in enumerate(self.rows):
            if row.kind == "group":
                first = (
                    min(100, row.trained * 100 // row.trained_target) if row.trained_target else 100
                )
                second = first
            elif row.kind == "village":
                first, second = row.backbone_percent, row.groups_percent
            else:
                first, second = row.villages_percent, row.groups_percent
            y = index * CHART_ROW_HEIGHT
            bars.append(
                {
                    "row": row,
                    "y": y,
                    "label_y": y + 14,
                    "bar1_y": y + 2,
                    "bar2_y": y + 16,
                    "first": first,
                    "second": second,
                    "first_width": first * CHART_BAR_WIDTH // 100,
                    "second_width": second * CHART_BAR_WIDTH // 100,
                }
            )
        first_label = {
            "district": "达标村（社区）比例",
            "town": "达标村（社区）比例",
            "village": "骨干达标比例",
            "group": "培养达标比例",
        }
        kind = self.rows[0].kind if self.rows else "village"
        return {
            "bars": bars,
            "height": max(1, len(bars)) * CHART_ROW_HEIGHT + 4,
            "width": CHART_LABEL_WIDTH + CHART_BAR_WIDTH + 48,
            "label_width": CHART_LABEL_WIDTH,
            "bar_x": CHART_LABEL_WIDTH,
            "text_x": CHART_LABEL_WIDTH + CHART_BAR_WIDTH + 4,
            "first_label": first_label.get(kind, ""),
            "second_label": "小组（楼栋）覆盖比例",
        }


def dashboard_allowed(user) -> bool:
    return sees_everything(user) or bool(_scope_units(user))


def dashboard_level(
    *, user, unit: Unit | None, year: int | None = None, today: date | None = None
) -> DashboardLevel:
    """The figures of ``unit`` (default: the top of the user's scope) and its children."""
    if not getattr(user, "is_authenticated", False) or not dashboard_allowed(user):
        raise PermissionDenied("没有查看名额看板的权限")
    year = year or (today or timezone.localdate()).year
    roots = scope_root_units(user)
    if unit is None:
        if not roots:
            raise Http404("尚未建立组织架构")
        unit = roots[0]
    if unit.kind not in KIND_LABELS or not _within(user, unit, roots):
        raise Http404("找不到该单位")
    tree = quota_tree(year=year, root=unit, today=today)
    if tree.root is None:
        raise Http404("找不到该单位")
    if unit.kind == "village":
        rows = tree.group_rows([unit.pk]).get(unit.pk, [])
    else:
        rows = list(tree.root.children)
    return DashboardLevel(
        year=year,
        as_of=tree.as_of,
        row=tree.root,
        rows=rows,
        below_quota=villages_below_quota(tree.root) if unit.kind != "group" else [],
        breadcrumbs=_breadcrumbs(unit, roots),
        child_label=CHILD_LABELS.get(unit.kind, ""),
    )


def _within(user, unit: Unit, roots: list[Unit]) -> bool:
    if sees_everything(user):
        return True
    for root in roots:
        if root.pk == unit.pk:
            return True
        if root.kind == "town" and unit.town_id == root.pk:
            return True
        if root.kind == "village" and unit.village_id == root.pk:
            return True
    return False


def _breadcrumbs(unit: Unit, roots: list[Unit]) -> list[Unit]:
    """Ancestors from the top of the user's scope down to the unit's parent."""
    root_ids = {r.pk for r in roots}
    chain: list[Unit] = []
    current = unit
    while current.pk not in root_ids and current.parent_id:
        current = Unit.objects.filter(pk=current.parent_id).first()
        if current is None:
            break
        chain.append(current)
    chain.reverse()
    return chain


def _export_rows(level: DashboardLevel) -> list[list]:
    out = []
    for row in [level.row, *level.rows]:
        values = {
            "kind_label": KIND_LABELS.get(row.kind, row.kind),
            "met_label": "达标" if row.met else "未达标",
        }
        out.append([values.get(key, getattr(row, key, "")) for key, _label in EXPORT_HEADERS])
    return out


def dashboard_csv(level: DashboardLevel) -> bytes:
    """The dashboard table as CSV (UTF-8 with BOM, so Excel shows Chinese)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([label for _key, label in EXPORT_HEADERS])
    for row in _export_rows(level):
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def dashboard_xlsx(level: DashboardLevel) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = f"{level.year}年名额"
    ws.append([label for _key, label in EXPORT_HEADERS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    fills = {
        "ok": PatternFill("solid", fgColor="E6F4EA"),
        "warn": PatternFill("solid", fgColor="FFF4E0"),
        "bad": PatternFill("solid", fgColor="FDE8E7"),
    }
    for row, values in zip([level.row, *level.rows], _export_rows(level), strict=True):
        ws.append(values)
        ws.cell(row=ws.max_row, column=len(values)).fill = fills[row.status]
    for letter, width in zip("ABCDEFGHIJ", (16, 20, 12, 10, 8, 10, 10, 10, 10, 10), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
