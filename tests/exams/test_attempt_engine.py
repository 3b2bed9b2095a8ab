"""The server-owned attempt engine through the JSON API: start, save, deadline, submit."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from exams.models import Attempt, AttemptAnswer, Question
from exams.services import attempt_start, attempt_submit
from tests.exams.conftest import key_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def taker(units, make_person):
    return make_person(units["village"], name="李四")


def api(client, method, url, data=None):
    kwargs = {"content_type": "application/json"}
    if data is not None:
        kwargs["data"] = json.dumps(data)
    return getattr(client, method)(url, **kwargs)


def start(client, exam):
    resp = api(client, "post", f"/api/v1/exams/{exam.pk}/attempts/")
    assert resp.status_code == 200, resp.content
    return resp.json()


def test_exam_list_and_start_gives_the_paper_without_any_key(client, taker, exam):
    client.force_login(taker.user)
    listed = api(client, "get", "/api/v1/exams/").json()
    assert [e["id"] for e in listed] == [exam.pk]
    assert listed[0]["attempts_left"] == 3
    data = start(client, exam)
    assert len(data["questions"]) == 10
    raw = json.dumps(data, ensure_ascii=False)
    for word in ('answer"', "explanation", "map", "解析", "correct"):
        assert word not in raw
    q = data["questions"][0]
    assert set(q) == {"id", "type", "stem", "points", "options"}
    # Starting again returns the same open attempt.
    assert start(client, exam)["id"] == data["id"]
    assert Attempt.objects.count() == 1
    detail = api(client, "get", f"/api/v1/attempts/{data['id']}/").json()
    assert "解析" not in json.dumps(detail, ensure_ascii=False)


def test_attempt_page_html_has_no_key(client, taker, exam):
    client.force_login(taker.user)
    attempt = attempt_start(exam=exam, user=taker.user)
    html = client.get(f"/my/attempts/{attempt.pk}/").content.decode()
    assert "解析单选" not in html and "解析多选" not in html and "解析判断" not in html
    assert 'data-deadline="' in html
    for entry in attempt.paper["questions"]:
        assert entry["stem"] in html
    assert "<script>" not in html  # no inline script (CSP)


def test_one_open_attempt_is_a_database_constraint(taker, exam):
    attempt_start(exam=exam, user=taker.user)
    first = Attempt.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Attempt.objects.create(
            exam=exam, user=taker.user, paper={}, started_at=timezone.now(), deadline=first.deadline
        )


def test_two_simultaneous_starts_give_one_attempt(monkeypatch, taker, exam):
    """The second request passes every check while the first is still drawing its paper;
    the partial unique constraint makes it return the winner's attempt."""
    from exams.services import attempts as engine

    real_draw = engine.paper_draw
    raced = {}

    def draw_while_another_request_starts(paper, rng=None):
        if not raced:
            raced["other"] = None
            monkeypatch.setattr(engine, "paper_draw", real_draw)
            raced["other"] = attempt_start(exam=exam, user=taker.user)
        return real_draw(paper, rng)

    monkeypatch.setattr(engine, "paper_draw", draw_while_another_request_starts)
    mine = attempt_start(exam=exam, user=taker.user)
    assert mine.pk == raced["other"].pk
    assert Attempt.objects.filter(user=taker.user).count() == 1


def test_out_of_order_saves_keep_the_newest(client, taker, exam):
    client.force_login(taker.user)
    data = start(client, exam)
    q = next(q for q in data["questions"] if q["type"] == "single")
    url = f"/api/v1/attempts/{data['id']}/answers/{q['id']}/"
    assert api(client, "put", url, {"answer": ["B"], "seq": 3}).json() == {"saved": True, "seq": 3}
    late = api(client, "put", url, {"answer": ["A"], "seq": 2}).json()
    assert late == {"saved": False, "seq": 3}
    retried = api(client, "put", url, {"answer": ["B"], "seq": 3}).json()
    assert retried == {"saved": True, "seq": 3}
    saved = AttemptAnswer.objects.get(attempt_id=data["id"], question_id=q["id"])
    assert (saved.answer, saved.seq) == (["B"], 3)
    resumed = api(client, "get", f"/api/v1/attempts/{data['id']}/").json()
    assert resumed["answers"][str(q["id"])] == {"answer": ["B"], "seq": 3}


def test_bad_answers_are_rejected(client, taker, exam):
    client.force_login(taker.user)
    data = start(client, exam)
    q = next(q for q in data["questions"] if q["type"] == "single")
    url = f"/api/v1/attempts/{data['id']}/answers/{q['id']}/"
    assert api(client, "put", url, {"answer": ["Z"], "seq": 1}).status_code == 400
    assert api(client, "put", url, {"answer": ["A", "B"], "seq": 1}).status_code == 400
    other = Question.objects.exclude(pk__in=[x["id"] for x in data["questions"]]).first()
    bad_q = f"/api/v1/attempts/{data['id']}/answers/{other.pk}/"
    assert api(client, "put", bad_q, {"answer": ["A"], "seq": 1}).status_code == 400
    assert not AttemptAnswer.objects.exists()


