"""Browser tests on a 360×740 phone: an exam from start to certificate, and a save that
fails while the network is cut and is retried by the page."""

import re

import pytest
from django.test import Client

from exams.models import Attempt, AttemptAnswer, Certificate, Exam, Paper, PaperItem
from tests.conftest import assert_no_horizontal_scroll
from tests.exams.conftest import key_answers, make_bank

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setup(units, make_person, settings, tmp_path):
    from datetime import timedelta

    from django.utils import timezone

    settings.MEDIA_ROOT = tmp_path
    questions = make_bank(n_single=2, n_multiple=1, n_tf=1)
    paper = Paper.objects.create(title="短试卷", mode=Paper.Mode.FIXED, fixed_points=25)
    for i, q in enumerate(questions):
        PaperItem.objects.create(paper=paper, question=q, sort_order=i)
    now = timezone.now()
    exam = Exam.objects.create(
        title="法律明白人考核（测试）",
        purpose="assessment",
        paper=paper,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=1),
        time_limit_minutes=30,
    )
    person = make_person(units["village"], name="王小村")
    return exam, person


def login(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def choose(page, attempt, answers):
    for qid, keys in answers.items():
        fieldset = page.locator(f"#q-{qid}")
        for key in keys:
            fieldset.locator(f"input[value='{key}']").check()
        fieldset.locator(".exam-save[data-state='saved']").wait_for()


def test_phone_takes_an_exam_from_start_to_certificate(live_server, phone_page, setup):
    exam, person = setup
    page = phone_page
    login(page, live_server, person.user)
    page.goto(f"{live_server.url}/my/exams/")
    assert_no_horizontal_scroll(page)
    page.get_by_role("button", name="开始考试").click()
    page.locator("#exam-countdown").wait_for()
    attempt = Attempt.objects.get(user=person.user)
    html = page.content()
    assert "解析单选" not in html and "解析判断" not in html
    # the countdown shows --:-- until the script has read the server's deadline
    page.wait_for_function("() => document.querySelector('#exam-countdown').innerText !== '--:--'")
    assert re.fullmatch(r"(29|30):\d\d", page.locator("#exam-countdown").inner_text())
    assert_no_horizontal_scroll(page)
    choose(page, attempt, key_answers(attempt))
    assert page.locator("#exam-net").inner_text() == "全部已保存"
    assert AttemptAnswer.objects.filter(attempt=attempt).count() == 4
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="交卷").click()
    page.wait_for_url(f"**/my/attempts/{attempt.pk}/result/")
    assert "100.0" in page.locator(".exam-result__score").inner_text()
    assert "优秀" in page.content()
    assert_no_horizontal_scroll(page)
    cert = Certificate.objects.get(attempt=attempt)
    page.goto(f"{live_server.url}/my/certificates/")
    assert cert.code in page.content()
    image = page.locator("img.exam-cert-img")
    image.wait_for()
    # the PNG is fetched after the page: wait until it has loaded before measuring it
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    assert (
        page.evaluate("(img) => img.complete && img.naturalWidth", image.element_handle()) == 1600
    )
    assert_no_horizontal_scroll(page)
    page.goto(f"{live_server.url}/certificates/verify/{cert.code}/")
    assert "王*村" in page.content() and "王小村" not in page.content()


def test_a_save_that_fails_offline_is_retried_when_the_network_returns(
    live_server, phone_page, setup
):
    exam, person = setup
    page = phone_page
    login(page, live_server, person.user)
    page.goto(f"{live_server.url}/my/exams/")
    page.get_by_role("button", name="开始考试").click()
    page.locator("#exam-countdown").wait_for()
    attempt = Attempt.objects.get(user=person.user)
    answers = key_answers(attempt)
    first, second = list(answers)[:2]
    choose(page, attempt, {first: answers[first]})

    page.context.set_offline(True)
    fieldset = page.locator(f"#q-{second}")
    fieldset.locator(f"input[value='{answers[second][0]}']").check()
    fieldset.locator(".exam-save[data-state='unsaved']").wait_for()
    page.locator("#exam-net", has_text="未保存").wait_for()
    assert not AttemptAnswer.objects.filter(attempt=attempt, question_id=second).exists()
    # The queue survives in localStorage until the server acknowledges the save.
    queued = page.evaluate(f"() => JSON.parse(localStorage.getItem('mingbai-exam-{attempt.pk}'))")
    assert str(second) in queued

    page.context.set_offline(False)
    fieldset.locator(".exam-save[data-state='saved']").wait_for()
    saved = AttemptAnswer.objects.get(attempt=attempt, question_id=second)
    assert saved.answer == [answers[second][0]] and saved.seq == 1  # the one option checked
    page.locator("#exam-net", has_text="全部已保存").wait_for()
    assert page.evaluate(f"() => localStorage.getItem('mingbai-exam-{attempt.pk}')") == "{}"
