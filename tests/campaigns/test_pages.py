"""Campaign pages: calendar, campaign and event pages, home section, query budgets."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from campaigns import page_cache
from campaigns.models import CampaignPage

pytestmark = pytest.mark.django_db


def test_year_page_shows_twelve_months_and_highlights_this_month(client, campaign_tree):
    html = client.get(campaign_tree["year"].url).content.decode()
    assert html.count("month-calendar__month") >= 12
    assert 'aria-current="date"' in html
    assert "学习宪法 尊崇宪法" in html
    assert "待定" in html


def test_campaign_page_shows_theme_audiences_and_events(client, campaign_tree):
    response = client.get(campaign_tree["campaign"].url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "学习宪法 尊崇宪法" in html
    assert "村（社区）干部、社会公众" in html
    assert "宪法宣传进村" in html
    assert "覆盖面" not in html  # reach figures are for staff only


def test_event_page_shows_place_and_organiser(client, campaign_tree):
    html = client.get(campaign_tree["event"].url).content.decode()
    assert "柳湾村" in html and "村委会广场" in html
    assert "区司法局" in html
    assert "宪法宣传周" in html


def test_unknown_paths_404(client, campaign_tree):
    assert client.get("/campaigns/1999/").status_code == 404
    assert client.get(campaign_tree["campaign"].url + "nope/").status_code == 404
    assert client.get("/campaigns/a/b/c/d/").status_code == 404


def test_draft_campaign_is_not_served(client, campaign_tree):
    draft = CampaignPage(title="草稿", slug="draft", theme="草稿主题", month=1, live=False)
    campaign_tree["year"].add_child(instance=draft)
    draft.save_revision()
    assert client.get(draft.url_path.replace("/mingbai", "", 1)).status_code == 404


@pytest.mark.parametrize("which", ["campaign", "event"])
def test_published_page_query_budget(client, campaign_tree, which, django_assert_max_num_queries):
    """Uncached (a new page-cache generation), with the site navigation cache warm."""
    client.get("/")
    page_cache.purge()
    with django_assert_max_num_queries(8):
        response = client.get(campaign_tree[which].url)
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "miss"


def test_home_page_shows_this_months_theme_and_next_events(client, campaign_tree):
    cache.clear()
    html = client.get("/").content.decode()
    assert "本月主题" in html
    assert campaign_tree["campaign"].url in html
    assert f'href="{campaign_tree["year"].url}"' in html
    assert "宪法宣传进村" in html


def test_home_page_without_campaigns(client, site_tree):
    cache.clear()
    html = client.get("/").content.decode()
    assert "本月主题即将发布" in html


def test_campaign_year_comes_from_parent(campaign_tree):
    assert campaign_tree["campaign"].year == timezone.localdate().year


LAW = """# 中华人民共和国宣传测试法

2020年1月1日 第十三届全国人民代表大会常务委员会第一次会议通过

<!-- INFO END -->

## 第一章 总则

第一条 为了做好普法宣传，制定本法。

第二条 本法适用于测试。
"""


def test_campaign_body_quotes_a_law_article(client, campaign_tree, tmp_path):
    from django.core.management import call_command

    from learning.laws.models import Article

    (tmp_path / "宣传测试法.md").write_text(LAW, encoding="utf-8")
    call_command("import_laws", str(tmp_path), verbosity=0)
    article = Article.objects.get(law__title="中华人民共和国宣传测试法", number=1)
    page = campaign_tree["campaign"]
    page.body = [
        ("paragraph", "<p>本月学习：</p>"),
        ("article_quote", {"article": article, "paragraph": None, "note": "本月重点"}),
        ("key_points", {"title": "记住三点", "points": ["宪法至上", "依法办事", "有事找12348"]}),
    ]
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert "为了做好普法宣传，制定本法。" in html
    assert "有事找12348" in html
