"""On a phone: read a lesson, earn study credit, see it in "my learning" (手机浏览器测试)."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tests.conftest import assert_no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def credited(page) -> int:
    value = page.locator("[data-study]").get_attribute("data-credited-seconds")
    return int(value or -1)


def _switch_app(page, *, visible: bool) -> None:
    """The learner leaves the browser for another app (or comes back); wait for the clock."""
    state, focus, clock = (
        ("visible", "true", "running") if visible else ("hidden", "false", "paused")
    )
    page.evaluate(
        f"""() => {{
            Object.defineProperty(document, 'visibilityState', {{value: '{state}', configurable: true}});
            document.hasFocus = () => {focus};
            document.dispatchEvent(new Event('visibilitychange'));
        }}"""
    )
    page.wait_for_function(
        f"() => document.querySelector('[data-study]').dataset.state === '{clock}'"
    )


def test_read_a_lesson_earn_credit_and_see_it(
    live_server, phone_page, course_tree, learner, settings
):
    settings.STUDY_HEARTBEAT_SECONDS = 1  # data-interval="1": a heartbeat every second
    user, person = learner
    lesson = course_tree["lesson2"]  # 1 minute, no self-check
    # The server's clock: real time, moved forward 20 s after each heartbeat the test sees,
    # as if the learner had kept reading (the browser only reports presence).
    with time_machine.travel(timezone.now(), tick=True) as clock:
        sign_in(phone_page, live_server, user)
        phone_page.goto(live_server.url + lesson.url)
        phone_page.bring_to_front()
        assert phone_page.evaluate("() => document.visibilityState") == "visible"
        phone_page.wait_for_function(
            "() => document.querySelector('[data-study]').dataset.creditedSeconds !== undefined"
        )
        assert_no_horizontal_scroll(phone_page)
        for _ in range(4):
            before = credited(phone_page)
            clock.shift(20)
            phone_page.wait_for_function(
                f"() => +document.querySelector('[data-study]').dataset.creditedSeconds > {before}"
            )
        assert credited(phone_page) >= 60
        phone_page.wait_for_function(
            "() => document.querySelector('[data-study-lesson-status]').textContent === '已完成'"
        )
        points = phone_page.locator("[data-study-points-today]").inner_text()
        assert int(points) >= 1
        phone_page.goto(live_server.url + "/my/learning/")
        today = phone_page.locator("[data-my-points-today] strong").inner_text()
        assert int(today) >= 1
        assert "民法典与村民生活" in phone_page.content()
        assert "已完成 1 / 2 课" in phone_page.content()
        assert_no_horizontal_scroll(phone_page)
        phone_page.get_by_role("button", name="大字").click()
        assert_no_horizontal_scroll(phone_page)


def test_no_heartbeats_while_hidden(live_server, phone_page, course_tree, learner, settings):
    settings.STUDY_HEARTBEAT_SECONDS = 1
    user, person = learner
    beats = []
    phone_page.on(
        "request",
        lambda request: (
            beats.append(request.post_data_json)
            if request.url.endswith("/api/v1/study/heartbeat/")
            else None
        ),
    )
    sign_in(phone_page, live_server, user)
    phone_page.goto(live_server.url + course_tree["lesson2"].url)
    phone_page.wait_for_function(
        "() => +document.querySelector('[data-study]').dataset.creditedSeconds >= 0"
    )
    phone_page.wait_for_timeout(1500)
    assert len(beats) >= 2 and beats[0]["start"] is True  # the first beat only starts the clock
    # the learner switches to another app: the page is hidden and loses the focus
    _switch_app(phone_page, visible=False)
    sent = len(beats)  # including the last beat that credits the time up to leaving
    phone_page.wait_for_timeout(3000)
    assert len(beats) == sent
    assert "暂停" in phone_page.locator("[data-study-state]").inner_text()
    # back in the app: a "start" beat restarts the clock without crediting the time away
    _switch_app(phone_page, visible=True)
    assert beats[sent]["start"] is True
