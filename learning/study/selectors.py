"""Reads of the study part (学习查询): credit, requirements, courses for a person, progress.

``study_points(person, year)`` and ``has_met_requirement(person, year)`` are what the exams
issue calls; they read the raw daily rows, so credit earned a minute ago counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import (
    BigIntegerField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.utils import timezone

from learning.laws.models import Audience
from learning.study.models import (
    DEFAULT_DAILY_CAP_POINTS,
    DEFAULT_REQUIRED_POINTS,
    MS_PER_POINT,
    CourseAudience,
    CoursePage,
    LeadingCadre,
    LessonPage,
    LessonProgress,
    StudyDay,
    StudyRule,
)

__all__ = [
    "courses_for_person",
    "has_met_requirement",
    "my_learning",
    "person_audiences",
    "person_primary_audience",
    "study_points",
    "study_rule_for",
    "study_today",
]

POINTS_EXPR = ExpressionWrapper(F("credited_ms") / MS_PER_POINT, output_field=BigIntegerField())


# --- audiences and rules ---------------------------------------------------------------------


def person_audiences(person) -> set[str]:
    """Every audience the person belongs to (a leading cadre is also a civil servant)."""
    audiences = {Audience.PUBLIC.value}
    if getattr(person, "_study_leading_cadre", None) is None:
        person._study_leading_cadre = LeadingCadre.objects.filter(person_id=person.pk).exists()
    if person._study_leading_cadre:
        audiences.add(Audience.LEADING_CADRE.value)
    if person.category == "civil_servant":
        audiences.add(Audience.CIVIL_SERVANT.value)
    if person.category == "cadre":
        audiences.add(Audience.VILLAGE_CADRE.value)
    if person.level:
        audiences.add(Audience.LEGAL_PERSON.value)
    return audiences


def person_primary_audience(person) -> str:
    """The audience whose rule applies; same order as the heartbeat SQL (study_credit)."""
    audiences = person_audiences(person)
    for audience in ("leading_cadre", "civil_servant", "village_cadre", "legal_person"):
        if audience in audiences:
            return audience
    return Audience.PUBLIC.value


@dataclass(frozen=True)
class Rule:
    required_points: int
    daily_cap_points: int


def study_rule_for(person, year: int) -> Rule:
    """The rule for the person's primary audience in a year, else the year's default rule."""
    audience = person_primary_audience(person) if person is not None else ""
    rules = {
        r.audience: r for r in StudyRule.objects.filter(year=year, audience__in=[audience, ""])
    }
    rule = rules.get(audience) or rules.get("")
    if rule is None:
        return Rule(DEFAULT_REQUIRED_POINTS, DEFAULT_DAILY_CAP_POINTS)
    return Rule(rule.required_points, rule.daily_cap_points)


# --- credit ------------------------------------------------------------------------------------


def study_points(person, year: int) -> int:
    """Points (积分) earned in a year: each day's credited minutes, summed."""
    if person is None:
        return 0
    total = StudyDay.objects.filter(person_id=person.pk, day__year=year).aggregate(
        points=Sum(POINTS_EXPR)
    )["points"]
    return int(total or 0)


def has_met_requirement(person, year: int) -> bool:
    """Whether the person has earned the year's required points (e.g. to unlock the exam)."""
    if person is None:
        return False
    return study_points(person, year) >= study_rule_for(person, year).required_points


