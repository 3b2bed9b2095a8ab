"""Exam reports (考试统计): 参考率 and 合格率 by department and by town, score distribution
(server-rendered SVG), who has not sat it, and an .xlsx export; scoped by visible_units."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.html import escape

from exams.models import Exam
from exams.selectors import counted_attempts

BINS = [
    (0, 59.9, "0–59"),
    (60, 69.9, "60–69"),
    (70, 79.9, "70–79"),
    (80, 89.9, "80–89"),
    (90, 100, "90–100"),
]


@dataclass
class Group:
    name: str
    eligible: int = 0
    sat: int = 0
    passed: int = 0

    @property
    def participation(self) -> float:
        return round(100 * self.sat / self.eligible, 1) if self.eligible else 0.0

    @property
    def pass_rate(self) -> float:
        return round(100 * self.passed / self.sat, 1) if self.sat else 0.0


@dataclass
class ExamReport:
    exam: Exam
    total: Group
    by_department: list[Group] = field(default_factory=list)
    by_town: list[Group] = field(default_factory=list)
    distribution: list[tuple[str, int]] = field(default_factory=list)
    not_sat: list[dict] = field(default_factory=list)
    results: list[dict] = field(default_factory=list)
    focus_losses: list[dict] = field(default_factory=list)  # 切屏记录, for review only


def _unit_maps():
    from people.roster.models import Unit

    units = {u["pk"]: u for u in Unit.objects.values("pk", "parent_id", "kind", "name", "town_id")}

    def up(pk, kind):
        seen = set()
        while pk and pk not in seen:
            seen.add(pk)
            unit = units.get(pk)
            if unit is None:
                return None
            if unit["kind"] == kind:
                return unit
            pk = unit["parent_id"]
        return None

    return units, up


def eligible_persons(exam: Exam, user):
    """Active persons in the exam's scope (units with descendants, categories) that ``user``
    may see."""
    from people.roster.selectors import visible_persons

    qs = visible_persons(user).filter(status="active").select_related("unit")
    unit_ids = set(exam.units.values_list("pk", flat=True))
    if unit_ids:
        units, _ = _unit_maps()
        children: dict[int, list[int]] = {}
        for u in units.values():
            children.setdefault(u["parent_id"], []).append(u["pk"])
        stack, scope = list(unit_ids), set()
        while stack:
            pk = stack.pop()
            if pk not in scope:
                scope.add(pk)
                stack.extend(children.get(pk, []))
        qs = qs.filter(unit_id__in=scope)
    if exam.categories:
        qs = qs.filter(category__in=exam.categories)
    return qs.order_by("unit_id", "name", "pk")


def exam_report(exam: Exam, user, *, progress=None) -> ExamReport:
    units, up = _unit_maps()
    persons = list(eligible_persons(exam, user))
    chosen = counted_attempts(exam)
    by_user = {a.user_id: a for a in chosen.values()}
    total = Group("合计")
    departments: dict[str, Group] = {}
    towns: dict[str, Group] = {}
    bins = [0] * len(BINS)
    report = ExamReport(exam, total)
    for i, person in enumerate(persons, 1):
        attempt = by_user.get(person.user_id) if person.user_id else None
        dept = up(person.unit_id, "department")
        town = up(person.unit_id, "town")
        groups = [total]
        if dept:
            groups.append(departments.setdefault(dept["name"], Group(dept["name"])))
        if town:
            groups.append(towns.setdefault(town["name"], Group(town["name"])))
        for g in groups:
            g.eligible += 1
            if attempt is not None:
                g.sat += 1
                g.passed += bool(attempt.passed)
        unit_name = units.get(person.unit_id, {}).get("name", "")
        if attempt is None:
            report.not_sat.append({"name": person.name, "unit": unit_name})
        else:
            percent = float(attempt.percent or 0)
            for b, (lo, hi, _) in enumerate(BINS):
                if lo <= percent <= hi or (b == len(BINS) - 1 and percent > hi):
                    bins[b] += 1
                    break
            report.results.append(
                {
                    "name": person.name,
                    "unit": unit_name,
                    "score": percent,
                    "band": attempt.band,
                    "passed": bool(attempt.passed),
                    "finished_at": timezone.localtime(attempt.finished_at).strftime(
                        "%Y-%m-%d %H:%M"
                    ),
                }
            )
        if progress and i % 500 == 0:
            progress(i, len(persons))
    report.focus_losses = focus_losses(exam, {p.user_id: p for p in persons if p.user_id}, units)
    report.by_department = sorted(departments.values(), key=lambda g: g.name)
    report.by_town = sorted(towns.values(), key=lambda g: g.name)
    report.distribution = [(label, n) for (_, _, label), n in zip(BINS, bins, strict=True)]
    return report


def focus_losses(exam: Exam, persons_by_user: dict, units: dict) -> list[dict]:
    """Attempts during which the exam page lost focus (切屏), most first, for the persons in
    the report's scope. Logged for review; they never change a score."""
    from django.db.models import Count, Max, Min

    from exams.models import FocusEvent

    rows = (
        FocusEvent.objects.filter(attempt__exam=exam)
        .values("attempt_id", "attempt__user_id", "attempt__number", "attempt__state")
        .annotate(count=Count("pk"), first=Min("occurred_at"), last=Max("occurred_at"))
        .order_by("-count", "attempt_id")
    )
    out = []
    for row in rows:
        person = persons_by_user.get(row["attempt__user_id"])
        if person is None:
            continue  # outside the scope of whoever looks at the report
        out.append(
            {
                "name": person.name,
                "unit": units.get(person.unit_id, {}).get("name", ""),
                "number": row["attempt__number"],
                "submitted": row["attempt__state"] == "submitted",
                "count": row["count"],
                "first": timezone.localtime(row["first"]).strftime("%H:%M:%S"),
                "last": timezone.localtime(row["last"]).strftime("%H:%M:%S"),
            }
        )
    return out


