"""Reading the law library on a phone (Debian's Chromium via Playwright) (issue 4)."""

import os
from urllib.parse import quote, unquote

import pytest
from django.core.management import call_command

from tests.conftest import assert_no_horizontal_scroll
from tests.learning.laws.conftest import law_texts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def constitution(site_tree):
    call_command(
        "import_laws",
        str(law_texts() / "宪法"),
        str(law_texts() / "民法典"),
        stdout=open(os.devnull, "w"),
    )


def test_read_an_article_on_a_phone_and_follow_a_citation(live_server, phone_page, constitution):
    page = phone_page
    page.goto(live_server.url + quote("/laws/宪法修正案2004年/20/"))
    assert "第二十条" in page.locator("h1").inner_text()
    assert_no_horizontal_scroll(page)

    # tap the citation: a popover shows the cited article's text
    link = page.locator("a.cite-link").first
    assert link.inner_text() == "宪法第十条第三款"
    link.tap()
    popover = page.locator(".cite-popover")
    popover.wait_for()
    assert "城市的土地属于国家所有" in popover.inner_text()
    assert_no_horizontal_scroll(page)

    # follow it
    popover.get_by_role("link", name="阅读全文 →").tap()
    page.wait_for_url("**/10/#p3")
    assert unquote(page.url).endswith("/laws/宪法/10/#p3")
    assert "第十条" in page.locator("h1").inner_text()
    assert "城市的土地属于国家所有" in page.locator("#article-text").inner_text()
    breadcrumbs = page.locator(".breadcrumbs").inner_text()
    assert "法律库" in breadcrumbs and "宪法" in breadcrumbs and "第一章 总纲" in breadcrumbs
    assert_no_horizontal_scroll(page)

    # next article, copy citation, QR code, large text
    page.get_by_role("link", name="第十一条 →").tap()
    page.wait_for_url("**/11/")
    page.get_by_role("button", name="复制引用").tap()
    status = page.locator(".article-actions__status")
    status.wait_for(state="visible")
    page.wait_for_function(
        "() => document.querySelector('.article-actions__status').textContent.length > 0"
    )
    assert "《中华人民共和国宪法》第十一条" in status.inner_text()
    page.locator(".article-qr summary").tap()
    page.wait_for_function(
        "() => { const img = document.querySelector('.article-qr img');"
        " return img.complete && img.naturalWidth > 0; }"
    )
    page.get_by_role("button", name="大字").tap()
    assert_no_horizontal_scroll(page)


def test_contents_and_search_fit_a_phone(live_server, phone_page, constitution):
    page = phone_page
    for path in ("/laws/", "/laws/民法典/", "/laws/宪法/preamble/"):
        page.goto(live_server.url + quote(path))
        assert_no_horizontal_scroll(page)
    page.goto(live_server.url + "/laws/")
    page.fill("input[name=q]", "离婚登记")
    page.get_by_role("button", name="搜索").tap()
    page.wait_for_url("**/laws/search/**")
    assert page.locator("mark").count() > 0
    assert "第一千零七十七条" in page.content()
    assert_no_horizontal_scroll(page)
