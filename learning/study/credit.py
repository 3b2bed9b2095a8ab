# ruff: noqa: S608  (SQL built only from model table names and integer constants)
"""The heartbeat (学时心跳): honest study-time credit in two SQL statements.

A heartbeat names the user (from a signed token or the session, read without loading the
user) and a lesson. Statement 1 is one upsert on the person's ``StudyDay`` row, which is the
person's clock for the day:

* it finds the person, checks that the account is active and the lesson exists and is live
  (INSERT … SELECT with joins: no row means no credit);
* it credits the gap since the previous heartbeat of *this person* — whatever tab or device
  sent it — if that gap is positive and at most ``STUDY_MAX_GAP_SECONDS``; so credit never
  exceeds the real elapsed time and two tabs do not double it;
* it stops ``credited_ms`` at the day's cap (from ``StudyRule`` for the year and the person's
  audience), while ``studied_ms`` keeps the real time;
* it returns the person, the credit, the gap, the account's password hash (to verify the
  session / token hash in Python, as Django's ``get_user`` does), the points of the earlier
  days of the year and the lesson's minimum time.

Statement 2 is one upsert on ``LessonProgress`` that adds the gap to the lesson and marks it
completed once the minimum time and the self-check are done. Both run in one transaction;
a hash mismatch rolls everything back. The first heartbeat of a day only starts the clock
(the gap across midnight is not credited to either day).

The SQL is portable between SQLite (3.35+) and PostgreSQL: INSERT … SELECT … ON CONFLICT DO
UPDATE … RETURNING, with scalar subqueries in RETURNING.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from learning.study.models import (
    DEFAULT_DAILY_CAP_POINTS,
    MS_PER_POINT,
    LeadingCadre,
    LessonPage,
    LessonProgress,
    StudyDay,
    StudyRule,
)
from people.roster.models import Person


def max_gap_ms() -> int:
    return int(getattr(settings, "STUDY_MAX_GAP_SECONDS", 60)) * 1000


class HeartbeatRejected(Exception):
    """No credit: the reason is a Chinese message; ``status`` the HTTP status to answer."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class HeartbeatResult:
    person_id: int
    credited_ms_today: int
    gap_ms: int
    points_before_today: int
    lesson_completed: bool
    lesson_studied_ms: int

    @property
    def credited_seconds_today(self) -> int:
        return self.credited_ms_today // 1000

    @property
    def points_today(self) -> int:
        return self.credited_ms_today // MS_PER_POINT

    @property
    def points_year(self) -> int:
        return self.points_before_today + self.points_today

    def as_dict(self) -> dict:
        return {
            "credited_seconds_today": self.credited_seconds_today,
            "points_today": self.points_today,
            "points_year": self.points_year,
            "lesson_completed": self.lesson_completed,
        }


def _audience_sql() -> str:
    """SQL for the person's primary audience; mirrors selectors.person_primary_audience."""
    lc = LeadingCadre._meta.db_table
    return (
        f"CASE WHEN EXISTS (SELECT 1 FROM {lc} lc WHERE lc.person_id = pe.id) THEN 'leading_cadre'"
        " WHEN pe.category = 'civil_servant' THEN 'civil_servant'"
        " WHEN pe.category = 'cadre' THEN 'village_cadre'"
        " WHEN pe.level <> '' THEN 'legal_person'"
        " ELSE 'public' END"
    )


def _statement_sql(start: bool) -> tuple[str, str]:
    day = StudyDay._meta.db_table
    person = Person._meta.db_table
    user = get_user_model()._meta.db_table
    lesson = LessonPage._meta.db_table
    page = "wagtailcore_page"
    rule = StudyRule._meta.db_table
    progress = LessonProgress._meta.db_table
    gap = int(max_gap_ms())
    cap = (
        "COALESCE("
        f"(SELECT r.daily_cap_points FROM {rule} r WHERE r.year = %s AND r.audience = {_audience_sql()}),"
        f"(SELECT r.daily_cap_points FROM {rule} r WHERE r.year = %s AND r.audience = ''),"
        f"{DEFAULT_DAILY_CAP_POINTS}) * {MS_PER_POINT}"
    )
    gap_expr = (
        "0"
        if start
        else (
            f"(CASE WHEN excluded.last_beat_ms > {day}.last_beat_ms"
            f" AND excluded.last_beat_ms - {day}.last_beat_ms <= {gap}"
            f" THEN excluded.last_beat_ms - {day}.last_beat_ms ELSE 0 END)"
        )
    )
    credit_sql = f"""
INSERT INTO {day} (person_id, day, credited_ms, studied_ms, cap_ms, last_beat_ms,
                   last_gap_ms, beats, lesson_id)
SELECT pe.id, %s, 0, 0, {cap}, %s, 0, 1, lp.page_ptr_id
FROM {person} pe
INNER JOIN {user} u ON u.id = pe.user_id
INNER JOIN {lesson} lp ON lp.page_ptr_id = %s
INNER JOIN {page} p ON p.id = lp.page_ptr_id
WHERE pe.user_id = %s AND u.is_active AND p.live
ON CONFLICT (person_id, day) DO UPDATE SET
  last_gap_ms = {gap_expr},
  studied_ms = {day}.studied_ms + {gap_expr},
  credited_ms = {day}.credited_ms + CASE
      WHEN {day}.credited_ms >= excluded.cap_ms THEN 0
      WHEN {day}.credited_ms + {gap_expr} > excluded.cap_ms THEN excluded.cap_ms - {day}.credited_ms
      ELSE {gap_expr} END,
  cap_ms = excluded.cap_ms,
  last_beat_ms = CASE WHEN excluded.last_beat_ms > {day}.last_beat_ms
      THEN excluded.last_beat_ms ELSE {day}.last_beat_ms END,
  beats = {day}.beats + 1,
  lesson_id = excluded.lesson_id
RETURNING person_id, credited_ms, last_gap_ms,
  (SELECT u2.password FROM {user} u2 WHERE u2.id = %s),
  (SELECT COALESCE(SUM(d2.credited_ms / {MS_PER_POINT}), 0) FROM {day} d2
     WHERE d2.person_id = {day}.person_id AND d2.day >= %s AND d2.day < %s),
  (SELECT lp2.min_minutes FROM {lesson} lp2 WHERE lp2.page_ptr_id = %s),
  (SELECT lp3.has_self_check FROM {lesson} lp3 WHERE lp3.page_ptr_id = %s)
"""
    progress_sql = f"""
INSERT INTO {progress} (person_id, lesson_id, studied_ms, self_check_passed,
                        self_check_attempts, started_at, last_seen_at, completed_at)
VALUES (%s, %s, %s, %s, 0, %s, %s, %s)
ON CONFLICT (person_id, lesson_id) DO UPDATE SET
  studied_ms = {progress}.studied_ms + excluded.studied_ms,
  last_seen_at = excluded.last_seen_at,
  completed_at = CASE
      WHEN {progress}.completed_at IS NULL
       AND {progress}.studied_ms + excluded.studied_ms >= %s
       AND ({progress}.self_check_passed OR %s)
      THEN excluded.last_seen_at ELSE {progress}.completed_at END
RETURNING completed_at, studied_ms
"""
    return credit_sql, progress_sql


