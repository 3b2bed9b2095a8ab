"""The quota dashboard on a phone-sized screen (Debian's Chromium through Playwright)."""

import pytest
from django.conf import settings
from django.test import Client

from people.accounts.roles import TOWN_STAFF, ensure_roles
from people.roster.models import StaffScope
from tests.conftest import assert_no_horizontal_scroll
from tests.people.tree import person, small_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_town_staff_drills_down_on_a_phone(live_server, phone_page, site_tree, make_user):
    t = small_tree()
    for _ in range(5):
        person(t["v2"], level="backbone")
    person(t["g1"], level="ordinary")
    user = make_user(phone="13900000501", is_staff=True)
    user.groups.add(ensure_roles()[TOWN_STAFF])
    StaffScope.objects.create(user=user, unit=t["t1"])
    client = Client()
    client.force_login(user)
    phone_page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    phone_page.goto(f"{live_server.url}/quota/")
    assert "一镇" in phone_page.locator("h1").inner_text()
    assert phone_page.locator("svg[role=img] rect").count() >= 4
    assert phone_page.locator(".quota-summary").is_visible()
    assert_no_horizontal_scroll(phone_page)
    phone_page.get_by_role("link", name="一村").first.click()
    phone_page.wait_for_url("**/quota/unit/V1/**")
    assert "一村" in phone_page.locator("h1").inner_text()
    assert phone_page.locator(".quota-table tbody tr").count() == 2  # two groups
    assert_no_horizontal_scroll(phone_page)
    # Large-text mode still fits the screen.
    phone_page.evaluate("() => document.documentElement.setAttribute('data-text-size', 'large')")
    assert_no_horizontal_scroll(phone_page)
