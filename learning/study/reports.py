"""Study reports for administrators (学时统计): per department and per town.

Scoped like the roster: a user sees the persons of ``people.roster.selectors.visible_persons``.
Points and completed lessons come from the nightly roll-up (``StudyYearTotal``); the page
says when it was rolled up and can roll up again. Required-course completion is computed from
the course audiences and the lesson progress rows, in a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from django.db.models import Max
from django.utils import timezone

from learning.laws.models import Audience
from learning.study.models import (
    DEFAULT_REQUIRED_POINTS,
    CourseAudience,
    LeadingCadre,
    LessonPage,
    LessonProgress,
    StudyRule,
    StudyYearTotal,
)
from people.roster.models import Person, Unit
from people.roster.selectors import scope_root_units, sees_everything, visible_persons

BUCKETS = [(0, 0, "0"), (1, 999, "1–999"), (1000, 1999, "1000–1999"), (2000, 2999, "2000–2999")]
GROUPINGS = {"department": "按部门", "town": "按镇（街道）"}


def reports_allowed(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        sees_everything(user) or bool(scope_root_units(user))
    )


@dataclass
class Learner:
    person: Person
    group: str
    points: int
    required_points: int
    expected_points: int
    required_lessons: int
    completed_required: int

    @property
    def met(self) -> bool:
        return self.points >= self.required_points

    @property
    def behind(self) -> bool:
        return self.points < self.expected_points

    @property
    def courses_done(self) -> bool:
        return self.completed_required >= self.required_lessons


@dataclass
class GroupRow:
    name: str
    learners: list[Learner] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.learners)

    @property
    def met(self) -> int:
        return sum(1 for learner in self.learners if learner.met)

    @property
    def behind(self) -> int:
        return sum(1 for learner in self.learners if learner.behind)

    @property
    def courses_done(self) -> int:
        return sum(1 for learner in self.learners if learner.courses_done)

    @property
    def average_points(self) -> int:
        return sum(x.points for x in self.learners) // self.count if self.count else 0

    @property
    def completion_percent(self) -> int:
        return self.courses_done * 100 // self.count if self.count else 0

    def distribution(self, required_points: int) -> list[int]:
        counts = [0] * (len(BUCKETS) + 1)
        for learner in self.learners:
            for i, (low, high, _) in enumerate(BUCKETS):
                if low <= learner.points <= min(high, required_points - 1):
                    counts[i] += 1
                    break
            else:
                counts[-1] += 1
        return counts


@dataclass
class StudyReport:
    year: int
    grouping: str
    groups: list[GroupRow]
    rolled_up_at: dt.datetime | None
    required_points: int

    @property
    def behind(self) -> list[Learner]:
        rows = [x for g in self.groups for x in g.learners if x.behind]
        return sorted(rows, key=lambda x: (x.group, x.points))

    @property
    def bucket_labels(self) -> list[str]:
        return [label for *_, label in BUCKETS] + [f"≥{self.required_points}（达标）"]


def _audiences(person: Person, leading: set[int]) -> set[str]:
    audiences = {Audience.PUBLIC.value}
    if person.pk in leading:
        audiences.add(Audience.LEADING_CADRE.value)
    if person.category == "civil_servant":
        audiences.add(Audience.CIVIL_SERVANT.value)
    if person.category == "cadre":
        audiences.add(Audience.VILLAGE_CADRE.value)
    if person.level:
        audiences.add(Audience.LEGAL_PERSON.value)
    return audiences


def _primary(audiences: set[str]) -> str:
    for audience in ("leading_cadre", "civil_servant", "village_cadre", "legal_person"):
        if audience in audiences:
            return audience
    return "public"


def study_report(*, user, year: int, grouping: str = "town", today=None) -> StudyReport:
    today = today or timezone.localdate()
    grouping = grouping if grouping in GROUPINGS else "town"
    persons = list(visible_persons(user).filter(status="active").select_related("unit"))
    person_ids = [p.pk for p in persons]
    units = {u.pk: u for u in Unit.objects.only("pk", "name", "kind", "parent_id", "town_id")}

    def department_of(unit_id):
        seen = 0
        while unit_id is not None and seen < 20:
            unit = units.get(unit_id)
            if unit is None:
                return None
            if unit.kind == "department":
                return unit
            unit_id, seen = unit.parent_id, seen + 1
        return None

    leading = set(LeadingCadre.objects.values_list("person_id", flat=True))
    rules = {r.audience: r for r in StudyRule.objects.filter(year=year)}
    default_rule = rules.get("")
    totals = {
        t.person_id: t for t in StudyYearTotal.objects.filter(year=year, person_id__in=person_ids)
    }
    rolled_up_at = StudyYearTotal.objects.filter(year=year).aggregate(m=Max("rolled_up_at"))["m"]
    # required lessons per course audience
    course_rows = list(
        CourseAudience.objects.filter(required=True, course__live=True)
        .select_related("course")
        .prefetch_related("departments")
    )
    lessons_by_course: dict[int, set[int]] = {}
    courses = {row.course_id: row.course for row in course_rows}
    if courses:
        for lesson in LessonPage.objects.live().defer_streamfields().only("pk", "path", "depth"):
            for course in courses.values():
                if lesson.depth == course.depth + 1 and lesson.path.startswith(course.path):
                    lessons_by_course.setdefault(course.pk, set()).add(lesson.pk)
    completed: dict[int, set[int]] = {}
    for person_id, lesson_id in LessonProgress.objects.filter(
        person_id__in=person_ids, completed_at__isnull=False
    ).values_list("person_id", "lesson_id"):
        completed.setdefault(person_id, set()).add(lesson_id)

    # year elapsed share for "behind": the pro-rata part of the requirement
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if today < start:
        share = 0.0
    elif today > end:
        share = 1.0
    else:
        share = ((today - start).days + 1) / ((end - start).days + 1)

    groups: dict[str, GroupRow] = {}
    for person in persons:
        audiences = _audiences(person, leading)
        rule = rules.get(_primary(audiences)) or default_rule
        required_points = rule.required_points if rule else DEFAULT_REQUIRED_POINTS
        department = department_of(person.unit_id)
        required_lessons: set[int] = set()
        for row in course_rows:
            if row.audience not in audiences:
                continue
            departments = [d.pk for d in row.departments.all()]
            if departments and row.audience == "civil_servant":
                if department is None or department.pk not in departments:
                    continue
            required_lessons |= lessons_by_course.get(row.course_id, set())
        if grouping == "department":
            name = department.name if department else "（不属于区级部门）"
        else:
            town = units.get(person.unit.town_id) if person.unit.town_id else None
            name = town.name if town else "（区直属或部门）"
        total = totals.get(person.pk)
        groups.setdefault(name, GroupRow(name)).learners.append(
            Learner(
                person=person,
                group=name,
                points=total.points if total else 0,
                required_points=required_points,
                expected_points=int(required_points * share),
                required_lessons=len(required_lessons),
                completed_required=len(required_lessons & completed.get(person.pk, set())),
            )
        )
    report_rule = default_rule.required_points if default_rule else DEFAULT_REQUIRED_POINTS
    return StudyReport(
        year=year,
        grouping=grouping,
        groups=sorted(groups.values(), key=lambda g: g.name),
        rolled_up_at=rolled_up_at,
        required_points=report_rule,
    )


def study_report_xlsx(report: StudyReport) -> bytes:
    """The report as an .xlsx workbook: a summary sheet and the list of who is behind."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "汇总"
    heading = "部门" if report.grouping == "department" else "镇（街道）"
    header = [
        heading,
        "学员数",
        "平均积分",
        "年度达标人数",
        "必修课完成人数",
        "必修课完成率%",
        "进度落后人数",
    ]
    header += [f"积分 {label}" for label in report.bucket_labels]
    sheet.append([f"{report.year} 年学时统计（{GROUPINGS[report.grouping]}）"])
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for group in report.groups:
        sheet.append(
            [
                group.name,
                group.count,
                group.average_points,
                group.met,
                group.courses_done,
                group.completion_percent,
                group.behind,
                *group.distribution(report.required_points),
            ]
        )
    behind = book.create_sheet("进度落后")
    behind.append(["姓名", heading, "所在单位", "年度积分", "应得积分", "按进度应得", "必修课完成"])
    for cell in behind[1]:
        cell.font = Font(bold=True)
    for learner in report.behind:
        behind.append(
            [
                learner.person.name,
                learner.group,
                learner.person.unit.name,
                learner.points,
                learner.required_points,
                learner.expected_points,
                f"{learner.completed_required}/{learner.required_lessons}",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