def test_deadline_and_grace_with_a_frozen_clock(client, taker, exam):
    client.force_login(taker.user)
    t0 = timezone.now()
    with time_machine.travel(t0, tick=False) as traveller:
        data = start(client, exam)
        attempt = Attempt.objects.get(pk=data["id"])
        assert attempt.deadline == t0 + timedelta(minutes=30)
        keys = key_answers(attempt)
        ids = list(keys)
        url = f"/api/v1/attempts/{attempt.pk}/answers/"
        assert (
            api(client, "put", f"{url}{ids[0]}/", {"answer": keys[ids[0]], "seq": 1}).status_code
            == 200
        )
        # Within the 60 s grace after the deadline, an in-flight save is still accepted.
        traveller.move_to(attempt.deadline + timedelta(seconds=59))
        assert (
            api(client, "put", f"{url}{ids[1]}/", {"answer": keys[ids[1]], "seq": 1}).status_code
            == 200
        )
        # Past deadline + grace: 409, and the attempt is submitted with the saved answers.
        traveller.move_to(attempt.deadline + timedelta(seconds=61))
        resp = api(client, "put", f"{url}{ids[2]}/", {"answer": keys[ids[2]], "seq": 1})
        assert resp.status_code == 409
        attempt.refresh_from_db()
        assert attempt.state == "submitted"
        assert attempt.auto_submitted
        assert attempt.finished_at == attempt.deadline
        assert attempt.score == 20  # two questions right, 10 points each
        assert AttemptAnswer.objects.filter(attempt=attempt).count() == 2


def test_an_overdue_attempt_is_submitted_on_the_next_request_or_by_the_task(client, taker, exam):
    from exams.tasks import attempt_expire

    client.force_login(taker.user)
    t0 = timezone.now()
    with time_machine.travel(t0, tick=False) as traveller:
        data = start(client, exam)
        traveller.move_to(t0 + timedelta(minutes=30, seconds=30))
        attempt_expire(data["id"])  # still in grace: nothing happens
        assert Attempt.objects.get(pk=data["id"]).state == "open"
        traveller.move_to(t0 + timedelta(minutes=32))
        attempt_expire(data["id"])
        attempt = Attempt.objects.get(pk=data["id"])
        assert attempt.state == "submitted" and attempt.finished_at == attempt.deadline
        detail = api(client, "get", f"/api/v1/attempts/{data['id']}/").json()
        assert detail["state"] == "submitted" and detail["result"]["score"] == 0


def test_get_request_auto_submits_past_grace(client, taker, exam):
    client.force_login(taker.user)
    t0 = timezone.now()
    with time_machine.travel(t0, tick=False) as traveller:
        data = start(client, exam)
        traveller.move_to(t0 + timedelta(minutes=40))
        detail = api(client, "get", f"/api/v1/attempts/{data['id']}/").json()
        assert detail["state"] == "submitted"
        assert client.get(f"/my/attempts/{data['id']}/").status_code == 302


def test_double_submit_returns_the_same_result_and_tampered_fields_are_ignored(client, taker, exam):
    client.force_login(taker.user)
    data = start(client, exam)
    attempt = Attempt.objects.get(pk=data["id"])
    keys = key_answers(attempt)
    for i, (qid, key) in enumerate(keys.items()):
        if i % 2 == 0:  # half right
            body = {"answer": key, "seq": 1, "score": 100, "correct": True}
            assert (
                api(
                    client, "put", f"/api/v1/attempts/{attempt.pk}/answers/{qid}/", body
                ).status_code
                == 200
            )
    url = f"/api/v1/attempts/{attempt.pk}/submit/"
    first = api(client, "post", url, {"score": 100, "passed": True, "band": "优秀"}).json()
    second = api(client, "post", url).json()
    assert first == second
    assert first["score"] == 50 and first["max_score"] == 100
    assert first["passed"] is False and first["band"] == "不合格"
    # After submission nothing can be saved any more.
    qid = next(iter(keys))
    resp = api(
        client, "put", f"/api/v1/attempts/{attempt.pk}/answers/{qid}/", {"answer": ["A"], "seq": 9}
    )
    assert resp.status_code == 409


