"""Campaign quizzes on the exams engine: random draw by tag, daily limit, leaderboards, reach."""

import datetime
from itertools import count

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from campaigns.quiz.selectors import leaderboards
from campaigns.quiz.services import quiz_attempt_start, quiz_create
from campaigns.selectors import campaign_reach
from exams.formats import QuestionData
from exams.models import Paper, Question
from exams.services import answer_save, attempt_submit, question_save

pytestmark = pytest.mark.django_db
_seq = count(1)


def _bank():
    for i in range(6):
        question_save(
            data=QuestionData(
                "single", f"宪法单选{i}", [("A", f"对{i}"), ("B", f"错{i}")], ["A"], tags=["宪法"]
            )
        )
    for i in range(4):
        question_save(
            data=QuestionData(
                "truefalse", f"宪法判断{i}", [("A", "正确"), ("B", "错误")], ["A"], tags=["宪法"]
            )
        )
    for i in range(3):
        question_save(
            data=QuestionData(
                "single",
                f"民法典单选{i}",
                [("A", f"甲{i}"), ("B", f"乙{i}")],
                ["A"],
                tags=["民法典"],
            )
        )


@pytest.fixture
def quiz(db):
    _bank()
    now = timezone.now()
    return quiz_create(
        title="宪法宣传周答题",
        tag_names=["宪法"],
        count=5,
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=30),
        daily_limit=2,
    )


@pytest.fixture
def make_person(make_user):
    from core.identity import make_test_id_number
    from people.roster.crypto import protect_id
    from people.roster.models import Person

    def make(unit, name):
        n = next(_seq)
        user = make_user(phone=f"1370000{n:04d}", display_name=name)
        Person.objects.create(
            user=user,
            name=name,
            unit=unit,
            category="public",
            **protect_id(make_test_id_number(seq=900 + n)),
        )
        return user

    return make


def _answer_all(attempt, correct: int):
    """Answer the first `correct` questions right and the rest wrong, then submit."""
    for seq, entry in enumerate(attempt.paper["questions"], start=1):
        question = Question.objects.get(pk=entry["id"])
        shown = {orig: key for key, orig in entry["map"].items()}
        right = [shown[k] for k in question.answer]
        wrong = [o["key"] for o in entry["options"] if o["key"] not in right][:1]
        answer_save(
            attempt=attempt,
            question_id=entry["id"],
            answer=right if seq <= correct else wrong,
            seq=seq,
        )
    return attempt_submit(attempt=attempt)


def test_quiz_draws_n_random_questions_from_the_tag(quiz, make_user):
    attempt = quiz_attempt_start(quiz=quiz, user=make_user(phone="13900000031"))
    ids = [entry["id"] for entry in attempt.paper["questions"]]
    assert len(ids) == 5 == len(set(ids))
    assert set(Question.objects.filter(pk__in=ids).values_list("tags__name", flat=True)) == {"宪法"}
    assert "answer" not in str(attempt.paper["questions"][0].keys())
    assert quiz.exam.purpose == "quiz"


def test_not_enough_questions_writes_nothing(db):
    _bank()
    papers = Paper.objects.count()
    now = timezone.now()
    with pytest.raises(ValidationError, match="不够抽"):
        quiz_create(
            title="太多题",
            tag_names=["民法典"],
            count=10,
            opens_at=now,
            closes_at=now + datetime.timedelta(days=1),
        )
    with pytest.raises(ValidationError, match="没有这些标签"):
        quiz_create(
            title="无标签",
            tag_names=["不存在"],
            count=1,
            opens_at=now,
            closes_at=now + datetime.timedelta(days=1),
        )
    assert Paper.objects.count() == papers