def distribution_svg(distribution: list[tuple[str, int]]) -> str:
    """A bar chart as inline SVG (no JavaScript, no external assets)."""
    width, height, pad, bar_gap = 360, 200, 28, 10
    peak = max([n for _, n in distribution] + [1])
    bar_w = (width - 2 * pad - bar_gap * (len(distribution) - 1)) / max(len(distribution), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="成绩分布" width="{width}" height="{height}">'
    ]
    for i, (label, n) in enumerate(distribution):
        h = (height - 2 * pad) * n / peak
        x = pad + i * (bar_w + bar_gap)
        y = height - pad - h
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="#b3261e"/>'
        )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{y - 4:.1f}" font-size="12" text-anchor="middle">{n}</text>'
        )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{height - 8}" font-size="12" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def report_xlsx(report: ExamReport) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    for title, groups in (("按部门", report.by_department), ("按镇", report.by_town)):
        ws = wb.create_sheet(title)
        ws.append(["名称", "应考人数", "参考人数", "参考率%", "合格人数", "合格率%"])
        for g in [*groups, report.total]:
            ws.append([g.name, g.eligible, g.sat, g.participation, g.passed, g.pass_rate])
    ws = wb.create_sheet("成绩")
    ws.append(["姓名", "单位", "成绩", "等次", "合格", "交卷时间"])
    for r in report.results:
        ws.append(
            [
                r["name"],
                r["unit"],
                r["score"],
                r["band"],
                "是" if r["passed"] else "否",
                r["finished_at"],
            ]
        )
    ws = wb.create_sheet("未参考")
    ws.append(["姓名", "单位"])
    for r in report.not_sat:
        ws.append([r["name"], r["unit"]])
    ws = wb.create_sheet("切屏记录")
    ws.append(["姓名", "单位", "第几次", "切屏次数", "首次", "最后一次", "状态"])
    for r in report.focus_losses:
        state = "已交卷" if r["submitted"] else "答题中"
        ws.append([r["name"], r["unit"], r["number"], r["count"], r["first"], r["last"], state])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def report_xlsx_save(*, exam: Exam, user, progress=None) -> str:
    """Write the report under MEDIA_ROOT/exports/ and return its relative path."""
    data = report_xlsx(exam_report(exam, user, progress=progress))
    rel = f"exports/exam-{exam.pk}-report-u{user.pk}-{timezone.now():%Y%m%d%H%M%S}.xlsx"
    path = os.path.join(settings.MEDIA_ROOT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)
    return rel