_SQL: dict[tuple[str, bool], tuple[str, str]] = {}


def _sql(start: bool) -> tuple[str, str]:
    key = (connection.vendor, start)
    if key not in _SQL:
        _SQL[key] = _statement_sql(start)
    return _SQL[key]


def _session_hash_ok(user_id: int, password: str, expected_hash: str) -> bool:
    user = get_user_model()(pk=user_id, password=password)
    if constant_time_compare(expected_hash or "", user.get_session_auth_hash()):
        return True
    # Like django.contrib.auth.get_user: sessions signed with a fallback key stay valid.
    fallback = getattr(user, "_get_session_auth_hash", None)
    if fallback is not None:
        for key in settings.SECRET_KEY_FALLBACKS:
            if constant_time_compare(expected_hash or "", fallback(secret=key)):
                return True
    return False


class _HashMismatch(Exception):
    pass


def heartbeat_record(
    *,
    user_id: int,
    auth_hash: str,
    lesson_id: int,
    start: bool = False,
    now: dt.datetime | None = None,
) -> HeartbeatResult:
    """Credit one heartbeat (see the module docstring). Raises HeartbeatRejected.

    ``start=True`` (the page has just become visible again) restarts the clock without
    crediting the gap: it can only lower the credit, so the browser may be trusted with it.
    """
    now = now or timezone.now()
    now_ms = int(now.timestamp() * 1000)
    today = timezone.localdate(now)
    year = today.year
    ops = connection.ops
    credit_sql, progress_sql = _sql(bool(start))
    day_value = ops.adapt_datefield_value(today)
    jan1 = ops.adapt_datefield_value(dt.date(year, 1, 1))
    params = [day_value, year, year, now_ms, lesson_id, user_id, user_id, jan1, day_value]
    params += [lesson_id, lesson_id]
    try:
        # savepoint=False: no SAVEPOINT statements when called inside another transaction.
        with transaction.atomic(savepoint=False), connection.cursor() as cursor:
            cursor.execute(credit_sql, params)
            row = cursor.fetchone()
            if row is not None:
                person_id, credited_ms, gap_ms, password, points_before, min_min, has_check = row
                if not _session_hash_ok(user_id, password or "", auth_hash):
                    raise _HashMismatch  # rolls back statement 1
                min_ms = int(min_min or 0) * 60_000
                has_check = bool(has_check)
                now_value = ops.adapt_datetimefield_value(now)
                completed_now = now_value if (gap_ms >= min_ms and not has_check) else None
                cursor.execute(
                    progress_sql,
                    [person_id, lesson_id, gap_ms, False, now_value, now_value, completed_now]
                    + [min_ms, not has_check],
                )
                completed_at, lesson_ms = cursor.fetchone()
    except _HashMismatch:
        raise HeartbeatRejected("登录已失效，请重新登录。", status=401) from None
    if row is None:
        raise HeartbeatRejected(*_no_credit_reason(user_id, lesson_id))
    return HeartbeatResult(
        person_id=int(person_id),
        credited_ms_today=int(credited_ms),
        gap_ms=int(gap_ms),
        points_before_today=int(points_before or 0),
        lesson_completed=completed_at is not None,
        lesson_studied_ms=int(lesson_ms),
    )


def _no_credit_reason(user_id: int, lesson_id: int) -> tuple[str, int]:
    """Why statement 1 matched nothing (only on the error path, so extra queries are fine)."""
    if not LessonPage.objects.filter(pk=lesson_id, live=True).exists():
        return "课时不存在或已下线。", 404
    if not Person.objects.filter(user_id=user_id).exists():
        return "您的账号尚未登记到人员名单，暂不能计入学时，请联系所在单位。", 403
    return "账号已停用。", 401
