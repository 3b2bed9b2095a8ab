"""The exam-day hot paths (start, save, submit) stay lean and stay right under races.

A save is one conditional upsert after the token check; it is guarded so that what a process
remembers of an attempt can never make it write where it must not. Submitting grades before
taking the write lock and re-grades under it if an answer arrived in between."""

import json

import pytest
from django.utils import timezone

from exams.models import Attempt, AttemptAnswer, PaperRule, Question
from exams.services import answer_save, attempt_start, attempt_submit, submitting
from people.accounts.api_auth import token_issue
from tests.exams.conftest import key_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def taker(units, make_person):
    return make_person(units["village"], name="李四")


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user)}"}


def put(client, url, body, headers):
    return client.put(url, data=json.dumps(body), content_type="application/json", **headers)


def test_a_save_with_a_token_is_the_token_check_and_one_upsert(
    client, taker, exam, django_assert_max_num_queries
):
    headers = bearer(taker.user)
    data = client.post(f"/api/v1/exams/{exam.pk}/attempts/", **headers).json()
    q = data["questions"][0]
    url = f"/api/v1/attempts/{data['id']}/answers/{q['id']}/"
    assert put(client, url, {"answer": [q["options"][0]["key"]], "seq": 1}, headers).json() == {
        "saved": True,
        "seq": 1,
    }
    # The user's row, then SAVEPOINT / upsert / RELEASE (the transaction that orders writers).
    with django_assert_max_num_queries(4) as captured:
        resp = put(client, url, {"answer": [q["options"][1]["key"]], "seq": 2}, headers)
    assert resp.json() == {"saved": True, "seq": 2}
    assert sum("INSERT" in c["sql"] for c in captured.captured_queries) == 1
    saved = AttemptAnswer.objects.get(attempt_id=data["id"], question_id=q["id"])
    assert (saved.answer, saved.seq) == ([q["options"][1]["key"]], 2)


def test_start_and_submit_query_counts(client, taker, exam, django_assert_max_num_queries):
    headers = bearer(taker.user)
    client.post(f"/api/v1/exams/{exam.pk}/attempts/", **headers)  # the draw pool is built
    Attempt.objects.all().delete()
    with django_assert_max_num_queries(12):
        data = client.post(f"/api/v1/exams/{exam.pk}/attempts/", **headers).json()
    with django_assert_max_num_queries(14):
        resp = client.post(f"/api/v1/attempts/{data['id']}/submit/", **headers)
    assert resp.status_code == 200


