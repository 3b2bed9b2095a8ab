"""Fixtures of the study tests: a course with lessons, learners on the roster."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from core.identity import make_test_id_number
from people.roster.models import Unit
from people.roster.services import person_create

SELF_CHECK = {
    "title": "学完测一测",
    "questions": [
        {
            "question": "结婚应当男女双方完全自愿吗？",
            "options": ["是", "否"],
            "answer": "A",
            "explanation": "民法典第一千零四十六条。",
        },
        {
            "question": "下列哪些属于夫妻共同财产？",
            "options": ["工资", "婚前房产", "婚后投资收益"],
            "answer": "AC",
            "explanation": "民法典第一千零六十二条。",
        },
    ],
}

_seq = itertools.count(1)


def make_lesson(course, title, *, slug=None, min_minutes=2, body=None):
    from learning.study.models import LessonPage

    lesson = LessonPage(
        title=title,
        slug=slug or f"lesson-{next(_seq)}",
        min_minutes=min_minutes,
        body=body if body is not None else [("paragraph", "<p>正文。</p>")],
    )
    course.add_child(instance=lesson)
    lesson.save_revision().publish()
    lesson.refresh_from_db()
    return lesson


@pytest.fixture
def course_tree(site_tree):
    """课程中心 → 民法典课程 (required for village cadres) → 2 lessons."""
    from learning.study.models import CourseAudience, CourseIndexPage, CoursePage

    index = CourseIndexPage(title="课程中心", slug="courses")
    site_tree.add_child(instance=index)
    index.save_revision().publish()
    course = CoursePage(title="民法典与村民生活", slug="civil-code", summary="婚姻家庭、继承")
    course.audiences = [CourseAudience(audience="village_cadre", required=True)]
    index.add_child(instance=course)
    course.save_revision().publish()
    first = make_lesson(
        course,
        "婚姻家庭",
        slug="marriage",
        min_minutes=2,
        body=[("paragraph", "<p>婚姻自由。</p>"), ("self_check", SELF_CHECK)],
    )
    second = make_lesson(course, "继承", slug="inheritance", min_minutes=1)
    return {"index": index, "course": course, "lesson": first, "lesson2": second}


@pytest.fixture
def village(db):
    district = Unit.objects.create(kind="district", code="SD", name="梧桐桥区")
    town = Unit(kind="town", code="ST1", name="一镇", parent=district)
    town.save()
    village = Unit(kind="village", code="SV1", name="一村", parent=town)
    village.save()
    return village


def make_learner(make_user, unit, *, phone="13900000101", category="cadre", name="李四"):
    user = make_user(phone=phone, display_name=name)
    n = next(_seq)
    person = person_create(
        name=name,
        id_number=make_test_id_number("511102", dt.date(1980, 1 + n % 12, 1 + n % 28), n % 1000),
        unit=unit,
        category=category,
        user=user,
    )
    return user, person


@pytest.fixture
def learner(make_user, village):
    return make_learner(make_user, village)


def at(*args) -> dt.datetime:
    """A local (Asia/Shanghai) time."""
    return timezone.make_aware(dt.datetime(*args))
