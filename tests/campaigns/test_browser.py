"""Browser test on a phone screen: this month's campaign from the home page, the calendar."""

import pytest
from django.core.cache import cache

from tests.conftest import assert_no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_open_this_months_campaign_from_the_home_page(live_server, phone_page, campaign_tree):
    cache.clear()
    campaign = campaign_tree["campaign"]
    phone_page.goto(live_server.url + "/")
    assert_no_horizontal_scroll(phone_page)
    link = phone_page.get_by_test_id("home-campaign-link")
    assert link.inner_text() == "学习宪法 尊崇宪法"
    link.click()
    phone_page.wait_for_url(f"**{campaign.url}")
    assert phone_page.locator("h1").inner_text() == campaign.title
    assert "宪法宣传进村" in phone_page.content()
    assert_no_horizontal_scroll(phone_page)

    phone_page.get_by_role("link", name="宪法宣传进村").click()
    phone_page.wait_for_url(f"**{campaign_tree['event'].url}")
    assert "村委会广场" in phone_page.content()
    assert_no_horizontal_scroll(phone_page)

    phone_page.goto(live_server.url + campaign_tree["year"].url)
    current = phone_page.locator(".month-calendar__month--current")
    assert current.count() == 1 and "本月" in current.inner_text()
    assert_no_horizontal_scroll(phone_page)
    phone_page.get_by_role("button", name="大字").click()
    assert_no_horizontal_scroll(phone_page)
