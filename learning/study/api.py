"""JSON API of the study part: the heartbeat (学时心跳) and the self-check.

``POST /api/v1/study/heartbeat/ {"lesson": <id>}`` → ``{"credited_seconds_today",
"points_today", "points_year", "lesson_completed"}``. At most 3 SQL queries: the session
(browser; none with a bearer token) and the two statements of ``learning.study.credit``. To
keep it so, the heartbeat authenticates without loading the user: it reads the user id and the
session-auth hash from the session or the signed token, and the credit statement returns the
account's password hash so the hash is verified exactly as Django verifies a session.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.core import signing
from django.core.exceptions import ValidationError
from ninja import Router, Schema
from ninja.responses import Status
from ninja.security import HttpBearer
from ninja.utils import check_csrf

from people.accounts.api_auth import TOKEN_SALT

router = Router(tags=["学习"])


class StudyIdentity:
    """Who sends a heartbeat, known without a query: (user id, session-auth hash)."""

    def __init__(self, user_id: int, auth_hash: str):
        self.user_id = user_id
        self.auth_hash = auth_hash


class HeartbeatBearer(HttpBearer):
    def authenticate(self, request, token):
        max_age = getattr(settings, "API_TOKEN_MAX_AGE", 12 * 3600)
        try:
            data = signing.loads(token, salt=TOKEN_SALT, max_age=max_age)
        except signing.BadSignature:
            return None
        if not isinstance(data, dict) or not str(data.get("u", "")).isdigit():
            return None
        return StudyIdentity(int(data["u"]), str(data.get("h", "")))


def heartbeat_session(request):
    """The browser's session (with CSRF), read without loading the user."""
    user_id = request.session.get(SESSION_KEY)
    if user_id is None or not str(user_id).isdigit():
        return None
    if check_csrf(request) is not None:
        return None
    return StudyIdentity(int(user_id), request.session.get(HASH_SESSION_KEY, ""))


class HeartbeatIn(Schema):
    lesson: int
    start: bool = False  # the page became visible again: restart the clock, credit nothing


class HeartbeatOut(Schema):
    credited_seconds_today: int
    points_today: int
    points_year: int
    lesson_completed: bool


class ErrorOut(Schema):
    detail: str


@router.post(
    "/study/heartbeat/",
    response={200: HeartbeatOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=[HeartbeatBearer(), heartbeat_session],
)
def study_heartbeat(request, payload: HeartbeatIn):
    """Credit the time since this person's previous heartbeat (see learning.study.credit)."""
    from learning.study.services import HeartbeatRejected, heartbeat_record

    identity: StudyIdentity = request.auth
    try:
        result = heartbeat_record(
            user_id=identity.user_id,
            auth_hash=identity.auth_hash,
            lesson_id=payload.lesson,
            start=payload.start,
        )
    except HeartbeatRejected as exc:
        return Status(exc.status, {"detail": str(exc)})
    return Status(200, result.as_dict())


class SelfCheckIn(Schema):
    answers: dict[str, str | list[str]]


class SelfCheckResultOut(Schema):
    correct: bool
    answer: str
    explanation: str


class SelfCheckOut(Schema):
    passed: bool
    lesson_completed: bool
    studied_minutes: int
    min_minutes: int
    results: list[SelfCheckResultOut]


@router.post(
    "/study/lessons/{lesson_id}/self-check/",
    response={200: SelfCheckOut, 400: ErrorOut, 404: ErrorOut},
)
def study_self_check(request, lesson_id: int, payload: SelfCheckIn):
    """Check the lesson's self-check answers on the server (not counted in any exam)."""
    from learning.study.models import LessonPage
    from learning.study.services import self_check_submit
    from people.roster.selectors import person_for_user

    lesson = LessonPage.objects.live().filter(pk=lesson_id).first()
    if lesson is None:
        return Status(404, {"detail": "课时不存在或已下线。"})
    try:
        result = self_check_submit(
            person=person_for_user(request.user), lesson=lesson, answers=payload.answers
        )
    except ValidationError as exc:
        return Status(400, {"detail": " ".join(exc.messages)})
    return Status(200, result)