def test_nobody_reaches_another_persons_attempt(client, units, make_person, taker, exam):
    other = make_person(units["village"], name="王五")
    attempt = attempt_start(exam=exam, user=taker.user)
    qid = attempt.paper["questions"][0]["id"]
    client.force_login(other.user)
    assert api(client, "get", f"/api/v1/attempts/{attempt.pk}/").status_code == 404
    put = api(
        client, "put", f"/api/v1/attempts/{attempt.pk}/answers/{qid}/", {"answer": ["A"], "seq": 1}
    )
    assert put.status_code == 404
    assert api(client, "post", f"/api/v1/attempts/{attempt.pk}/submit/").status_code == 404
    assert client.get(f"/my/attempts/{attempt.pk}/").status_code == 404
    assert client.get(f"/my/attempts/{attempt.pk}/result/").status_code == 404
    assert not AttemptAnswer.objects.exists()
    attempt.refresh_from_db()
    assert attempt.state == "open"
    client.logout()
    assert api(client, "get", f"/api/v1/attempts/{attempt.pk}/").status_code == 401


def test_scope_window_and_attempt_limits(client, units, make_person, make_exam):
    inside = make_person(units["village"], name="甲")
    outside = make_person(units["other_village"], name="乙")
    servant = make_person(units["dept"], name="丙", category="civil_servant")
    exam = make_exam(units=[units["town"]], categories=["cadre"], attempts_allowed=1)
    client.force_login(outside.user)
    assert api(client, "get", "/api/v1/exams/").json() == []
    resp = api(client, "post", f"/api/v1/exams/{exam.pk}/attempts/")
    assert resp.status_code == 400 and "单位" in resp.json()["detail"]
    client.force_login(servant.user)
    assert "类别" in api(client, "post", f"/api/v1/exams/{exam.pk}/attempts/").json()["detail"]
    client.force_login(inside.user)
    data = start(client, exam)
    api(client, "post", f"/api/v1/attempts/{data['id']}/submit/")
    resp = api(client, "post", f"/api/v1/exams/{exam.pk}/attempts/")
    assert resp.status_code == 400 and "次数已用完" in resp.json()["detail"]
    later = make_exam(
        opens_at=timezone.now() + timedelta(days=1), closes_at=timezone.now() + timedelta(days=2)
    )
    assert "尚未开始" in api(client, "post", f"/api/v1/exams/{later.pk}/attempts/").json()["detail"]


def test_deadline_never_passes_the_exam_close(taker, make_exam):
    exam = make_exam(closes_at=timezone.now() + timedelta(minutes=5))
    attempt = attempt_start(exam=exam, user=taker.user)
    assert attempt.deadline == exam.closes_at


def test_shuffled_options_are_graded_by_content(taker, make_exam):
    exam = make_exam(pass_mark=60)
    attempt = attempt_start(exam=exam, user=taker.user)
    from exams.services import answer_save

    for i, (qid, key) in enumerate(key_answers(attempt).items(), 1):
        answer_save(attempt=attempt, question_id=qid, answer=key, seq=i)
    result = attempt_submit(attempt=attempt)
    assert result == {
        "score": 100.0,
        "max_score": 100.0,
        "percent": 100.0,
        "passed": True,
        "band": "优秀",
    }


def test_query_counts_of_the_hot_paths(client, taker, exam, django_assert_max_num_queries):
    client.force_login(taker.user)
    data = start(client, exam)
    qid = data["questions"][0]["id"]
    key = data["questions"][0]["options"][0]["key"]
    url = f"/api/v1/attempts/{data['id']}/answers/{qid}/"
    api(client, "put", url, {"answer": [key], "seq": 1})  # warms the per-process paper cache
    with django_assert_max_num_queries(12):
        assert api(client, "put", url, {"answer": [key], "seq": 2}).status_code == 200
    with django_assert_max_num_queries(14):
        assert api(client, "get", "/api/v1/exams/").status_code == 200
    with django_assert_max_num_queries(25):
        assert api(client, "post", f"/api/v1/attempts/{data['id']}/submit/").status_code == 200


def test_study_credit_prerequisite(monkeypatch, taker, make_exam):
    import learning.study.selectors

    exam = make_exam(require_study_credit=True)
    monkeypatch.setattr(learning.study.selectors, "has_met_requirement", lambda person, year: False)
    with pytest.raises(ValidationError, match="学法学时"):
        attempt_start(exam=exam, user=taker.user)
    assert not Attempt.objects.exists()
    monkeypatch.setattr(
        learning.study.selectors, "has_met_requirement", lambda person, year: person == taker
    )
    assert attempt_start(exam=exam, user=taker.user).person == taker


def test_beat_sweep_submits_overdue_attempts(taker, units, make_person, exam):
    from exams.tasks import attempts_expire_overdue

    other = make_person(units["village"], name="赵六")
    t0 = timezone.now()
    with time_machine.travel(t0, tick=False) as traveller:
        late = attempt_start(exam=exam, user=taker.user)
        traveller.move_to(t0 + timedelta(minutes=20))
        fresh = attempt_start(exam=exam, user=other.user)
        traveller.move_to(t0 + timedelta(minutes=31, seconds=30))
        assert attempts_expire_overdue() == 1
    late.refresh_from_db()
    fresh.refresh_from_db()
    assert late.state == "submitted" and late.finished_at == late.deadline and late.auto_submitted
    assert fresh.state == "open"
