"""Chinese article search (SQLite FTS5 / PostgreSQL tsvector) and /api/v1/search/ (issue 4)."""

from urllib.parse import quote

import pytest

from learning.laws.search import search_articles
from learning.laws.selectors import article_resolve
from learning.laws.services import article_everyday_names_set

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("law_library")]


def top(query, n=3):
    return [(h.article.law.short_title, h.article.number) for h in search_articles(query).hits[:n]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("居住权", ("民法典", 366)),
        ("宪法宣誓", ("宪法", 27)),
        ("抛掷物品", ("民法典", 1254)),
        ("撤回离婚登记申请", ("民法典", 1077)),
        # everyday names (俗称) from the glossary, which the text never uses
        ("高空抛物", ("民法典", 1254)),
        ("离婚冷静期", ("民法典", 1077)),
        ("好意同乘", ("民法典", 1217)),
    ],
)
def test_queries_put_the_right_article_in_the_top_3(query, expected):
    assert expected in top(query)


@pytest.mark.parametrize("query", ["婚", "结婚", "宅基", "夫妻共同财产"])
def test_one_two_and_four_character_queries_find_articles(query):
    hits = search_articles(query).hits
    assert hits, query
    assert all(ch in hits[0].article.text + hits[0].article.everyday_names for ch in query)


def test_only_current_versions_and_nothing_for_nonsense():
    assert search_articles("").hits == []
    assert search_articles("量子纠缠计算机").hits == []
    assert search_articles("\"'*:()^ OR AND -").hits == []  # query syntax is not injected


@pytest.mark.parametrize(
    ("query", "number", "law"),
    [
        ("民法典1043", 1043, "民法典"),
        ("民法典第一千零四十三条", 1043, "民法典"),
        ("宪法第27条", 27, "宪法"),
    ],
)
def test_citation_as_query_goes_to_the_article(client, query, number, law):
    result = search_articles(query)
    assert result.exact is not None and result.exact.number == number
    response = client.get("/laws/search/", {"q": query})
    assert response.status_code == 302
    assert response["Location"] == quote(f"/laws/{law}/{number}/")


def test_edited_everyday_names_are_searched():
    article = article_resolve("民法典", 1065)
    assert ("民法典", 1065) not in top("婚内财产约定")
    article_everyday_names_set(article=article, names="婚内财产约定，AA制")
    assert top("婚内财产约定")[0] == ("民法典", 1065)
    assert ("民法典", 1065) in top("AA制")


def test_api_search_json(client):
    response = client.get("/api/v1/search/", {"q": "离婚冷静期"})
    assert response.status_code == 200
    data = response.json()
    first = data["results"][0]
    assert first["law"] == "民法典" and first["article"] == 1077
    assert first["label"] == "第一千零七十七条"
    assert first["url"] == quote("/laws/民法典/1077/")
    assert first["snippet"]
    assert data["exact"] is False
    data = client.get("/api/v1/search/", {"q": "宪法第27条"}).json()
    assert data["exact"] is True and [r["article"] for r in data["results"]] == [27]
    assert client.get("/api/v1/search/", {"q": ""}).json()["results"] == []


def test_html_search_page_highlights_terms(client, django_assert_max_num_queries):
    client.get("/laws/search/", {"q": "抛掷物品"})
    with django_assert_max_num_queries(6):
        response = client.get("/laws/search/", {"q": "抛掷物品"})
    html = response.content.decode()
    assert "<mark>抛掷物品</mark>" in html
    assert "第一千二百五十四条" in html
    html = client.get("/laws/search/", {"q": "<script>x</script>"}).content.decode()
    assert "<script>x" not in html


def test_editor_adds_everyday_names_in_the_admin(client, admin_user):
    article = article_resolve("民法典", 1079)
    client.force_login(admin_user)
    url = f"/admin/snippets/learning/article/edit/{article.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"everyday_names": "诉讼离婚、起诉离婚"})
    assert response.status_code == 302, response.content.decode()[:500]
    article.refresh_from_db()
    assert article.everyday_names == "诉讼离婚、起诉离婚"
    assert top("诉讼离婚")[0] == ("民法典", 1079)
