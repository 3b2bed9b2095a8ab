"""Browser tests on Debian's Chromium: the phone home page, large text, admin log-in."""

import pytest

from tests.conftest import TEST_PASSWORD, assert_no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_on_a_phone(live_server, phone_page, site_tree):
    phone_page.goto(live_server.url + "/")
    assert phone_page.locator("html").get_attribute("lang") == "zh-Hans"
    assert "公共法律服务热线" in phone_page.content()
    assert_no_horizontal_scroll(phone_page)
    for path in ("/about/", "/12348/", "/account/login/"):
        phone_page.goto(live_server.url + path)
        assert_no_horizontal_scroll(phone_page)


def test_large_text_switch_is_remembered(live_server, phone_page, site_tree):
    phone_page.goto(live_server.url + "/")
    normal = phone_page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    phone_page.get_by_role("button", name="大字").click()
    large = phone_page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    assert large > normal
    phone_page.goto(live_server.url + "/about/")
    assert phone_page.locator("html").get_attribute("data-text-size") == "large"
    assert phone_page.get_by_role("button", name="大字").get_attribute("aria-pressed") == "true"
    assert_no_horizontal_scroll(phone_page)


def test_admin_log_in_by_phone(live_server, desktop_page, admin_user, site_tree):
    desktop_page.goto(live_server.url + "/admin/login/")
    desktop_page.fill("input[name=username]", admin_user.phone)
    desktop_page.fill("input[name=password]", TEST_PASSWORD)
    desktop_page.locator("button[type=submit]").first.click()
    desktop_page.wait_for_url("**/admin/")
    assert desktop_page.locator("html").get_attribute("lang") == "zh-hans"
    assert "控制面板" in desktop_page.title() or "控制面板" in desktop_page.content()