def study_today(person, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    row = StudyDay.objects.filter(person_id=person.pk, day=today).first() if person else None
    credited_ms = row.credited_ms if row else 0
    return {"credited_seconds": credited_ms // 1000, "points": credited_ms // MS_PER_POINT}


# --- courses -----------------------------------------------------------------------------------


def person_department_id(person) -> int | None:
    from people.roster.selectors import unit_department

    department = unit_department(person.unit) if person.unit_id else None
    return department.pk if department else None


def courses_for_person(person) -> list[tuple[CoursePage, bool]]:
    """(course, required) for the person's audiences, required first, in site order."""
    if person is None:
        return []
    audiences = person_audiences(person)
    department_id = None
    rows = (
        CourseAudience.objects.filter(audience__in=audiences, course__live=True)
        .select_related("course")
        .prefetch_related("departments")
        .order_by("course__path", "sort_order")
    )
    required: dict[int, bool] = {}
    courses: dict[int, CoursePage] = {}
    for row in rows:
        departments = list(row.departments.all())
        if departments and row.audience == Audience.CIVIL_SERVANT:
            if department_id is None:
                department_id = person_department_id(person) or 0
            if department_id not in {d.pk for d in departments}:
                continue
        courses[row.course_id] = row.course
        required[row.course_id] = required.get(row.course_id, False) or row.required
    ordered = sorted(courses.values(), key=lambda c: (not required[c.pk], c.path))
    return [(course, required[course.pk]) for course in ordered]


@dataclass
class CourseProgress:
    course: CoursePage
    required: bool
    lessons: list = field(default_factory=list)  # LessonPage with .progress attached
    completed: int = 0

    @property
    def total(self) -> int:
        return len(self.lessons)

    @property
    def percent(self) -> int:
        return self.completed * 100 // self.total if self.total else 0

    @property
    def next_lesson(self):
        return next((lesson for lesson in self.lessons if not lesson.is_completed), None)


def _lessons_of(courses: list[CoursePage]) -> dict[int, list[LessonPage]]:
    if not courses:
        return {}
    q = Q()
    for course in courses:
        q |= Q(path__startswith=course.path, depth=course.depth + 1)
    lessons = LessonPage.objects.live().filter(q).defer_streamfields().order_by("path")
    by_course: dict[int, list[LessonPage]] = {c.pk: [] for c in courses}
    prefix = {c.path: c.pk for c in courses}
    for lesson in lessons:
        course_id = prefix.get(lesson.path[: -LessonPage.steplen])
        if course_id:
            by_course[course_id].append(lesson)
    return by_course


def _attach_progress(person, lessons: list[LessonPage]) -> None:
    rows = {
        p.lesson_id: p
        for p in LessonProgress.objects.filter(
            person_id=person.pk, lesson_id__in=[lesson.pk for lesson in lessons]
        )
    }
    for lesson in lessons:
        lesson.my_progress = rows.get(lesson.pk)
        lesson.is_completed = bool(lesson.my_progress and lesson.my_progress.completed_at)


def course_progress(person, courses: list[tuple[CoursePage, bool]]) -> list[CourseProgress]:
    by_course = _lessons_of([c for c, _ in courses])
    all_lessons = [lesson for lessons in by_course.values() for lesson in lessons]
    _attach_progress(person, all_lessons)
    result = []
    for course, required in courses:
        lessons = by_course.get(course.pk, [])
        result.append(
            CourseProgress(
                course=course,
                required=required,
                lessons=lessons,
                completed=sum(1 for lesson in lessons if lesson.is_completed),
            )
        )
    return result


def resume_lesson(person):
    """The lesson the person studied last and has not completed (else the last one)."""
    rows = (
        LessonProgress.objects.filter(person_id=person.pk, lesson__live=True)
        .select_related("lesson")
        .order_by("completed_at", "-last_seen_at")  # NULLs (not completed) first on SQLite
    )
    candidates = list(rows[:20])
    open_rows = [r for r in candidates if r.completed_at is None]
    pool = open_rows or candidates
    pool.sort(key=lambda r: r.last_seen_at, reverse=True)
    return pool[0] if pool else None


def my_learning(person, today: dt.date | None = None) -> dict:
    """Everything the "my learning" page shows."""
    today = today or timezone.localdate()
    rule = study_rule_for(person, today.year)
    points_year = study_points(person, today.year)
    courses = course_progress(person, courses_for_person(person))
    required_courses = [c for c in courses if c.required]
    elective_courses = [c for c in courses if not c.required]
    next_lesson = None
    for progress in required_courses + elective_courses:
        if progress.next_lesson is not None:
            next_lesson = progress.next_lesson
            break
    today_credit = study_today(person, today)
    return {
        "rule": rule,
        "year": today.year,
        "points_year": points_year,
        "points_missing": max(0, rule.required_points - points_year),
        "year_percent": min(100, points_year * 100 // rule.required_points)
        if rule.required_points
        else 100,
        "met_requirement": points_year >= rule.required_points,
        "points_today": today_credit["points"],
        "today_percent": min(100, today_credit["points"] * 100 // rule.daily_cap_points),
        "cap_reached": today_credit["points"] >= rule.daily_cap_points,
        "required_courses": required_courses,
        "elective_courses": elective_courses,
        "next_lesson": next_lesson,
        "resume": resume_lesson(person),
    }


# --- pages -------------------------------------------------------------------------------------


def course_context(course: CoursePage, user) -> dict:
    from people.roster.selectors import person_for_user

    lessons = list(course.lessons().defer_streamfields())
    person = person_for_user(user)
    if person is not None:
        _attach_progress(person, lessons)
    else:
        for lesson in lessons:
            lesson.my_progress, lesson.is_completed = None, False
    required_items = []
    for required_list in course.required_law_lists.filter(is_active=True).prefetch_related(
        "items__law", "items__article__law"
    ):
        required_items.append(required_list)
    return {
        "lessons": lessons,
        "person": person,
        "completed_count": sum(1 for lesson in lessons if lesson.is_completed),
        "required_lists": required_items,
        "audiences": list(course.audiences.all()),
    }


def lesson_context(page: LessonPage, request) -> dict:
    """Context of a lesson page in one query, whatever the body holds: the course, the
    lessons of the course with this user's progress, and whether the user is on the roster.
    (The body itself is cached per page version; study_prefetch batches it when it is not.)"""
    from wagtail.models import Page

    from people.roster.models import Person

    user = request.user
    user_id = user.pk if user.is_authenticated else None
    course_path = page.path[: -page.steplen]
    progress = LessonProgress.objects.filter(lesson_id=OuterRef("pk"), person__user_id=user_id)
    rows = list(
        Page.objects.filter(
            Q(path=course_path) | Q(path__startswith=course_path, depth=page.depth, live=True)
        )
        .annotate(
            progress_ms=Subquery(progress.values("studied_ms")[:1]),
            progress_passed=Subquery(progress.values("self_check_passed")[:1]),
            progress_completed=Subquery(progress.values("completed_at")[:1]),
            has_person=Exists(Person.objects.filter(user_id=user_id)),
        )
        .only("pk", "title", "url_path", "path", "depth")
        .order_by("path")
    )
    course = next((row for row in rows if row.path == course_path), None)
    siblings = [row for row in rows if row.depth == page.depth]
    current = next((row for row in siblings if row.pk == page.pk), None)
    index = siblings.index(current) if current is not None else None
    previous_lesson = siblings[index - 1] if index else None
    next_lesson = siblings[index + 1] if index is not None and index + 1 < len(siblings) else None
    has_person = bool(user_id and rows and rows[0].has_person)
    studied_ms = (current.progress_ms or 0) if current is not None else 0
    return {
        "heartbeat_interval": getattr(settings, "STUDY_HEARTBEAT_SECONDS", 30),
        "course": course,
        "person": has_person,
        "lesson_number": (index or 0) + 1,
        "lesson_count": len(siblings),
        "previous_lesson": previous_lesson,
        "next_lesson": next_lesson,
        "studied_minutes": studied_ms // 60_000,
        "self_check_passed": bool(current is not None and current.progress_passed),
        "lesson_completed": bool(current is not None and current.progress_completed),
    }
