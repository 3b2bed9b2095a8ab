"""Study-time credit rules with a frozen clock (学时计算规则)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.test import Client

from learning.study.models import LessonProgress, StudyDay, StudyRule, StudyYearTotal
from learning.study.selectors import has_met_requirement, study_points
from learning.study.services import study_rollup
from people.accounts.api_auth import token_issue
from tests.learning.study.conftest import at, make_learner

URL = "/api/v1/study/heartbeat/"


def beat(client, lesson, **extra):
    response = client.post(
        URL, data=json.dumps({"lesson": lesson.pk, **extra}), content_type="application/json"
    )
    return response


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def setup(course_tree, learner):
    user, person = learner
    return {"client": logged_in(user), "user": user, "person": person, **course_tree}


def test_first_heartbeat_starts_the_clock_and_gaps_are_credited(setup):
    client, lesson = setup["client"], setup["lesson"]
    with time_machine.travel(at(2026, 5, 4, 9, 0, 0), tick=False) as clock:
        r = beat(client, lesson)
        assert r.status_code == 200, r.content
        assert r.json() == {
            "credited_seconds_today": 0,
            "points_today": 0,
            "points_year": 0,
            "lesson_completed": False,
        }
        clock.shift(30)
        assert beat(client, lesson).json()["credited_seconds_today"] == 30
        clock.shift(30)
        data = beat(client, lesson).json()
        assert data["credited_seconds_today"] == 60
        assert data["points_today"] == 1
        assert data["points_year"] == 1
    progress = LessonProgress.objects.get(person=setup["person"], lesson=lesson)
    assert progress.studied_ms == 60_000


def test_no_credit_beyond_elapsed_time(setup):
    """Beating faster than real time, or again at the same instant, adds nothing extra."""
    client, lesson = setup["client"], setup["lesson"]
    with time_machine.travel(at(2026, 5, 4, 9, 0, 0), tick=False) as clock:
        beat(client, lesson)
        for _ in range(5):
            beat(client, lesson)  # same instant: gap 0
        for _ in range(20):
            clock.shift(3)
            beat(client, lesson)
        assert beat(client, lesson).json()["credited_seconds_today"] == 60


def test_a_long_gap_credits_nothing(setup):
    """A tab left in the background sends no heartbeats; the gap after it is not credited."""
    client, lesson = setup["client"], setup["lesson"]
    with time_machine.travel(at(2026, 5, 4, 9, 0, 0), tick=False) as clock:
        beat(client, lesson)
        clock.shift(30)
        beat(client, lesson)
        clock.shift(600)  # ten minutes away
        assert beat(client, lesson).json()["credited_seconds_today"] == 30
        clock.shift(61)  # just over the maximum gap
        assert beat(client, lesson).json()["credited_seconds_today"] == 30
        clock.shift(60)  # exactly the maximum gap counts
        assert beat(client, lesson).json()["credited_seconds_today"] == 90


def test_start_heartbeat_restarts_the_clock_without_credit(setup):
    client, lesson = setup["client"], setup["lesson"]
    with time_machine.travel(at(2026, 5, 4, 9, 0, 0), tick=False) as clock:
        beat(client, lesson)
        clock.shift(20)
        beat(client, lesson)  # blur: credits the 20 s before leaving
        clock.shift(40)
        assert beat(client, lesson, start=True).json()["credited_seconds_today"] == 20
        clock.shift(30)
        assert beat(client, lesson).json()["credited_seconds_today"] == 50


def test_two_tabs_do_not_double_the_credit(setup, course_tree):
    """Two tabs (two sessions, even two lessons) beating in turn earn the real time only."""
    user, lesson, lesson2 = setup["user"], setup["lesson"], setup["lesson2"]
    tab1, tab2 = logged_in(user), logged_in(user)
    with time_machine.travel(at(2026, 5, 4, 9, 0, 0), tick=False) as clock:
        beat(tab1, lesson)
        beat(tab2, lesson2)
        for _ in range(10):  # five minutes: each tab beats every 30 s, 15 s apart
            clock.shift(15)
            beat(tab1, lesson)
            clock.shift(15)
            data = beat(tab2, lesson2).json()
    assert data["credited_seconds_today"] == 300
    day = StudyDay.objects.get(person=setup["person"])
    assert day.credited_ms == day.studied_ms == 300_000
    per_lesson = sum(p.studied_ms for p in LessonProgress.objects.filter(person=setup["person"]))
    assert per_lesson == 300_000


def test_daily_cap(setup):
    StudyRule.objects.create(year=2026, audience="", required_points=100, daily_cap_points=2)
    client, lesson = setup["client"], setup["lesson"]
    with time_machine.travel(at(2026, 5, 4, 9, 0, 0), tick=False) as clock:
        beat(client, lesson)
        for _ in range(20):  # ten minutes
            clock.shift(30)
            data = beat(client, lesson).json()
        assert data["points_today"] == 2
        assert data["credited_seconds_today"] == 120
        clock.shift(24 * 3600 - 600)  # the next day starts from zero
        beat(client, lesson)
        clock.shift(30)
        data = beat(client, lesson).json()
        assert data["credited_seconds_today"] == 30
        assert data["points_year"] == 2
    day = StudyDay.objects.get(person=setup["person"], day=dt.date(2026, 5, 4))
    assert day.credited_ms == 120_000
    assert day.studied_ms == 600_000  # real time is kept
    assert day.cap_ms == 120_000


def test_daily_cap_per_audience(setup):
    StudyRule.objects.create(year=2026, audience="", daily_cap_points=125)
    StudyRule.objects.create(year=2026, audience="village_cadre", daily_cap_points=1)
    client, lesson = setup["client"], setup["lesson"]
    with time_machine.travel(at(2026, 5, 4, 9, 0, 0), tick=False) as clock:
        beat(client, lesson)
        for _ in range(6):
            clock.shift(30)
            data = beat(client, lesson).json()
    assert data["points_today"] == 1
    assert data["credited_seconds_today"] == 60


def test_year_boundary(setup):
    lesson, person = setup["lesson"], setup["person"]
    with time_machine.travel(at(2026, 12, 31, 23, 50, 0), tick=False) as clock:
        client = logged_in(setup["user"])  # a session of that day (sessions expire)
        beat(client, lesson)
        for _ in range(20):  # 23:50 → 00:00 (the last beat is at 00:00 sharp)
            clock.shift(30)
            beat(client, lesson)
        for _ in range(6):  # 00:00 → 00:03
            clock.shift(30)
            data = beat(client, lesson).json()
    old, new = StudyDay.objects.filter(person=person).order_by("day")
    assert old.day == dt.date(2026, 12, 31) and new.day == dt.date(2027, 1, 1)
    assert old.credited_ms == 570_000  # 23:50:00 → 23:59:30; the gap across midnight is lost
    assert new.credited_ms == 180_000
    assert data["points_year"] == 3  # only 2027's points
    assert study_points(person, 2026) == 9
    assert study_points(person, 2027) == 3


def test_completion_needs_minimum_time_and_self_check(setup):
    client, lesson, person = setup["client"], setup["lesson"], setup["person"]
    check_url = f"/api/v1/study/lessons/{lesson.pk}/self-check/"
    with time_machine.travel(at(2026, 5, 4, 9, 0, 0), tick=False) as clock:
        beat(client, lesson)
        for _ in range(6):  # three minutes ≥ 2 minimum, but no self-check yet
            clock.shift(30)
            data = beat(client, lesson).json()
        assert data["lesson_completed"] is False
        wrong = client.post(
            check_url, {"answers": {"0": "A", "1": "A"}}, content_type="application/json"
        ).json()
        assert wrong["passed"] is False and wrong["lesson_completed"] is False
        assert [r["correct"] for r in wrong["results"]] == [True, False]
        assert wrong["results"][1]["answer"] == "AC"
        right = client.post(
            check_url, {"answers": {"0": "A", "1": ["C", "A"]}}, content_type="application/json"
        ).json()
        assert right["passed"] is True and right["lesson_completed"] is True
        clock.shift(30)
        assert beat(client, lesson).json()["lesson_completed"] is True
    progress = LessonProgress.objects.get(person=person, lesson=lesson)
    assert progress.self_check_passed and progress.self_check_attempts == 2


def test_self_check_first_then_time(setup):
    client, lesson = setup["client"], setup["lesson"]
    check_url = f"/api/v1/study/lessons/{lesson.pk}/self-check/"
    with time_machine.travel(at(2026, 5, 4, 9, 0, 0), tick=False) as clock:
        beat(client, lesson)
        r = client.post(
            check_url, {"answers": {"0": "A", "1": "AC"}}, content_type="application/json"
        )
        assert r.json()["passed"] is True and r.json()["lesson_completed"] is False
        completed = []
        for _ in range(4):
            clock.shift(30)
            completed.append(beat(client, lesson).json()["lesson_completed"])
    assert completed == [False, False, False, True]  # at exactly 2 minutes


def test_lesson_without_self_check_completes_after_min_time(setup):
    client, lesson2 = setup["client"], setup["lesson2"]  # 1 minute, no self-check
    with time_machine.travel(at(2026, 5, 4, 9, 0, 0), tick=False) as clock:
        beat(client, lesson2)
        clock.shift(30)
        assert beat(client, lesson2).json()["lesson_completed"] is False
        clock.shift(30)
        assert beat(client, lesson2).json()["lesson_completed"] is True


def test_self_check_bad_input_writes_nothing(setup):
    client, lesson = setup["client"], setup["lesson"]
    url = f"/api/v1/study/lessons/{lesson.pk}/self-check/"
    r = client.post(url, {"answers": {"0": "A"}}, content_type="application/json")
    assert r.status_code == 400 and "第 2 题" in r.json()["detail"]
    r = client.post(url, {"answers": {"0": "A", "1": "F"}}, content_type="application/json")
    assert r.status_code == 400
    assert not LessonProgress.objects.exists()
    r = client.post(
        f"/api/v1/study/lessons/{setup['lesson2'].pk}/self-check/",
        {"answers": {"0": "A"}},
        content_type="application/json",
    )
    assert r.status_code == 400 and "没有自测题" in r.json()["detail"]


def test_lesson_page_never_contains_the_answers(setup):
    r = setup["client"].get(setup["lesson"].url)
    assert r.status_code == 200
    html = r.content.decode()
    assert "结婚应当男女双方完全自愿吗" in html
    assert "民法典第一千零六十二条" not in html  # explanation only after answering
    assert '"AC"' not in html and "answer" not in html.lower().replace("answers", "")


def test_heartbeat_rejections(setup, make_user):
    client, lesson = setup["client"], setup["lesson"]
    assert beat(client, type("L", (), {"pk": 999999})()).status_code == 404
    lesson.unpublish()
    assert beat(client, lesson).status_code == 404
    stranger = logged_in(make_user(phone="13900000199"))
    lesson.save_revision().publish()
    r = beat(stranger, lesson)
    assert r.status_code == 403 and "人员名单" in r.json()["detail"]
    assert (
        Client().post(URL, {"lesson": lesson.pk}, content_type="application/json").status_code
        == 401
    )
    assert not StudyDay.objects.exists()


def test_heartbeat_needs_csrf_with_a_session(setup):
    client = Client(enforce_csrf_checks=True)
    client.force_login(setup["user"])
    r = beat(client, setup["lesson"])
    assert r.status_code == 401


@pytest.mark.django_db(transaction=True)
def test_changed_password_revokes_heartbeats(course_tree, make_user, village):
    user, person = make_learner(make_user, village)
    client = logged_in(user)
    lesson = course_tree["lesson"]
    assert beat(client, lesson).status_code == 200
    user.set_password("Another-pass-2026!")
    user.save()
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30)):
        r = beat(client, lesson)
    assert r.status_code == 401
    assert StudyDay.objects.get(person=person).beats == 1  # the rejected beat was rolled back


def test_bearer_token_heartbeat(setup):
    client, lesson = Client(), setup["lesson"]
    token = token_issue(setup["user"])
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    with time_machine.travel(at(2026, 5, 4, 9, 0, 0), tick=False) as clock:
        r = client.post(URL, {"lesson": lesson.pk}, content_type="application/json", **headers)
        assert r.status_code == 200
        clock.shift(30)
        r = client.post(URL, {"lesson": lesson.pk}, content_type="application/json", **headers)
    assert r.json()["credited_seconds_today"] == 30
    bad = client.post(
        URL, {"lesson": lesson.pk}, content_type="application/json", HTTP_AUTHORIZATION="Bearer x"
    )
    assert bad.status_code == 401


# The whole middleware stack runs: StaffSessionMiddleware decides a learner's API request from
# the session (core.security.staff), without loading the user and their permissions.
def test_heartbeat_costs_at_most_three_queries(setup, django_assert_max_num_queries):
    client, lesson = setup["client"], setup["lesson"]
    token = token_issue(setup["user"])
    with time_machine.travel(at(2026, 5, 4, 9, 0, 0), tick=False) as clock:
        with django_assert_max_num_queries(3):  # the first heartbeat of the day (insert)
            assert beat(client, lesson).status_code == 200
        clock.shift(30)
        with django_assert_max_num_queries(3):  # session + 2 statements
            assert beat(client, lesson).json()["credited_seconds_today"] == 30
        clock.shift(30)
        with django_assert_max_num_queries(2):  # bearer token: the 2 statements only
            r = Client().post(
                URL,
                {"lesson": lesson.pk},
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {token}",
            )
        assert r.json()["credited_seconds_today"] == 60


def test_requirement_and_rollup(setup):
    client, lesson, person = setup["client"], setup["lesson"], setup["person"]
    StudyRule.objects.create(year=2026, audience="village_cadre", required_points=3)
    for day in (4, 5):
        with time_machine.travel(at(2026, 5, day, 9, 0, 0), tick=False) as clock:
            beat(client, lesson)
            for _ in range(4):
                clock.shift(30)
                beat(client, lesson)
    assert study_points(person, 2026) == 4
    assert has_met_requirement(person, 2026) is True
    assert has_met_requirement(person, 2027) is False
    first = study_rollup(year=2026)
    totals = list(StudyYearTotal.objects.values_list("person_id", "points", "credited_ms", "days"))
    assert first["created"] == 1
    assert totals == [(person.pk, 4, 240_000, 2)]
    again = study_rollup(year=2026)
    assert again == {"created": 0, "updated": 0, "deleted": 0, "unchanged": 1}
    assert (
        list(StudyYearTotal.objects.values_list("person_id", "points", "credited_ms", "days"))
        == totals
    )
    # rebuilt from the raw rows: remove a day, roll up, the total follows
    StudyDay.objects.filter(day=dt.date(2026, 5, 5)).delete()
    assert study_rollup(year=2026)["updated"] == 1
    assert StudyYearTotal.objects.get().points == 2
    StudyDay.objects.all().delete()
    LessonProgress.objects.all().delete()
    assert study_rollup(year=2026)["deleted"] == 1
    assert not StudyYearTotal.objects.exists()


def test_nightly_task_runs_twice_with_the_same_totals(setup):
    from learning.study.tasks import study_rollup_nightly

    client, lesson = setup["client"], setup["lesson"]
    with time_machine.travel(at(2026, 5, 4, 9, 0, 0), tick=False) as clock:
        beat(client, lesson)
        clock.shift(60)
        beat(client, lesson)
    with time_machine.travel(at(2026, 5, 5, 1, 30, 0), tick=False):
        study_rollup_nightly.delay()
        snapshot = list(StudyYearTotal.objects.values("person_id", "year", "points"))
        study_rollup_nightly.delay()
    assert list(StudyYearTotal.objects.values("person_id", "year", "points")) == snapshot
    assert snapshot[0]["points"] == 1


def test_study_rollup_command(setup):
    import io

    from django.core.management import call_command

    StudyDay.objects.create(person=setup["person"], day=dt.date(2026, 2, 1), credited_ms=180_000)
    out = io.StringIO()
    call_command("study_rollup", "--year", "2026", stdout=out)
    assert "新增 1" in out.getvalue()
    out = io.StringIO()
    call_command("study_rollup", "--year", "2026", stdout=out)
    assert "未变 1" in out.getvalue()
    assert StudyYearTotal.objects.get().points == 3