def test_a_new_attempt_is_returned_without_reading_answers_and_a_resume_with_them(
    client, taker, exam
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    headers = bearer(taker.user)
    with CaptureQueriesContext(connection) as captured:
        data = client.post(f"/api/v1/exams/{exam.pk}/attempts/", **headers).json()
    assert data["answers"] == {}
    assert not [q for q in captured.captured_queries if "exams_attemptanswer" in q["sql"]]
    q = data["questions"][0]
    url = f"/api/v1/attempts/{data['id']}/answers/{q['id']}/"
    put(client, url, {"answer": [q["options"][0]["key"]], "seq": 1}, headers)
    resumed = client.post(f"/api/v1/exams/{exam.pk}/attempts/", **headers).json()
    assert resumed["id"] == data["id"]
    assert resumed["answers"] == {str(q["id"]): {"answer": [q["options"][0]["key"]], "seq": 1}}


def test_a_remembered_attempt_never_misdirects_a_save(taker, units, make_person, exam):
    """A process remembers attempt 7's paper; attempt 7 is then replaced (as a database restore
    or a test rollback can): the save is decided by what the database holds now."""
    first = attempt_start(exam=exam, user=taker.user)
    q_first = first.paper["questions"][0]
    answer_save(attempt=first, question_id=q_first["id"], answer=["A"], seq=1, user=taker.user)
    pk, deadline = first.pk, first.deadline
    Attempt.objects.filter(pk=pk).delete()
    other = make_person(units["village"], name="王五")
    Attempt.objects.create(
        pk=pk,
        exam=exam,
        user=other.user,
        paper={"questions": [q_first]},
        started_at=timezone.now(),
        deadline=deadline,
    )
    with pytest.raises(Attempt.DoesNotExist):
        answer_save(
            attempt=Attempt(pk=pk), question_id=q_first["id"], answer=["A"], seq=2, user=taker.user
        )
    assert not AttemptAnswer.objects.filter(attempt_id=pk).exists()
    saved = answer_save(
        attempt=Attempt(pk=pk), question_id=q_first["id"], answer=["B"], seq=1, user=other.user
    )
    assert saved == {"saved": True, "seq": 1}


def test_a_save_during_grading_is_graded(monkeypatch, taker, exam):
    """An answer saved after submit read the answers, but before it took the lock, counts."""
    attempt = attempt_start(exam=exam, user=taker.user)
    keys = key_answers(attempt)
    ids = list(keys)
    for i, qid in enumerate(ids[:-1], 1):
        answer_save(attempt=attempt, question_id=qid, answer=keys[qid], seq=i)
    real = submitting._grade_saved
    calls = []

    def grade_then_a_save_lands(current):
        graded = real(current)
        if not calls:
            answer_save(attempt=attempt, question_id=ids[-1], answer=keys[ids[-1]], seq=1)
        calls.append(graded)
        return graded

    monkeypatch.setattr(submitting, "_grade_saved", grade_then_a_save_lands)
    result = attempt_submit(attempt=attempt, user=taker.user)
    assert len(calls) == 2  # graded again under the lock
    assert result["score"] == result["max_score"]
    assert AttemptAnswer.objects.filter(attempt=attempt, correct=True).count() == len(ids)


def test_a_withdrawn_question_is_never_drawn_even_if_remembered(taker, exam):
    """Another process withdrew a question (no signal reaches this one): the draw notices."""
    attempt_start(exam=exam, user=taker.user)  # the pool is remembered
    Attempt.objects.all().delete()
    rule = PaperRule.objects.filter(paper=exam.paper, type="single").get()
    singles = Question.objects.filter(type="single", is_active=True)
    spare = singles.count() - rule.count
    withdrawn = list(singles.order_by("pk").values_list("pk", flat=True)[: spare + 1])
    Question.objects.filter(pk__in=withdrawn[:spare]).update(is_active=False)  # no signals
    attempt = attempt_start(exam=exam, user=taker.user)
    drawn = {q["id"] for q in attempt.paper["questions"]}
    assert not drawn & set(withdrawn[:spare])
    Attempt.objects.all().delete()
    Question.objects.filter(pk=withdrawn[spare]).update(is_active=False)
    with pytest.raises(Exception, match="无法组卷"):
        attempt_start(exam=exam, user=taker.user)


def test_a_changed_rule_takes_effect_at_once(taker, exam):
    attempt = attempt_start(exam=exam, user=taker.user)
    before = len(attempt.paper["questions"])
    Attempt.objects.all().delete()
    rule = PaperRule.objects.filter(paper=exam.paper).first()
    rule.count -= 1
    rule.save()
    assert len(attempt_start(exam=exam, user=taker.user).paper["questions"]) == before - 1


@pytest.mark.django_db(transaction=True)
def test_saves_racing_a_submission_on_real_connections(monkeypatch, taker, exam):
    """Two real connections: one saves as fast as it can, the other submits meanwhile and
    lingers inside its transaction after checking the answers. Every save the server
    acknowledged is in the graded result; none lands after grading."""
    import threading
    import time

    from django.db import connection

    from exams.services import AttemptClosed

    if connection.vendor != "postgresql":
        pytest.skip("row locks between connections: PostgreSQL (SQLite writers are serialised)")
    attempt = attempt_start(exam=exam, user=taker.user)
    right, wrong = key_answers(attempt), key_answers(attempt, correct=False)
    ids = list(right)
    acked: dict[int, int] = {}
    started = threading.Event()
    errors = []

    def saver():
        try:
            seq = 0
            while True:
                seq += 1
                qid = ids[seq % len(ids)]
                # Each round flips every answer between right and wrong: a save that landed
                # after grading would leave an outcome that no longer matches its answer.
                answer = (right if (seq // len(ids)) % 2 else wrong)[qid]
                try:
                    result = answer_save(
                        attempt=Attempt(pk=attempt.pk), question_id=qid, answer=answer, seq=seq
                    )
                except AttemptClosed:
                    return
                if result["saved"]:
                    acked[qid] = seq
                if seq == 3 * len(ids):
                    started.set()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
            started.set()
        finally:
            connection.close()

    real_fingerprint = submitting._answers_fingerprint

    def fingerprint_then_linger(attempt_pk):
        found = real_fingerprint(attempt_pk)
        time.sleep(0.5)  # saves arriving now must wait for this transaction, then be refused
        return found

    monkeypatch.setattr(submitting, "_answers_fingerprint", fingerprint_then_linger)
    thread = threading.Thread(target=saver)
    thread.start()
    assert started.wait(30)
    result = attempt_submit(attempt=Attempt(pk=attempt.pk))
    thread.join(30)
    assert not errors and not thread.is_alive()
    rows = AttemptAnswer.objects.filter(attempt=attempt).values_list(
        "question_id", "seq", "answer", "correct", "points"
    )
    shown_right = {qid: sorted(a) for qid, a in right.items()}
    for qid, seq, answer, correct, _ in rows:
        assert seq >= acked.get(qid, 0)
        assert correct == (sorted(answer) == shown_right[qid]), (qid, answer, correct)
    assert result["score"] == float(sum(points for *_, points in rows))