def test_daily_attempt_limit(client, quiz, make_user):
    user = make_user(phone="13900000032")
    client.force_login(user)
    url = f"/campaigns/quiz/{quiz.pk}/start/"
    first = client.post(url)
    assert first.status_code == 302 and "/my/attempts/" in first["Location"]
    assert client.post(url)["Location"] == first["Location"]  # the open attempt, not a new one
    for attempt in user.exam_attempts.all():
        attempt_submit(attempt=attempt)
    assert "/my/attempts/" in client.post(url)["Location"]
    attempt_submit(attempt=user.exam_attempts.filter(state="open").get())
    refused = client.post(url)
    assert refused["Location"] == f"/campaigns/quiz/{quiz.pk}/"
    assert user.exam_attempts.count() == 2
    page = client.get(refused["Location"]).content.decode()
    assert "今天的答题次数已用完" in page
    assert "还可以答 <strong>0</strong> 次" in page

    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        assert quiz_attempt_start(quiz=quiz, user=user).number == 3


def test_leaderboards_by_town_and_department(quiz, units, make_person):
    from people.roster.models import Unit

    other_town = Unit.objects.create(
        kind="town", code="T-D-02", name="白鹭镇", parent=units["district"]
    )
    team = Unit.objects.create(
        kind="group", code="T-BM-SFJ-1", name="普法科", parent=units["justice"]
    )
    scores = [
        (units["village"], 5),
        (units["village"], 3),
        (other_town, 4),
        (team, 5),
        (units["market"], 1),
    ]
    for n, (unit, correct) in enumerate(scores):
        user = make_person(unit, f"答题人{n}")
        _answer_all(quiz_attempt_start(quiz=quiz, user=user), correct)
    boards = leaderboards(quiz, use_cache=False)
    towns = {row["name"]: row for row in boards["towns"]}
    assert towns["青石镇"]["people"] == 2 and towns["青石镇"]["average"] == 80
    assert towns["白鹭镇"]["average"] == 80
    departments = [(row["rank"], row["name"], row["average"]) for row in boards["departments"]]
    assert departments == [(1, "区司法局", 100), (2, "区市场监管局", 20)]
    assert boards["participants"] == 5


def test_quiz_page_and_campaign_link(client, campaign_tree, quiz):
    campaign = campaign_tree["campaign"]
    campaign.quiz = quiz
    campaign.save_revision().publish()
    html = client.get(campaign.url).content.decode()
    assert f"/campaigns/quiz/{quiz.pk}/" in html
    page = client.get(f"/campaigns/quiz/{quiz.pk}/").content.decode()
    assert "宪法宣传周答题" in page and "登录后答题" in page and "镇（街道）排行榜" in page


def test_reach_counts_quiz_and_event_participants(
    client, campaign_tree, quiz, make_user, admin_user
):
    campaign = campaign_tree["campaign"]
    campaign.quiz = quiz
    campaign.save_revision().publish()
    event = campaign_tree["event"]
    event.participants = 120
    event.save_revision().publish()
    for n in range(3):
        quiz_attempt_start(quiz=quiz, user=make_user(phone=f"1390000004{n}"))
    client.get(campaign.url)
    client.get(event.url)
    reach = campaign_reach(campaign)
    assert reach == {
        "campaign": campaign,
        "views": 2,
        "campaign_views": 1,
        "events": 1,
        "event_participants": 120,
        "quiz_participants": 3,
    }
    client.force_login(admin_user)
    summary = client.get(f"/campaigns/reach/{campaign.year}/").content.decode()
    assert campaign.theme in summary and "<td>120</td>" in summary


def test_daily_limit_holds_on_the_exams_own_start_paths(client, quiz, units, make_person):
    """Starting the quiz's exam from the exams pages or the JSON API cannot pass the limit."""
    from django.core.exceptions import ValidationError

    from exams.services import attempt_start

    user = make_person(units["village"], "多答的人")
    _answer_all(quiz_attempt_start(quiz=quiz, user=user), 1)
    _answer_all(attempt_start(exam=quiz.exam, user=user), 2)  # the exams engine counts it too
    with pytest.raises(ValidationError, match="今天的答题次数已用完"):
        attempt_start(exam=quiz.exam, user=user)
    client.force_login(user)
    response = client.post(f"/api/v1/exams/{quiz.exam_id}/attempts/")
    assert response.status_code == 400
    assert "今天的答题次数已用完" in response.json()["detail"]
    assert user.exam_attempts.count() == 2
    (town,) = leaderboards(quiz, use_cache=False)["towns"]
    assert town["average"] == 40  # best of the two allowed attempts
