"""Required-laws lists (应知应会清单) and the law library's demo data (issue 4)."""

import os
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from learning.laws import demo as demo_laws
from learning.laws.models import Article, Law, LawAlias, RequiredLawItem, RequiredLawList
from learning.laws.selectors import article_resolve, required_articles, required_lists
from learning.laws.services import glossary_load, laws_import, required_list_ensure
from tests.learning.laws.conftest import LAW_V1, LAW_V2, law_texts

pytestmark = pytest.mark.django_db


def test_required_lists_whole_laws_and_single_articles(client, tmp_path):
    call_command("import_laws", str(law_texts() / "宪法" / "宪法.md"), stdout=open(os.devnull, "w"))
    v1 = tmp_path / "测试法(2020-01-01).md"
    v1.write_text(LAW_V1, encoding="utf-8")
    laws_import(paths=[v1])
    cadres = required_list_ensure(
        title="领导干部应知应会清单", audience="leading_cadre", law_names=["宪法"]
    )
    RequiredLawItem.objects.create(
        required_list=cadres,
        law=Law.objects.get(short_title="测试法"),
        article=article_resolve("测试法", 2),
        note="重点",
        sort_order=1,
    )
    articles = required_articles(cadres)
    assert articles.count() == 143 + 1
    assert list(required_lists("leading_cadre")) == [cadres]
    assert list(required_lists("village_cadre")) == []

    # a new version of the law: the list follows it
    v2 = tmp_path / "测试法(2024-06-01).md"
    v2.write_text(LAW_V2, encoding="utf-8")
    laws_import(paths=[v2])
    item = RequiredLawItem.objects.get(article__isnull=False)
    assert item.law.status == "current" and item.article.text == "本法适用于测试和检验。"
    assert (
        required_articles(cadres).filter(number=2, law__short_title="测试法").get().law.is_current
    )

    html = client.get("/laws/required/").content.decode()
    assert "领导干部应知应会清单" in html and "中华人民共和国宪法" in html
    assert quote("/laws/测试法/2/") in html and "重点" in html

    bad = RequiredLawItem(
        required_list=cadres, law=Law.objects.get(short_title="宪法"), article=item.article
    )
    with pytest.raises(ValidationError):
        bad.full_clean()


def test_glossary_with_an_unknown_article_is_refused(tmp_path):
    call_command("import_laws", str(law_texts() / "宪法" / "宪法.md"), stdout=open(os.devnull, "w"))
    glossary = tmp_path / "g.csv"
    glossary.write_text(
        "law,article,everyday_names\n宪法,27,宪法宣誓\n宪法,999,不存在\n", encoding="utf-8"
    )
    with pytest.raises(ValidationError, match="g.csv:3"):
        glossary_load(glossary)
    assert article_resolve("宪法", 27).everyday_names == ""
    glossary.write_text(
        "law,article,everyday_names\n宪法,27,宪法宣誓\n民法典,1,不在库中\n", encoding="utf-8"
    )
    assert glossary_load(glossary) == 1
    assert article_resolve("宪法", 27).everyday_names == "宪法宣誓"


def test_demo_data_is_idempotent():
    demo_laws.load()
    counts = [m.objects.count() for m in (Law, Article, LawAlias, RequiredLawList, RequiredLawItem)]
    assert counts[0] == 19 and counts[1] == 2252 and counts[3] == 2
    assert "离婚冷静期" in article_resolve("民法典", 1077).everyday_names
    pks = list(Article.objects.order_by("pk").values_list("pk", "everyday_names", "names_tokens"))
    demo_laws.load()
    assert [
        m.objects.count() for m in (Law, Article, LawAlias, RequiredLawList, RequiredLawItem)
    ] == counts
    assert (
        list(Article.objects.order_by("pk").values_list("pk", "everyday_names", "names_tokens"))
        == pks
    )
