"""Law library pages: index, table of contents, preamble, articles, QR codes (issue 4)."""

from urllib.parse import quote

import pytest

from learning.laws.selectors import article_resolve

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("law_library")]


def url(path):
    return quote(path)


def test_index_lists_current_laws(client):
    response = client.get("/laws/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "中华人民共和国民法典" in html and "1260 条" in html
    assert "中华人民共和国宪法" in html


def test_table_of_contents_shows_structure_and_preamble(client):
    html = client.get(url("/laws/民法典/")).content.decode()
    assert "第一编 总则" in html and "第五编 婚姻家庭" in html and "第十四章 居住权" in html
    assert 'href="' + url("/laws/民法典/366/") + '"' in html
    html = client.get(url("/laws/宪法/")).content.decode()
    assert "序言" in html
    preamble = client.get(url("/laws/宪法/preamble/")).content.decode()
    assert "中国是世界上历史最悠久的国家之一" in preamble
    assert client.get(url("/laws/民法典/preamble/")).status_code == 404
    assert client.get(url("/laws/没有这部法/")).status_code == 404


def test_article_page_has_breadcrumbs_structure_neighbours_and_copy(
    client, django_assert_max_num_queries
):
    client.get(url("/laws/民法典/1043/"))  # warm the law-name cache like a running site
    with django_assert_max_num_queries(8):
        response = client.get(url("/laws/民法典/1043/"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "第一千零四十三条" in html
    assert "家庭应当树立优良家风" in html and 'id="p2"' in html
    assert "第五编 婚姻家庭" in html and "第一章 一般规定" in html
    assert "第一千零四十二条" in html and "第一千零四十四条" in html  # previous / next
    assert 'data-copy-citation="《中华人民共和国民法典》第一千零四十三条"' in html
    assert "js/law.js" in html and "<script>" not in html
    assert url("/laws/民法典/1043/qr.png") in html
    assert "俗称：优良家风、夫妻忠实义务" in html


def test_article_page_query_count_when_logged_in(client, make_user, django_assert_max_num_queries):
    client.force_login(make_user())
    client.get(url("/laws/民法典/1254/"))
    with django_assert_max_num_queries(8):
        assert client.get(url("/laws/民法典/1254/")).status_code == 200


def test_first_and_last_articles_and_missing(client):
    first = client.get(url("/laws/民法典/1/")).content.decode()
    assert 'rel="prev"' not in first and 'rel="next"' in first
    last = client.get(url("/laws/民法典/1260/")).content.decode()
    assert 'rel="next"' not in last and "附则" in last
    assert client.get(url("/laws/民法典/1261/")).status_code == 404
    assert client.get(url("/laws/民法典/20-1/")).status_code == 404


def test_jump_form(client):
    response = client.get(url("/laws/民法典/go/"), {"number": "一千零四十三"})
    assert response.status_code == 302 and response["Location"] == url("/laws/民法典/1043/")
    response = client.get(url("/laws/民法典/go/"), {"number": "20", "suffix": "1"})
    assert response["Location"] == url("/laws/民法典/20-1/")


def test_citations_in_article_text_are_links(client):
    # 民法典第一千零七十八条 cites 本法 (this law) in its neighbours; 第1076条 is cited by 1078? use the
    # Constitution's 2004 amendment which cites 宪法第十条
    html = client.get(url("/laws/宪法修正案2004年/20/")).content.decode()
    assert 'class="cite-link" href="' + url("/laws/宪法/10/") + '#p3"' in html


def test_qr_code_png_is_cached(client):
    response = client.get(url("/laws/民法典/1043/qr.png"))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG") and "max-age" in response["Cache-Control"]
    from io import BytesIO

    from PIL import Image

    assert Image.open(BytesIO(response.content)).size[0] >= 200
    assert client.get(url("/laws/民法典/9999/qr.png")).status_code == 404


def test_article_resolve_names_and_labels():
    assert article_resolve("中华人民共和国民法典", 1043).number == 1043
    assert article_resolve("《民法典》", "第一千零四十三条").number == 1043
    assert article_resolve("村委会组织法", 1).law.short_title == "村民委员会组织法"
    assert article_resolve("民法典", 1261) is None
    assert article_resolve("刑法", 1) is None
