"""Citation links, broken-citation checks, the article quote block and chooser (issue 4)."""

import json
from io import StringIO
from urllib.parse import quote

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.management import CommandError, call_command
from django.template import Context, Template
from django.test import RequestFactory
from django.utils.safestring import mark_safe
from wagtail.rich_text import RichText

from learning.laws.blocks import ArticleQuoteBlock
from learning.laws.citations import find_broken, linkify
from learning.laws.selectors import article_resolve

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("law_library")]

A1043 = quote("/laws/民法典/1043/")


@pytest.mark.parametrize(
    ("text", "href", "shown"),
    [
        (
            "依照《中华人民共和国民法典》第一千零四十三条。",
            A1043,
            "《中华人民共和国民法典》第一千零四十三条",
        ),
        ("见《民法典》第1043条。", A1043, "《民法典》第1043条"),
        ("民法典第一千零四十三条第二款规定", A1043 + "#p2", "民法典第一千零四十三条第二款"),
        ("宪法第二十七条要求宣誓", quote("/laws/宪法/27/"), "宪法第二十七条"),
        ("《宪法》第27条", quote("/laws/宪法/27/"), "《宪法》第27条"),
        ("依据村委会组织法第一条", quote("/laws/村民委员会组织法/1/"), "村委会组织法第一条"),
    ],
)
def test_every_citation_form_becomes_a_link_with_the_text(text, href, shown):
    html = str(linkify(text))
    assert f'href="{href}"' in html
    assert f">{shown}</a>" in html
    article = article_resolve("民法典", 1043) if "1043" in href else None
    if article:
        assert 'title="民法典第一千零四十三条：家庭应当树立优良家风' in html


def test_lists_and_broken_and_unknown_laws():
    html = str(
        linkify("民法典第一千零七十六条、第一千零七十七条和民法典第一千三百条，刑法第二十条")
    )
    assert html.count('class="cite-link"') == 2
    assert quote("/laws/民法典/1077/") in html
    assert '<span class="cite-broken" title="法条不存在">民法典第一千三百条</span>' in html
    assert "刑法第二十条" in html and "刑法第二十条</a>" not in html  # a law we do not hold
    broken = find_broken(
        "民法典第一千零七十七条。《民法典》第1300条；宪法第一百四十四条；刑法第二十条"
    )
    assert [(b.law, b.article) for b in broken] == [("民法典", 1300), ("宪法", 144)]
    assert broken[0].message == "引用的法条不存在：《民法典》第1300条"


def test_plain_text_is_escaped_and_html_is_kept():
    assert str(linkify("<b>民法典第一千零四十三条</b>")).startswith("&lt;b&gt;<a ")
    html = str(
        linkify(
            mark_safe(
                '<p class="x">见<b>民法典第一千零四十三条</b>。</p><a href="/y">宪法第一条</a>'
            )
        )
    )
    assert html.startswith('<p class="x">见<b><a class="cite-link"')
    assert '<a href="/y">宪法第一条</a>' in html  # not nested inside an existing link
    assert str(linkify(None)) == ""


def test_template_filter_and_rich_text_render_links():
    out = Template("{% load law_tags %}{{ value|cite_links }}").render(
        Context({"value": "民法典第1043条"})
    )
    assert f'href="{A1043}"' in out
    rich = RichText("<p>离婚冷静期见民法典第一千零七十七条。</p>")
    assert quote("/laws/民法典/1077/") in str(rich.__html__())
    out = Template("{% load wagtailcore_tags %}{{ value|richtext }}").render(
        Context({"value": "<p>宪法第二十七条</p>"})
    )
    assert quote("/laws/宪法/27/") in out


def test_article_quote_block_renders_current_text_with_link():
    block = ArticleQuoteBlock()
    article = article_resolve("民法典", 1043)
    value = block.to_python({"article": article.pk, "paragraph": 2, "note": "家庭美德"})
    html = block.render(value)
    assert "夫妻应当互相忠实" in html and "家庭应当树立优良家风" not in html
    assert "《中华人民共和国民法典》第一千零四十三条第二款" in html
    assert f'href="{A1043}#p2"' in html and "家庭美德" in html
    whole = block.render(block.to_python({"article": article.pk, "paragraph": None, "note": ""}))
    assert "家庭应当树立优良家风" in whole and "夫妻应当互相忠实" in whole


def test_article_chooser_searches_in_chinese(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/admin/learning/article-chooser/")
    assert response.status_code == 200
    response = client.get("/admin/learning/article-chooser/results/", {"q": "居住权"})
    assert response.status_code == 200
    assert "第三百六十六条" in response.content.decode()
    article = article_resolve("民法典", 366)
    response = client.get(f"/admin/learning/article-chooser/chosen/{article.pk}/")
    data = json.loads(response.content)
    assert data["step"] == "chosen" and data["result"]["id"] == str(article.pk)


def _standard_page(site_tree, body):
    from home.models import StandardPage

    page = StandardPage(title="引用测试", slug="cite-test", body=json.dumps(body))
    site_tree.add_child(instance=page)
    return page


def test_check_citations_lists_broken_citations_in_pages(site_tree):
    page = _standard_page(
        site_tree,
        [
            {
                "type": "paragraph",
                "value": "<p>见民法典第一千零七十七条和《民法典》第一千二百六十一条。</p>",
            },
            {"type": "heading", "value": "宪法第二百条"},
        ],
    )
    out = StringIO()
    call_command("check_citations", stdout=out)
    text = out.getvalue()
    assert (
        f"页面“引用测试”（#{page.pk}）的正文：引用的法条不存在：《民法典》第一千二百六十一条"
        in text
    )
    assert "宪法第二百条" in text and "共 2 处" in text and "第一千零七十七条" not in text
    with pytest.raises(CommandError, match="共 2 处"):
        call_command("check_citations", "--strict", stdout=StringIO())


def test_check_citations_clean_content(site_tree):
    out = StringIO()
    call_command("check_citations", "--strict", stdout=out)
    assert "没有发现" in out.getvalue()


def test_saving_a_page_flags_broken_citations_to_the_editor(site_tree, admin_user):
    from learning.laws.admin import check_page_citations

    page = _standard_page(site_tree, [{"type": "paragraph", "value": "<p>民法典第三千条</p>"}])
    request = RequestFactory().post("/admin/")
    request.user = admin_user
    request.session = {}
    request._messages = FallbackStorage(request)
    check_page_citations(request, page)
    shown = [str(m) for m in get_messages(request)]
    assert len(shown) == 1 and "引用的法条不存在：民法典第三千条" in shown[0]
